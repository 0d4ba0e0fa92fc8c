"""Pure analysis: statistics over records and arrays, no I/O."""
