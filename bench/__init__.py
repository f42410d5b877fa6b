"""The foundation benchmark: bare JSON vs raw asyncpg vs the real tenant-scoped list (see run.py)."""
