"""How the bench fill scripts (report_fill.py, search_fill.py, calls_fill.py) open and close
the service's database they fill straight through SQLite."""
import sqlite3


def open_for_fill(path):
    """The database in WAL mode, as the service keeps it, without fsync: a fill that breaks
    is run again."""
    db = sqlite3.connect(path)
    db.execute("PRAGMA journal_mode = WAL")
    db.execute("PRAGMA synchronous = OFF")
    return db


def close_after_fill(db):
    """Commits, runs ANALYZE as the service's own migration does, folds the WAL into the
    file (the service then starts on a plain database) and closes."""
    db.commit()
    db.execute("ANALYZE")
    db.commit()
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()
