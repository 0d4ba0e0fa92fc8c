"""The claims checker's budget on the web (the database's sizes it is priced by are read by
``query.claim_sizes``; the prices are ``analysis.claims_cost``).

The command line checks any file (a person waits for their own file); the web refuses a file
priced over ``WEB_BUDGET`` with HTTP 413 before judging anything, and stops one that overruns its
CPU time. The example file (36 claims) is priced at about a quarter of the limit.
"""

from __future__ import annotations

from wholeads.analysis.claims_cost import Budget

WEB_BUDGET = Budget(max_cost=5_000, max_cpu_s=10.0)
"""One claims request on the web: at most about 5 s of CPU as priced (an upper bound), and 10 s
of CPU as measured."""
