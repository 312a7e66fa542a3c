"""Team mode: the store on a PostgreSQL server (psycopg 3).

Imported only when a ``postgresql://`` URI is used, so SQLite-only runs never load
the driver.
"""

from warroom.store.postgres.admin import grant, init_database, revoke
from warroom.store.postgres.store import PgStore

__all__ = ["PgStore", "grant", "init_database", "revoke"]
