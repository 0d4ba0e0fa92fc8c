"""The read layer: every question the surfaces ask of a built database, answered from it."""
