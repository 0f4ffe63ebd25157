"""Alembic migrations of the store, run programmatically by `bot.core.store.db.migrate`."""
