"""Where the office's data lives: the database's address (a file or a server URL) and the
user's data folder. Without peewee, so the window's start can name its database before
the database layer loads."""
from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import unquote

APP_NAME = "EstateDesk"


def default_data_dir() -> Path:
    """The user's data folder (the demo, the commands log, restores' safety copies);
    ESTATEDESK_DATA_DIR moves it (a portable install, the test suite)."""
    import platformdirs

    moved = os.environ.get("ESTATEDESK_DATA_DIR")
    return Path(moved) if moved else Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def default_url() -> str:
    return sqlite_url(default_data_dir() / "estatedesk.sqlite")


def sqlite_url(path: os.PathLike | str) -> str:
    return "sqlite:///" + Path(path).absolute().as_posix()


def url_from_arg(value: str) -> str:
    """`--db` takes a URL or a plain file path."""
    if "://" in value:
        return value
    return sqlite_url(value)


def sqlite_path(url: str) -> Path | None:
    if not url.startswith("sqlite:///"):
        return None
    return Path(unquote(url[len("sqlite:///"):]))


def redact(url: str) -> str:
    """The URL without its password, for messages and logs."""
    from urllib.parse import urlsplit, urlunsplit

    try:
        parts = urlsplit(url)
        if parts.password:
            netloc = parts.netloc.replace(":" + parts.password + "@", ":***@", 1)
            return urlunsplit(parts._replace(netloc=netloc))
    except ValueError:
        pass
    return url


SERVER_SCHEMES = ("postgresql://", "postgres://")
