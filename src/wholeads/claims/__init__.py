"""Claims files: their format, and the checker that judges each claim against the evidence."""
