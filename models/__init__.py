"""EstateDesk's core: the office's data and rules, importable without Qt."""
import sys as _sys


class _PeeweeWithoutServerDrivers:
    """peewee imports psycopg when it is installed, which costs a tenth of a second at
    every start; a one-PC office on SQLite never needs it. Whenever peewee is first
    imported (by whichever module needs it first, and not before: the sign-in window does
    not wait for it), it is imported with the drivers hidden; `db.enable_postgresql()`
    hands psycopg to peewee when a server URL is opened."""

    @classmethod
    def find_spec(cls, name, path=None, target=None):
        if name != "peewee":
            return None
        _sys.meta_path.remove(cls)  # once; the real finders find the real module
        import importlib.util

        spec = importlib.util.find_spec("peewee")
        if spec is not None and spec.loader is not None:
            spec.loader = _HidingLoader(spec.loader)
        return spec


class _HidingLoader:
    def __init__(self, loader):
        self.loader = loader

    def __getattr__(self, name):  # get_source and the rest, for tracebacks and tools
        return getattr(self.loader, name)

    def create_module(self, spec):
        return self.loader.create_module(spec)

    def exec_module(self, module):
        hidden = [name for name in ("psycopg", "psycopg2") if name not in _sys.modules]
        for name in hidden:
            _sys.modules[name] = None  # an ImportError for peewee's optional import
        try:
            self.loader.exec_module(module)
        finally:
            for name in hidden:
                if name in _sys.modules and _sys.modules[name] is None:
                    del _sys.modules[name]


if "peewee" not in _sys.modules:
    _sys.meta_path.insert(0, _PeeweeWithoutServerDrivers)
