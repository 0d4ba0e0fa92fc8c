"""The DuckDB database file: where it lives, how it is built atomically, and its tables."""
