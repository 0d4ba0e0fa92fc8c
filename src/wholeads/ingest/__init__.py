"""Getting evidence in: fetch each public source, parse it, check it, resolve its names against
the knowledge base and build a new database (``update.run_update`` runs the whole pipeline)."""
