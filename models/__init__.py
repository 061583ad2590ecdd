"""EstateDesk's core: the office's data and rules, importable without Qt."""
import sys as _sys


def _import_peewee_without_server_drivers() -> None:
    """peewee imports psycopg when it is installed, which costs a tenth of a second at
    every start; a one-PC office on SQLite never needs it. Import peewee first, here,
    with the drivers hidden; `db.enable_postgresql()` hands psycopg to peewee when a
    server URL is opened."""
    if "peewee" in _sys.modules:
        return
    hidden = [name for name in ("psycopg", "psycopg2") if name not in _sys.modules]
    for name in hidden:
        _sys.modules[name] = None  # an ImportError for peewee's optional import
    try:
        import peewee  # noqa: F401 - imported for its side effect in sys.modules
    finally:
        for name in hidden:
            if name in _sys.modules and _sys.modules[name] is None:
                del _sys.modules[name]


_import_peewee_without_server_drivers()
