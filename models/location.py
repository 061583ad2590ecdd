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


FILE_SUFFIXES = (".sqlite", ".db", ".sqlite3")


def user_documents_dir() -> Path:
    import platformdirs

    return Path(platformdirs.user_documents_dir())


def typed_address(text: str, documents: Path | None = None) -> str:
    """The database address an administrator typed, as a URL ("" for this PC's own file).
    A server's address alone (an IP address, a host name) is refused, not taken for a file
    named like it; a new file's name ends in .sqlite or .db; a relative path is in the
    user's documents folder, never the program's."""
    import ipaddress

    from models.errors import DatabaseOpenError, QT_TRANSLATE_NOOP

    text = text.strip()
    if not text:
        return ""
    if "://" in text:
        if text.startswith(SERVER_SCHEMES + ("sqlite:///",)):
            return text
        raise DatabaseOpenError(
            QT_TRANSLATE_NOOP("Office", "Cannot use the database address {url}: write a file path, "
                                        "or postgresql://user:password@server/database"),
            url=redact(text))
    bare = "/" not in text and "\\" not in text
    first = text.split("/")[0]  # 192.168.1.250/estatedesk is a server too
    host = first.rsplit(":", 1)[0] if first.count(":") == 1 else first
    try:
        ipaddress.ip_address(host.strip("[]"))
        is_ip = True
    except ValueError:
        is_ip = False
    if is_ip or (bare and Path(text).suffix.lower() not in FILE_SUFFIXES):
        raise DatabaseOpenError(
            QT_TRANSLATE_NOOP("Office", "{text} looks like a server, not a database. For the office's server "
                                        "write its whole address: postgresql://user:password@{server}/database; "
                                        "for a database file, a path ending in .sqlite or .db."),
            text=text, server=first)
    path = Path(text).expanduser()
    if not path.is_absolute():
        path = (documents or user_documents_dir()) / path
    if not path.exists() and path.suffix.lower() not in FILE_SUFFIXES:
        raise DatabaseOpenError(
            QT_TRANSLATE_NOOP("Office", "A database file's name ends in .sqlite or .db: {path}"), path=str(path))
    return sqlite_url(path)


def with_connect_timeout(url: str, seconds: int) -> str:
    """A server's address that gives up after `seconds` when nothing answers (the driver
    would otherwise wait as long as the system does, minutes), unless it sets its own."""
    if not url.startswith(SERVER_SCHEMES) or "connect_timeout=" in url:
        return url
    return f"{url}{'&' if '?' in url else '?'}connect_timeout={seconds}"


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
