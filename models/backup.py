"""Backups of the office (an SQLite database and its scans) into one file, checked before
it gets its name, and restores that keep a safety copy of the live data first.

A backup is a zip holding `estatedesk.sqlite` (the whole database as of one moment, read
through SQLite in one read transaction while clerks keep working), `scans/…` and
`manifest.json` (format, the schema version, when, the office, row counts, and a SHA-256
of every other member, taken as each is written). SQLite's own check of the live file
runs once a day apart from the backup (`check_database`). With a password the zip
is sealed on its way to the disk with AES-256-GCM under a key from scrypt, in pieces that
each say where they stand; the file then starts with MAGIC_SEALED, the salt and the nonce
prefix.

A backup is written under a temporary name in the destination folder, flushed to the disk,
read back (a sealed file decrypted piece by piece, a plain one member by member against
the zip's CRCs), and only then renamed to its final name: a pulled USB stick or a full disk
leaves at most a `.partial` file, never a damaged file under a good name, and never
touches the backups already there."""
from __future__ import annotations

import dataclasses
import datetime
import errno
import functools
import hashlib
import io
import json
import threading
import os
import re
import shutil
import sqlite3
import tempfile
import time
import zipfile
from dataclasses import dataclass
from types import SimpleNamespace
from pathlib import Path

import peewee as pw

from models import clock, db
from models.errors import OfficeError, PermissionDenied, QT_TRANSLATE_NOOP

FORMAT = 2  # 1: an SQLite office's file; 2: also a server's rows exported into one (origin "server")
SUFFIX = ".edbackup"
MAGIC_SEALED = b"EDBKAES1"
DB_NAME = "estatedesk.sqlite"
SCRYPT = dict(n=2 ** 15, r=8, p=1, maxmem=64 * 1024 * 1024, dklen=32)


class BackupError(OfficeError):
    """A backup that cannot be used, or made; the message says why in the clerk's words."""


class OtherOffice(BackupError):
    """The backup is of another office than the one it would replace: restored only when
    someone confirms it naming both (`other_office=True`; the command line's --other-office)."""

    def __init__(self, ours: str, theirs: str):
        super().__init__(QT_TRANSLATE_NOOP(
            "Office", "This backup is of another office ({theirs}), not of this one ({ours}): nothing was replaced. "
                      "To put {theirs}'s data in place of {ours}'s, confirm it (on the command line: --other-office)"),
            ours=ours, theirs=theirs)
        self.ours, self.theirs = ours, theirs


@dataclass(frozen=True)
class Manifest:
    format: int
    schema: int
    created_at: str
    office: str
    counts: dict
    files: dict  # member name → {"sha256", "size"}
    origin: str = "sqlite"  # "server": the rows of a server database, exported into an SQLite file
    office_id: str = ""  # the office's mark, read from the database inside (a deep check); "" in old backups

    @property
    def created(self) -> datetime.datetime:
        return datetime.datetime.fromisoformat(self.created_at)


def _sqlite_file() -> Path | None:
    """The office's SQLite file, or None for a server database."""
    obj = db.database.obj
    if not isinstance(obj, pw.SqliteDatabase):
        return None
    path = getattr(obj, "database", None)
    if not path or path == ":memory:":
        raise BackupError(QT_TRANSLATE_NOOP("Office", "This database lives in memory only: there is nothing to back up"))
    return Path(path)


SQLITE_CORRUPT, SQLITE_NOTADB = 11, 26


def _damaged(error: sqlite3.Error) -> bool:
    """SQLite found the file damaged or not a database (not: busy, locked, a full disk …)."""
    return getattr(error, "sqlite_errorcode", None) is not None and error.sqlite_errorcode & 0xFF in (
        SQLITE_CORRUPT, SQLITE_NOTADB)


def _integrity(path: Path, quick: bool = False, read_only: bool = False) -> bool:
    """SQLite's own check of every page (quick: without cross-checking the indexes): False
    when the file is damaged; a check that cannot run (the file locked, unreadable) raises."""
    con = sqlite3.connect(db.read_only_uri(path), uri=True, timeout=30) if read_only else sqlite3.connect(path)
    try:
        con.execute("PRAGMA mmap_size = 1073741824")  # pages read in place: a quicker check
        return con.execute("PRAGMA quick_check" if quick else "PRAGMA integrity_check").fetchone()[0] == "ok"
    except sqlite3.DatabaseError as e:
        if _damaged(e):
            return False
        raise
    finally:
        con.close()


class _TimedOut(Exception):
    """A lock held by another connection past the time a restore may wait for it."""


class _Changed(Exception):
    """The data a restore replaces changed after its numbers were read."""


SQLITE_BUSY, SQLITE_LOCKED, SQLITE_FULL = 5, 6, 13


def _copy_pages(src: sqlite3.Connection, dst: sqlite3.Connection, deadline: float | None,
                guard=None) -> None:
    """Every page of `src` into `dst` through SQLite's backup API. Python's backup retries a
    busy step for ever: a step still busy after `deadline` (time.monotonic) stops it.
    `guard`: called once the first page is written, while `dst` is held for writing by
    this copy and nobody else can write to it (readers still see it as it was); what it
    raises stops the copy with `dst` as it was."""
    guarded = []

    def progress(status, _remaining, _total):
        if status in (SQLITE_BUSY, SQLITE_LOCKED):
            if deadline is not None and time.monotonic() > deadline:
                raise _TimedOut()
        elif guard is not None and not guarded:
            guarded.append(True)
            guard()

    # one page first when guarded: the guard runs before the copy can be complete (committed)
    src.backup(dst, pages=1 if guard is not None else -1, progress=progress, sleep=0.05)


def _left(deadline: float | None) -> float:
    return 30.0 if deadline is None else max(0.05, deadline - time.monotonic())


def snapshot(source: Path, target: Path, deadline: float | None = None) -> None:
    """A consistent copy of a live SQLite database (the online backup API: other PCs and
    windows may keep writing)."""
    src = sqlite3.connect(db.read_only_uri(source), uri=True, timeout=_left(deadline))
    dst = sqlite3.connect(target)
    try:
        _copy_pages(src, dst, deadline)
    finally:
        dst.close()
        src.close()


@functools.lru_cache(maxsize=4)  # the check right after sealing reuses the key (scrypt is slow on purpose)
def _key(password: str, salt: bytes) -> bytes:
    return hashlib.scrypt(password.encode("utf-8"), salt=salt, **SCRYPT)


CHUNK = 16 * 1024 * 1024  # sealed in pieces: no size limit, and never all in memory
IN_MEMORY = 1024 * 1024 * 1024  # a sealed backup up to this size is opened in memory


def _aad(index: int, last: bool) -> bytes:
    # each piece says where it stands and whether it ends the file: no piece can be moved,
    # dropped or cut off without the seal failing
    return MAGIC_SEALED + index.to_bytes(8, "big") + (b"\x01" if last else b"\x00")


class _Sealer(io.RawIOBase):
    """A file the zip is written into that seals it on the way: pieces of CHUNK bytes,
    each encrypted with its own nonce and marked whether it ends the file. Not seekable,
    so the zip is written with data descriptors; the plain zip never touches the disk."""

    def __init__(self, path: Path, password: str):
        from cryptography.hazmat.primitives.ciphers.aead import AESGCM

        super().__init__()
        salt, self.prefix = os.urandom(16), os.urandom(4)
        self.aes = AESGCM(_key(password, salt))
        self.out = open(path, "xb")  # a name of its own (see _open_new)
        self.out.write(MAGIC_SEALED + salt + self.prefix)
        self.buffer = bytearray(CHUNK)  # one piece, filled in place
        self.buffered = self.index = self.position = 0

    def writable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return False

    def tell(self) -> int:
        return self.position

    def fileno(self) -> int:
        return self.out.fileno()

    def flush(self) -> None:
        if not self.out.closed:
            self.out.flush()

    def write(self, data) -> int:
        view = memoryview(data).cast("B")
        self.position += len(view)
        while len(view):
            if self.buffered == CHUNK:  # full, and more comes: it is not the last piece
                self._piece(memoryview(self.buffer), last=False)
                self.buffered = 0
            take = min(CHUNK - self.buffered, len(view))
            self.buffer[self.buffered:self.buffered + take] = view[:take]
            self.buffered += take
            view = view[take:]
        return len(data)

    def _piece(self, plain, last: bool) -> None:
        box = self.aes.encrypt(self.prefix + self.index.to_bytes(8, "big"), plain, _aad(self.index, last))
        self.out.write(len(box).to_bytes(4, "big"))
        self.out.write(box)
        self.index += 1

    def finish(self) -> None:
        """The last piece, handed to the system (the caller syncs it to the disk)."""
        self._piece(memoryview(self.buffer)[:self.buffered], last=True)
        self.buffered = 0
        self.out.flush()

    def close(self) -> None:
        if not self.out.closed:
            self.out.close()
        super().close()


def _unseal(sealed: Path, out, password: str | None) -> None:
    """The sealed file's plain zip, written into the open file `out`."""
    from cryptography.exceptions import InvalidTag
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    if not password:
        raise BackupError(QT_TRANSLATE_NOOP("Office", "This backup is protected by a password: enter it"))
    damaged = BackupError(QT_TRANSLATE_NOOP("Office", "The backup file is damaged or incomplete"))
    with open(sealed, "rb") as src:
        head = src.read(len(MAGIC_SEALED) + 20)
        if len(head) < len(MAGIC_SEALED) + 20:
            raise damaged
        salt, prefix = head[len(MAGIC_SEALED):len(MAGIC_SEALED) + 16], head[len(MAGIC_SEALED) + 16:]
        aes = AESGCM(_key(password, salt))
        index = 0
        while True:
            length = src.read(4)
            if len(length) < 4:
                raise damaged  # cut off before its last piece
            box = src.read(int.from_bytes(length, "big"))
            nonce = prefix + index.to_bytes(8, "big")
            for last in (False, True):
                try:
                    out.write(aes.decrypt(nonce, box, _aad(index, last)))
                    break
                except InvalidTag:
                    continue
            else:
                raise BackupError(QT_TRANSLATE_NOOP("Office", "Wrong password, or the backup file is damaged"))
            index += 1
            if last:
                if src.read(1):
                    raise damaged  # something after the last piece
                return


def _scan_files() -> list[tuple[Path, str]]:
    from models import documents

    root = documents.scan_dir()
    if not root.is_dir():
        return []
    return [(p, "scans/" + p.relative_to(root).as_posix()) for p in sorted(root.rglob("*")) if p.is_file()]


def create(dest_dir: os.PathLike | str, *, password: str | None = None, office: str = "",
           now: datetime.datetime | None = None, keep: bool = True) -> Path:
    """Back the office up into `dest_dir`; returns the new file. Checked before it is named.
    Then (`keep`) the office's retention rule thins out the older backups in that folder."""
    source = _sqlite_file()
    dest = Path(dest_dir)
    if not dest.is_dir():
        raise BackupError(QT_TRANSLATE_NOOP("Office", "The backup folder {folder} is not there"), folder=str(dest))
    now = now or clock.now()
    office_id = _office_id()
    partial = None
    out = None
    work = None
    try:
        if source is None:  # a server: its rows as of one moment, into an SQLite file
            from models import transport

            work = Path(tempfile.mkdtemp(prefix="estatedesk-export-"))
            schema, counts = transport.export_server(work / DB_NAME)
            image = memoryview((work / DB_NAME).read_bytes())
        else:
            schema, counts, image = _image(source)
        scans = _scan_files()
        files: dict = {}
        final, partial, out = _open_new(dest, office_id, now, password)
        with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as z:
            digest: dict = {}
            hasher = threading.Thread(target=_digest, args=(image, digest), daemon=True)
            hasher.start()  # the checksum is taken beside the writing
            try:
                files[DB_NAME] = _add(z, DB_NAME, _pieces_of(image), len(image), now, hashed=False)
            finally:
                hasher.join()
            files[DB_NAME]["sha256"] = digest["sha256"]
            del image
            for path, name in scans:
                files[name] = _add(z, name, _pieces_of_file(path), path.stat().st_size, now)
            manifest = dict(format=1 if source else 2, schema=schema, created_at=now.isoformat(timespec="seconds"),
                            office=office, counts=counts, files=files, origin="sqlite" if source else "server")
            z.writestr("manifest.json", json.dumps(manifest, ensure_ascii=False, indent=1))
        if password:
            out.finish()
        else:
            out.flush()
        synced: dict = {}
        syncer = threading.Thread(target=_sync, args=(out.fileno(), synced), daemon=True)
        syncer.start()  # to the disk, while the file is read back as the system holds it
        try:
            _read_back(partial, password, set(files))  # what reached the disk is what was written
        finally:
            syncer.join()
        if "error" in synced:
            raise synced["error"]
        out.close()
        final = _rename_free(partial, final, office_id, now)
        _sync_dir(dest)
        try:
            _record(final, now)
        except pw.OperationalError as e:  # another PC's long write: the backup is made and checked all the same
            if not db.is_locked(e):
                raise
            import logging

            logging.getLogger(__name__).info("backup %s made; not recorded as the last one: %s", final, e)
        if keep and _healthy(now):
            try:
                prune(dest, now, final)
            except (OSError, pw.OperationalError):  # a file another PC holds open, a lock: the next backup tries again
                pass
        return final
    except (OSError, sqlite3.Error, OverflowError) as e:
        raise BackupError(QT_TRANSLATE_NOOP("Office", "The backup could not be written ({reason}); the backups "
                                                      "already there are untouched"),
                          reason=getattr(e, "strerror", None) or str(e)) from None
    finally:
        if work is not None:
            shutil.rmtree(work, ignore_errors=True)
        if out is not None:
            try:
                out.close()
            except OSError:
                pass
        if partial is not None:
            try:
                partial.unlink()
            except OSError:
                pass


def _sync(fd: int, result: dict) -> None:
    try:
        os.fsync(fd)
    except OSError as e:  # a stick pulled out: handed back to the backup, which reports it
        result["error"] = e


class _Discard:
    def write(self, data) -> int:
        return len(data)


def _read_back(path: Path, password: str | None, names: set[str]) -> None:
    """The file as the disk gives it back: a sealed one decrypts piece by piece (each
    piece's tag proves it is the piece written); a plain one is read member by member
    (the zip's CRC of each member is checked on the way); and the members are those
    written."""
    damaged = BackupError(QT_TRANSLATE_NOOP("Office", "The backup file is damaged or incomplete"))
    if password:
        _unseal(path, _Discard(), password)
        return
    try:
        with zipfile.ZipFile(path) as z:
            if set(z.namelist()) != names | {"manifest.json"}:
                raise damaged
            for name in z.namelist():
                with z.open(name) as member:
                    while member.read(PIECE):
                        pass
    except (zipfile.BadZipFile, EOFError):
        raise damaged from None


def check_database(at: datetime.datetime | None = None) -> bool | None:
    """SQLite's quick check of the live file (every page, without cross-checking the
    indexes), kept in the database with its time: the desk runs it once a day in the
    background and the command-line backup after each backup; 今日 shows a failure. None
    on a server database, which its server looks after, and when the check cannot run."""
    from models.migrations import AppMeta

    source = _sqlite_file()
    if source is None:
        return None
    try:
        ok = _integrity(source, quick=True, read_only=True)
    except sqlite3.Error:  # locked, unreadable for now: not a verdict; tried again later
        return None
    value = json.dumps({"at": (at or clock.now()).isoformat(timespec="seconds"), "ok": ok})
    AppMeta.insert(key="integrity_check", value=value).on_conflict(
        conflict_target=[AppMeta.key], update={AppMeta.value: value}).execute()
    return ok


def last_check() -> tuple[datetime.datetime, bool] | None:
    """When the live file was last checked, and whether it passed."""
    from models.migrations import AppMeta

    row = AppMeta.get_or_none(AppMeta.key == "integrity_check")
    if row is None:
        return None
    value = json.loads(row.value)
    return datetime.datetime.fromisoformat(value["at"]), bool(value["ok"])


def check_due(at: datetime.datetime | None = None) -> bool:
    """A day since the last check (or none yet), on a PC's own database file."""
    if not db.is_sqlite():
        return False
    done = last_check()
    return done is None or done[0] <= (at or clock.now()) - datetime.timedelta(days=1)


LOCK_BYTE = 0x40000000  # SQLite's lock bytes: a file this large is never read around SQLite


def _facts(con: sqlite3.Connection) -> tuple[int, dict]:
    tables = [r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table' "
                                        "AND name NOT LIKE 'sqlite_%' ORDER BY name")]
    counts = {t: con.execute(f'SELECT COUNT(*) FROM "{t}"').fetchone()[0] for t in tables}
    try:
        row = con.execute("SELECT value FROM app_meta WHERE key = 'schema_version'").fetchone()
        schema = int(row[0]) if row else 0
    except sqlite3.Error:
        schema = 0
    return schema, counts


def _image(source: Path) -> tuple[int, dict, memoryview]:
    """The whole database as of one moment, with its schema version and row counts.

    The quick way: the log is checkpointed into the file, then SQLite's write lock is taken
    (readers go on; a clerk's save waits the tenth of a second this takes) and, with the
    log empty, the file itself is read: nothing can change it while the lock is held. When
    the log cannot be emptied at once (another PC in a long read), the online way:
    sqlite3_serialize reads every page through SQLite in one read transaction while others
    keep writing. Either way the image is marked as an ordinary (not WAL) file: it has no
    log beside it."""
    con = sqlite3.connect(str(source), timeout=2, isolation_level=None)
    try:
        wal = Path(str(source) + "-wal")
        if source.stat().st_size < LOCK_BYTE:
            for _attempt in range(3):
                try:
                    busy, _log, _done = con.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
                    if busy:
                        break
                    con.execute("BEGIN IMMEDIATE")
                except sqlite3.OperationalError:  # busy: take the online way
                    break
                try:
                    # nobody wrote since the checkpoint (and the file did not grow past SQLite's lock bytes)
                    if (not wal.exists() or wal.stat().st_size == 0) and source.stat().st_size < LOCK_BYTE:
                        schema, counts = _facts(con)
                        return schema, counts, memoryview(source.read_bytes())
                finally:
                    con.execute("ROLLBACK")  # nothing was written: the lock is let go
        con.execute("PRAGMA busy_timeout = 30000")
        con.execute("BEGIN")
        schema, counts = _facts(con)
        image = memoryview(con.serialize())
        con.execute("COMMIT")
        return schema, counts, image
    finally:
        con.close()


PIECE = 4 * 1024 * 1024


def _pieces_of(image: memoryview):
    if len(image) >= 20 and image[18] == 2 and image[19] == 2:
        yield image[:18]
        yield b"\x01\x01"  # file format numbers: legacy (rollback journal) rather than WAL
        start = 20
    else:
        start = 0
    for at in range(start, len(image), PIECE):
        yield image[at:at + PIECE]


def _pieces_of_file(path: Path):
    with open(path, "rb") as f:
        yield from iter(lambda: f.read(PIECE), b"")


def _digest(image: memoryview, out: dict) -> None:
    h = hashlib.sha256()
    for piece in _pieces_of(image):
        h.update(piece)
    out["sha256"] = h.hexdigest()


def _add(z: zipfile.ZipFile, name: str, pieces, size: int, now: datetime.datetime, hashed: bool = True) -> dict:
    """A member written piece by piece, its SHA-256 taken on the way (unless `hashed` is
    False: the caller takes it)."""
    info = zipfile.ZipInfo(name, date_time=now.timetuple()[:6])
    info.compress_type = zipfile.ZIP_STORED
    info.file_size = size  # the zip's large-file records are used when needed
    h = hashlib.sha256()
    written = 0
    with z.open(info, "w") as member:
        for piece in pieces:
            member.write(piece)
            if hashed:
                h.update(piece)
            written += len(piece)
    if written != size:  # a scan changed while it was copied
        raise OSError(f"{name} changed while it was backed up")
    return {"sha256": h.hexdigest() if hashed else "", "size": size}


_NAME = re.compile(r"^estatedesk-(?:([0-9a-f]{8})-)?(\d{8}-\d{6})(?:-\d+)?" + re.escape(SUFFIX) + "$")


def _office_id() -> str:
    """This office's own mark in its backups' names (made once): two offices, or two PCs'
    own databases, sharing a stick never thin out each other's backups."""
    import uuid

    from models.migrations import AppMeta

    row = AppMeta.get_or_none(AppMeta.key == "office_id")
    if row is not None:
        return row.value
    value = uuid.uuid4().hex[:8]
    AppMeta.insert(key="office_id", value=value).on_conflict_ignore().execute()
    return AppMeta.get(AppMeta.key == "office_id").value


def _name(office_id: str, now: datetime.datetime, n: int) -> str:
    return f"estatedesk-{office_id}-{now:%Y%m%d-%H%M%S}{'' if n == 1 else f'-{n}'}{SUFFIX}"


def _open_new(dest: Path, office_id: str, now: datetime.datetime, password: str | None):
    """A name no backup has, and its `.partial` file created for this backup alone (two
    PCs backing up in the same second take different names)."""
    n = 1
    while True:
        final = dest / _name(office_id, now, n)
        partial = dest / (final.name + ".partial")
        if not final.exists():
            try:
                out = _Sealer(partial, password) if password else open(partial, "xb")
                return final, partial, out
            except FileExistsError:
                pass
        n += 1


def _rename_free(partial: Path, final: Path, office_id: str, now: datetime.datetime) -> Path:
    """The checked file under its name, never over another backup that took the name meanwhile."""
    n = 1
    while final.exists():
        n += 1
        final = final.with_name(_name(office_id, now, n))
    os.replace(partial, final)
    return final


def _healthy(now: datetime.datetime) -> bool:
    """Old backups are thinned out only while the database is known sound: its last daily
    self-check passed within two days (a server looks after its own)."""
    if not db.is_sqlite():
        return True
    done = last_check()
    return done is not None and done[1] and done[0] >= now - datetime.timedelta(days=2)


def backups_in(folder: os.PathLike | str, office_id: str | None = None) -> list[tuple[datetime.datetime, Path]]:
    """The backups in a folder by their names' times, newest first (other files left out;
    with `office_id`, only that office's)."""
    out = []
    for p in Path(folder).iterdir():
        m = _NAME.match(p.name)
        if m and p.is_file() and (office_id is None or m.group(1) == office_id):
            try:
                out.append((datetime.datetime.strptime(m.group(2), "%Y%m%d-%H%M%S"), p))
            except ValueError:
                continue
    return sorted(out, key=lambda tp: (tp[0], tp[1].name), reverse=True)


def to_keep(times: list[datetime.datetime], daily: int, weekly: int, monthly: int) -> set[datetime.datetime]:
    """The usual rotation: the newest backup of each of the last `daily` days that have
    one, of the last `weekly` weeks and of the last `monthly` months; the newest always.
    All kept when the three are 0."""
    if not times:
        return set()
    if daily == weekly == monthly == 0:
        return set(times)
    ordered = sorted(times, reverse=True)
    kept = {ordered[0]}
    for count, period in ((daily, lambda t: t.date()), (weekly, lambda t: t.isocalendar()[:2]),
                          (monthly, lambda t: (t.year, t.month))):
        seen = []
        for t in ordered:
            p = period(t)
            if p not in seen:
                if len(seen) >= count:
                    break
                seen.append(p)
                kept.add(t)
    return kept


def prune(folder: os.PathLike | str, now: datetime.datetime | None = None, made: Path | None = None) -> list[Path]:
    """Remove this office's backups its rule does not keep (never `made`, the one just
    written, nor one dated later than now: a PC with a wrong clock), and `.partial` files
    left over by a backup cut off more than a day ago; returns what was removed."""
    from models import settings

    now = now or clock.now()
    found = [(t, p) for t, p in backups_in(folder, _office_id()) if t <= now]
    keep = to_keep([t for t, _p in found], settings.office.backup_keep_daily, settings.office.backup_keep_weekly,
                   settings.office.backup_keep_monthly)
    removed = []
    for t, p in found:
        if t not in keep and p != made:
            p.unlink()
            removed.append(p)
    limit = now.timestamp() - 86400
    for p in Path(folder).glob(f"estatedesk-*{SUFFIX}.partial"):
        if p.stat().st_mtime < limit:  # never one another PC is writing now
            p.unlink()
            removed.append(p)
    return removed


def removable_drives() -> list[tuple[str, str]]:
    """USB sticks and other removable drives: (path, label) for the backup dialog's list.
    Windows asks the system for drives of the removable type; elsewhere the mounts under
    /media and /run/media are listed."""
    if os.name == "nt":
        return _windows_removable()
    try:
        mounts = Path("/proc/mounts").read_text(encoding="utf-8", errors="replace")
    except OSError:
        return []
    return mounted_removable(mounts)


def mounted_removable(mounts: str) -> list[tuple[str, str]]:
    out = []
    for line in mounts.splitlines():
        parts = line.split()
        if len(parts) < 2:
            continue
        where = parts[1].replace("\\040", " ")
        if where.startswith(("/media/", "/run/media/")):
            out.append((where, Path(where).name))
    return out


def _windows_removable() -> list[tuple[str, str]]:  # pragma: no cover - Windows only
    import ctypes
    import string

    kernel32 = ctypes.windll.kernel32
    old_mode = kernel32.SetErrorMode(1)  # SEM_FAILCRITICALERRORS: an empty card reader asks nothing
    try:
        mask = kernel32.GetLogicalDrives()
        out = []
        for i, letter in enumerate(string.ascii_uppercase):
            if not mask & (1 << i):
                continue
            root = f"{letter}:\\"
            if kernel32.GetDriveTypeW(ctypes.c_wchar_p(root)) != 2:  # DRIVE_REMOVABLE
                continue
            label = ctypes.create_unicode_buffer(261)
            if kernel32.GetVolumeInformationW(ctypes.c_wchar_p(root), label, 261, None, None, None, None, 0):
                out.append((root, label.value))  # a drive with no stick in it is left out
        return out
    finally:
        kernel32.SetErrorMode(old_mode)


def _record(path: Path, at: datetime.datetime) -> None:
    """The last good backup, kept in the database (the next backup carries it)."""
    from models.migrations import AppMeta

    value = json.dumps({"at": at.isoformat(timespec="seconds"), "file": str(path)}, ensure_ascii=False)
    AppMeta.insert(key="last_backup", value=value).on_conflict(
        conflict_target=[AppMeta.key], update={AppMeta.value: value}).execute()


def last() -> tuple[datetime.datetime, str] | None:
    """When and where the last good backup was written, or None."""
    from models.migrations import AppMeta

    row = AppMeta.get_or_none(AppMeta.key == "last_backup")
    if row is None:
        return None
    value = json.loads(row.value)
    return datetime.datetime.fromisoformat(value["at"]), value["file"]


def reminder_due(at: datetime.datetime | None = None) -> datetime.datetime | None:
    """When a backup is due. With a nightly backup scheduled (models/schedule.py): the
    missed night's moment once it has passed, else None — the schedule's own threshold.
    Otherwise the last one's time plus the office's days (now when there never was one)."""
    from models import schedule, settings

    if schedule.current() is not None:
        return schedule.missed(at)
    done = last()
    if done is None:
        return at or clock.now()
    return done[0] + datetime.timedelta(days=settings.office.backup_remind_days)


def _sync_dir(path: Path) -> None:
    if hasattr(os, "O_DIRECTORY"):
        fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _open_zip(path: Path, password: str | None, work: Path) -> zipfile.ZipFile:
    try:
        with open(path, "rb") as f:
            sealed = f.read(len(MAGIC_SEALED)) == MAGIC_SEALED
        if not sealed:
            return zipfile.ZipFile(path)
        # opened in memory when it fits comfortably, else beside the work files
        if path.stat().st_size <= IN_MEMORY:
            plain = io.BytesIO()
            _unseal(path, plain, password)
            plain.seek(0)
            return zipfile.ZipFile(plain)
        with open(work / "backup.zip", "wb") as f:
            _unseal(path, f, password)
        return zipfile.ZipFile(work / "backup.zip")
    except (zipfile.BadZipFile, EOFError):
        raise BackupError(QT_TRANSLATE_NOOP("Office", "The backup file is damaged or incomplete")) from None
    except OSError as e:
        raise BackupError(QT_TRANSLATE_NOOP("Office", "The backup file cannot be read ({reason})"),
                          reason=e.strerror or str(e)) from None


def _check(z: zipfile.ZipFile, work: Path, deep: bool = True) -> tuple[Manifest, Path | None]:
    """The manifest, and (deep) the database extracted and put through its own integrity
    check; refuses what is damaged, incomplete, or made by a newer EstateDesk."""
    from models import migrations

    damaged = BackupError(QT_TRANSLATE_NOOP("Office", "The backup file is damaged or incomplete"))
    try:
        raw = json.loads(z.read("manifest.json"))
        manifest = Manifest(**{k: raw[k] for k in Manifest.__dataclass_fields__
                               if k in raw or k not in ("origin", "office_id")})
    except (KeyError, ValueError, TypeError, zipfile.BadZipFile):
        raise damaged from None
    if manifest.format > FORMAT or manifest.schema > migrations.LATEST:
        raise BackupError(QT_TRANSLATE_NOOP(
            "Office", "This backup was made by a newer EstateDesk (data version {version}); update this PC first"),
            version=manifest.schema)
    names = set(z.namelist()) - {"manifest.json"}
    if names != set(manifest.files) or DB_NAME not in names:
        raise damaged
    for name in names - {DB_NAME}:  # scans only, inside their folder
        parts = name.split("/")
        if not name.startswith("scans/") or "\\" in name or ".." in parts or "" in parts[1:]:
            raise damaged
    try:
        for name, info in manifest.files.items():
            h = hashlib.sha256()
            with z.open(name) as f:
                for block in iter(lambda: f.read(1 << 20), b""):
                    h.update(block)
            if h.hexdigest() != info["sha256"]:
                raise damaged
        if deep:
            z.extract(DB_NAME, work)
    except (zipfile.BadZipFile, OSError, EOFError):
        raise damaged from None
    if not deep:
        return manifest, None
    database = work / DB_NAME
    if not _integrity(database):
        raise damaged
    return _inside(database, manifest), database


_OFFICE_MARK = re.compile(r"^[0-9a-f]{8}$")


def _inside(database: Path, manifest: Manifest) -> Manifest:
    """The database a backup holds is EstateDesk's, of the version its manifest names;
    the manifest returned carries its office's mark. A file that is someone else's (or no
    database) is refused here, before anything is replaced."""
    from models.location import APP_NAME

    not_ours = BackupError(QT_TRANSLATE_NOOP("Office", "This backup does not hold an EstateDesk office's data"))
    try:
        con = sqlite3.connect(db.read_only_uri(database), uri=True)
        try:
            meta = {str(k): str(v) for k, v in con.execute("SELECT key, value FROM app_meta")}
        finally:
            con.close()
    except sqlite3.Error:
        raise not_ours from None
    if meta.get("app") != APP_NAME:
        raise not_ours
    office_id = meta.get("office_id", "")
    if meta.get("schema_version") != str(manifest.schema) or (office_id and not _OFFICE_MARK.match(office_id)):
        raise BackupError(QT_TRANSLATE_NOOP("Office", "The backup file is damaged or incomplete"))
    return dataclasses.replace(manifest, office_id=office_id)


def verify(path: os.PathLike | str, password: str | None = None, *, deep: bool = True) -> Manifest:
    """Check a backup without restoring it: the seal, every checksum, its version and (deep)
    the database inside: EstateDesk's, of that version, its office's mark, its own
    integrity check. Returns what it holds."""
    work = Path(tempfile.mkdtemp(prefix="estatedesk-verify-"))
    try:
        with _open_zip(Path(path), password, work) as z:
            manifest, _database = _check(z, work, deep)
        return manifest
    finally:
        shutil.rmtree(work, ignore_errors=True)


def restore(path: os.PathLike | str, target: os.PathLike | str | None, password: str | None = None, *,
            username: str = "", user_password: str = "", other_office: bool = False,
            safety_dir: os.PathLike | str | None = None, wait: float = 30.0) -> Path:
    """Put a backup in place of the office's data; returns where the data as it was is kept.

    An administrator's name and password are needed: checked against the office being
    replaced when it opens (a PC's file, or the server), else (a new PC, a lost file)
    against the backup's own users. The backup is checked whole first (the database inside
    too: EstateDesk's, of its version, whose office); another office's backup is refused
    unless `other_office` confirms it. The restore is audited in the restored data, and
    every gapless series there goes on after the highest number the replaced data had
    issued (the numbers only it had are listed as lost, for the next day close).

    `target` is the SQLite file of a single PC: the current file is first copied aside
    (under a temporary name until the copy is whole), and the backup is written into it
    through SQLite. With `target` None the office is the connected server database: its
    rows are first backed up into `safety_dir`, then replaced in one transaction. A lock
    held by another PC longer than `wait` seconds, a full disk or any failed check stops
    the restore with the live data untouched. A server's backup can be restored on a PC
    and a PC's on a server: its rows are loaded into a schema of its version."""
    deadline = time.monotonic() + wait
    work = Path(tempfile.mkdtemp(prefix="estatedesk-restore-"))
    previous = db.database.obj  # the caller's connection, given back as it was
    safety: Path | None = None
    made_safety = replaced = False
    try:
        with _open_zip(Path(path), password, work) as z:
            manifest, database = _check(z, work)
            scans = {name: Path(z.extract(name, work / "x")) for name in manifest.files if name.startswith("scans/")}
        if target is None:
            safety = _restore_server(database, manifest, Path(path),
                                     Path(safety_dir or db.default_data_dir() / "Backups"),
                                     username, user_password, other_office, wait)
            replaced = True
            _put_scans(scans)
            return safety
        target = Path(target)
        if manifest.origin == "server":
            database = _rebuilt(database, manifest, work)
        here = _open_live(target, wait)
        if here is not None:  # the office being replaced: its administrator, its mark, its numbers
            try:
                here = _checked_here(here, username, user_password)
            finally:
                db.close()
        else:
            who = _backup_admin(database, username, user_password)
        other = _other_office(here, manifest, other_office)
        safety = target.with_name(f"{target.stem}.before-restore-{clock.now():%Y%m%d-%H%M%S}{target.suffix}")
        if target.exists():
            _safety_copy(target, safety, deadline)
            made_safety = True
            if here is not None:  # the numbers as the copy holds them: what another window wrote since is in it
                here.issued = _issued_in(safety)
        db.connect(db.sqlite_url(database))  # the backup's data, brought up to this version's schema
        try:
            with db.atomic():
                _after_restore(Path(path), manifest, here.who if here else who, here, other, safety)
        finally:
            db.close()
        head = here.issued["head"] if here is not None else None
        _write_into(database, target, time.monotonic() + wait, head)  # its own wait, after the copy's
        replaced = True
        db.connect(db.sqlite_url(target))
        try:
            from models import audit

            audit.reanchor()  # the restored log is this PC's to check from now on
            _put_scans(scans)
        finally:
            db.close()
        return safety
    except BackupError:
        raise
    except _Changed:
        raise BackupError(_CHANGED) from None
    except (OSError, sqlite3.Error, OverflowError, pw.DatabaseError, _TimedOut) as e:
        raise _failed(e, wait, replaced) from None
    finally:
        if made_safety and not replaced:  # the live file is as it was: no copy of it to wonder about
            for p in (safety, Path(f"{safety}-wal")):
                p.unlink(missing_ok=True)
        shutil.rmtree(work, ignore_errors=True)
        if previous is not None and db.database.obj is not previous:
            if db.database.obj is not None:
                db.close()
            db.database.initialize(previous)


def _sqlite_code(e: BaseException | None) -> int | None:
    """SQLite's primary error code behind an error (peewee wraps the driver's), or None."""
    seen = 0
    while e is not None and seen < 5:
        if isinstance(e, sqlite3.Error) and getattr(e, "sqlite_errorcode", None) is not None:
            return e.sqlite_errorcode & 0xFF
        inner = [a for a in getattr(e, "args", ()) if isinstance(a, sqlite3.Error)]
        e = inner[0] if inner else (e.__cause__ or e.__context__)
        seen += 1
    return None


_CHANGED = QT_TRANSLATE_NOOP(
    "Office", "Someone wrote to the office's data at another PC or window while the restore was getting ready "
              "(a receipt, a repair …): nothing was replaced. Restore again: it goes on from what they wrote")

_PG_BUSY = ("55P03", "40P01")  # lock_timeout ran out; a deadlock (a payment at another PC), found and undone


def _sqlstate(e: BaseException | None) -> str | None:
    """The server's SQLSTATE behind an error (peewee wraps the driver's), or None."""
    seen = 0
    while e is not None and seen < 5:
        if getattr(e, "sqlstate", None):
            return e.sqlstate
        inner = [a for a in getattr(e, "args", ()) if isinstance(a, BaseException)]
        e = inner[0] if inner else (e.__cause__ or e.__context__)
        seen += 1
    return None


def _failed(e: BaseException, wait: float, replaced: bool) -> BackupError:
    """A restore that stopped, in the clerk's words."""
    code = _sqlite_code(e)
    text = str(e).lower()
    if not replaced:
        if (isinstance(e, _TimedOut) or code in (SQLITE_BUSY, SQLITE_LOCKED) or "database is locked" in text
                or _sqlstate(e) in _PG_BUSY):
            return BackupError(QT_TRANSLATE_NOOP(
                "Office", "Another PC or window kept the database busy for {seconds} seconds: the restore stopped "
                          "and nothing was replaced. Close EstateDesk on the other PCs and try again"),
                seconds=max(1, round(wait)))
        if getattr(e, "errno", None) == errno.ENOSPC or code == SQLITE_FULL or "disk is full" in text:
            return BackupError(QT_TRANSLATE_NOOP(
                "Office", "The disk is full: the restore stopped and nothing was replaced (no copy was left "
                          "behind). Free some space on the disk and try again"))
    return BackupError(QT_TRANSLATE_NOOP("Office", "The restore could not finish ({reason})"),
                       reason=getattr(e, "strerror", None) or str(e))


@dataclass
class _Here:
    """The office a restore replaces, as it opened: its mark and name, and (once its
    administrator is checked) who restores and every number it has issued."""
    office_id: str
    name: str
    who: SimpleNamespace | None = None
    issued: dict | None = None


def _open_live(target: Path, wait: float) -> _Here | None:
    """Connect to the PC's file being replaced, when it opens as an EstateDesk office with
    users (None: no file, an empty one, a damaged one, someone else's: replaced, a copy
    kept). Refused, with nothing replaced: a file written by a newer EstateDesk, a
    read-only one, one whose upgrade to this version fails, a lock held longer than `wait`
    seconds. An older office is brought up to this version first, as opening it would."""
    from models import migrations, users
    from models.errors import DatabaseReadOnly, DatabaseTooNew

    if not target.exists() or target.stat().st_size == 0:
        return None
    try:
        db.check_sqlite_file(target)
    except (DatabaseTooNew, DatabaseReadOnly, db.DatabaseBusy):
        raise
    except OfficeError:  # not an EstateDesk database (or its first page damaged)
        return None
    theirs = db.database.obj  # the caller's connection is not ours to close
    try:
        db.connect(db.sqlite_url(target), migrate=False)
        db.database.execute_sql(f"PRAGMA busy_timeout = {max(50, int(wait * 1000))}")
        if not db.database.table_exists("app_user") or not users.User.select().exists():
            db.close()
            return None
    except (sqlite3.Error, pw.DatabaseError, OSError) as e:
        if db.database.obj is not theirs:
            db.close()
        if _sqlite_code(e) in (SQLITE_BUSY, SQLITE_LOCKED) or "database is locked" in str(e).lower():
            raise
        if isinstance(e, (sqlite3.DatabaseError, pw.DatabaseError)) and (
                _sqlite_code(e) in (SQLITE_CORRUPT, SQLITE_NOTADB) or "malformed" in str(e).lower()):
            return None  # damaged: the backup takes its place
        raise
    try:
        migrations.upgrade()
        return _office_here()
    except Exception as e:
        db.close()
        if isinstance(e, OfficeError) or _sqlite_code(e) in (SQLITE_BUSY, SQLITE_LOCKED) \
                or "database is locked" in str(e).lower():
            raise
        raise BackupError(QT_TRANSLATE_NOOP(
            "Office", "The office's data here could not be brought up to this version of EstateDesk ({reason}): "
                      "nothing was replaced. Call for help before restoring over it"), reason=str(e)[:200]) from e


def _issued_in(copy: Path) -> dict:
    """`_numbers_issued` of the safety copy of a PC's file (one moment of the live data)."""
    db.connect(db.sqlite_url(copy), migrate=False)
    try:
        return _numbers_issued()
    finally:
        db.close()


def _office_here() -> _Here:
    """The connected office's mark (never made here) and name."""
    from models import estate
    from models.migrations import AppMeta

    row = AppMeta.get_or_none(AppMeta.key == "office_id")
    return _Here(row.value if row else "", estate.profile().name)


def _checked_here(here: _Here, username: str, password: str) -> _Here:
    """The connected office's administrator signs in (refused, logged and throttled as any
    sign-in); what it has issued is read for the restored data to go on from."""
    from models import users

    user = users.login(username or "", password or "")
    users.require(user, "backup.restore")
    here.who = SimpleNamespace(id=user.id, username=user.username)
    here.issued = _numbers_issued()
    return here


def _backup_admin(database: Path, username: str, password: str) -> SimpleNamespace:
    """A new PC (no office to replace): the administrator is one of the backup's own users."""
    from models import users

    wrong = OfficeError(QT_TRANSLATE_NOOP("Office", "Wrong user name or password"))
    con = sqlite3.connect(db.read_only_uri(database), uri=True)
    try:
        row = con.execute("SELECT id, username, password_hash, roles, active FROM app_user WHERE username = ?",
                          ((username or "").strip(),)).fetchone()
    except sqlite3.Error:
        row = None
    finally:
        con.close()
    if row is None or not row[4] or not users._password_matches(row[2], password or ""):
        raise wrong
    if not any("backup.restore" in users.PERMISSIONS.get(r, set()) for r in str(row[3] or "").split(",")):
        raise PermissionDenied("backup.restore")
    return SimpleNamespace(id=row[0], username=row[1])


def _office_label(name: str, mark: str) -> str:
    return f"{name or '-'} ({mark})" if mark else (name or "-")


def _other_office(here: _Here | None, manifest: Manifest, confirmed: bool) -> bool:
    """Whether the backup is of another office than the one it replaces; refused unless
    confirmed. Offices are told by their marks; a backup from before marks by its name."""
    if here is None:
        return False
    if here.office_id and manifest.office_id:
        other = here.office_id != manifest.office_id
    else:
        other = bool(here.name and manifest.office and here.name != manifest.office)
    if other and not confirmed:
        raise OtherOffice(_office_label(here.name, here.office_id), _office_label(manifest.office, manifest.office_id))
    return other


def _numbers_issued() -> dict:
    """Every gapless series of the connected office: each receipt series (its next number,
    every number used on a receipt or a form, its look, whether it is the one in use), each
    document counter's next number, the numbers lost in earlier restores, and the audit
    chain's head (what any later write moves)."""
    from models import audit, cashier, numbering

    receipts = {}
    for s in cashier.ReceiptSeries.select():
        used = {n for (n,) in cashier.Receipt.select(cashier.Receipt.number)
                .where(cashier.Receipt.series == s).tuples()}
        used |= {n for (n,) in cashier.SpoiledNumber.select(cashier.SpoiledNumber.number)
                 .where(cashier.SpoiledNumber.series == s).tuples()}
        receipts[s.code] = dict(next=s.next_number, prefix=s.prefix, width=s.width, active=s.active, used=used)
    counters = {c.name: c.next_number for c in numbering.Counter.select()}
    head = audit.ChainHead.get_or_none(audit.ChainHead.id == audit.HEAD)
    return dict(receipts=receipts, counters=counters, lost=numbering.lost(),
                head=(head.last_id, head.last_hash) if head is not None else ())


def _continue_numbers(issued: dict, reason: dict, who_id: int | None) -> list:
    """In the restored data (connected, inside the restore's transaction): every series
    goes on after the highest number the replaced data issued, a receipt series from a new
    range; the numbers only the replaced data had are recorded as lost. Returns the runs."""
    from models import cashier, numbering

    lost: list[numbering.LostRun] = []  # this restore's
    carried: list[numbering.LostRun] = []  # earlier restores', listed first
    now = clock.now()

    def add(series: str, numbers) -> None:
        lost.extend(numbering.LostRun(series, a, b, **reason) for a, b in numbering.runs(numbers))

    for code, before in issued["receipts"].items():
        series = cashier.ReceiptSeries.get_or_none(cashier.ReceiptSeries.code == code)
        if series is None:  # begun after the backup was made
            series = cashier.ReceiptSeries.create(code=code, prefix=before["prefix"], width=before["width"],
                                                  next_number=before["next"], active=False)
            cashier.NumberRange.create(series=series, first=before["next"], set_at=now, set_by=who_id)
            used = set()
        else:
            used = {n for (n,) in cashier.Receipt.select(cashier.Receipt.number)
                    .where(cashier.Receipt.series == series).tuples()}
            used |= {n for (n,) in cashier.SpoiledNumber.select(cashier.SpoiledNumber.number)
                     .where(cashier.SpoiledNumber.series == series).tuples()}
            if before["next"] > series.next_number:
                (cashier.NumberRange.update(last=series.next_number - 1)
                 .where(cashier.NumberRange.series == series, cashier.NumberRange.last.is_null()).execute())
                cashier.NumberRange.create(series=series, first=before["next"], set_at=now, set_by=who_id)
                cashier.ReceiptSeries.update(next_number=before["next"]).where(
                    cashier.ReceiptSeries.id == series.id).execute()
        add(numbering.RECEIPTS + code, before["used"] - used)
        for r in issued["lost"]:  # lost in an earlier restore, and still not in these data
            if r.series == numbering.RECEIPTS + code:
                carried.extend(numbering.LostRun(r.series, a, b, r.restored_at, r.backup, r.made, r.by)
                            for a, b in numbering.runs(n for n in range(r.first, r.last + 1) if n not in used))
    in_use = [code for code, before in issued["receipts"].items() if before["active"]]
    if in_use:  # the forms in the printer are of the series the replaced data was numbering
        cashier.ReceiptSeries.update(active=False).where(cashier.ReceiptSeries.code != in_use[0]).execute()
        cashier.ReceiptSeries.update(active=True).where(cashier.ReceiptSeries.code == in_use[0]).execute()
    here_next = {c.name: c.next_number for c in numbering.Counter.select()}  # every number below was issued here
    for name, before_next in issued["counters"].items():
        now_next = here_next.get(name, 1)
        if before_next > now_next:
            add(name, range(now_next, before_next))
            numbering.Counter.insert(name=name, next_number=before_next).on_conflict(
                conflict_target=[numbering.Counter.name], update={numbering.Counter.next_number: before_next}).execute()
    for r in issued["lost"]:  # a counter's numbers lost in an earlier restore, and not issued in these data
        if not r.series.startswith(numbering.RECEIPTS):
            carried.extend(numbering.LostRun(r.series, a, b, r.restored_at, r.backup, r.made, r.by) for a, b in
                        numbering.runs(n for n in range(r.first, r.last + 1) if n >= here_next.get(r.series, 1)))
    numbering.record_lost(carried + lost)
    return lost


def _after_restore(path: Path, manifest: Manifest, who: SimpleNamespace, here: _Here | None, other: bool,
                   safety: Path | None) -> None:
    """The restored data (connected, in the restore's transaction): numbers that go on
    from the replaced data's (the same office's only), the backup counted as the last good
    one, and the restore audited: who, which backup, which office, where the data before is."""
    from models import audit, users

    me = users.User.get_or_none(users.User.username == who.username)
    actor = me if me is not None else SimpleNamespace(id=None, username=who.username)
    lost = []
    if here is not None and here.issued is not None and not other:
        reason = dict(restored_at=clock.now().isoformat(timespec="seconds"), backup=path.name,
                      made=manifest.created_at, by=who.username)
        lost = _continue_numbers(here.issued, reason, me.id if me is not None else None)
    _record(path, manifest.created)  # the backup just restored is a good one
    mark = audit.mark_restored()  # every PC's audit anchor of the log replaced is void: each checks this one whole
    texts: dict[str, list[str]] = {}
    for r in lost:
        texts.setdefault(r.series, []).append(str(r.first) if r.first == r.last else f"{r.first}-{r.last}")
    audit.record(actor, "backup.restore", "backup", None, f"{manifest.created_at} {path.name}", {
        "backup": str(path), "made": manifest.created_at, "office": manifest.office, "office_id": manifest.office_id,
        "replaced": _office_label(here.name, here.office_id) if here else "", "other_office": other,
        "safety": str(safety) if safety else "", "lost": {k: ", ".join(v) for k, v in texts.items()},
        "mark": mark})


def _put_scans(scans: dict[str, Path]) -> None:
    if not scans:
        return
    from models import documents

    root = documents.scan_dir()  # the office's shared scan folder, or beside the database
    for name, extracted in scans.items():
        dest = root / name[len("scans/"):]
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(extracted, dest)


def _restore_server(database: Path, manifest: Manifest, path: Path, safety_dir: Path, username: str,
                    user_password: str, other_office: bool, wait: float = 30.0) -> Path:
    """The connected server's rows replaced by the backup's, in one transaction: its
    administrator checked first (the backup's, on an empty server), the data as it was
    backed up; the schema is rebuilt at the backup's version when it is older, the rows
    loaded, the migrations bring it up to date, and the numbers and the audit entry are
    written as on a PC. PostgreSQL's DDL is transactional: a failure anywhere leaves the
    server as it was."""
    from models import audit, migrations, transport, users

    if db.is_sqlite():
        raise BackupError(QT_TRANSLATE_NOOP("Office", "Choose the database file to restore into"))
    if users.User.select().exists():
        here = _checked_here(_office_here(), username, user_password)
        who = here.who
    else:
        here, who = None, _backup_admin(database, username, user_password)
    other = _other_office(here, manifest, other_office)
    safety_dir.mkdir(parents=True, exist_ok=True)
    safety, made = None, clock.now()
    try:
        with db.atomic():
            # every table first, all at once: no PC writes until the restore is done, and none
            # holds a table the restore needs next (a payment half-way, which would deadlock)
            db.database.execute_sql(f"SET LOCAL lock_timeout = '{max(50, int(wait * 1000))}ms'")
            tables = db.database.get_tables()
            if tables:
                db.database.execute_sql("LOCK TABLE " + ", ".join(f'"{t}"' for t in tables)
                                        + " IN ACCESS EXCLUSIVE MODE")
            db.database.execute_sql("SET LOCAL lock_timeout = 0")
            # under the locks: the data as it is replaced, and every number it issued
            safety = create(safety_dir, office=manifest.office, keep=False, now=made)
            if here is not None:
                here.issued = _numbers_issued()
            if migrations.current_version() != manifest.schema:
                tables = db.database.get_tables()
                if tables:
                    db.database.execute_sql("DROP TABLE " + ", ".join(f'"{t}"' for t in tables) + " CASCADE")
                migrations.upgrade(target=manifest.schema)
            transport.load_rows(database)
            migrations.upgrade()
            _after_restore(path, manifest, who, here, other, safety)
    except BaseException:
        if safety is not None:  # the server as it was, and its copy: the last good backup all the same
            try:
                with db.atomic():
                    _record(safety, made)
            except Exception:  # noqa: BLE001 - the restore's own failure is what the clerk is told
                pass
        raise
    audit.reanchor()
    return safety


def _rebuilt(source: Path, manifest: Manifest, work: Path) -> Path:
    """A server's rows (exported into `source`) in a proper SQLite office file of their
    version: the schema made by the migrations, then the rows loaded."""
    from models import migrations, transport

    fresh = work / "rebuilt.sqlite"
    db.connect(db.sqlite_url(fresh), migrate=False)
    try:
        migrations.upgrade(target=manifest.schema)
        db.database.execute_sql("PRAGMA foreign_keys = OFF")  # no effect inside a transaction
        with db.atomic():
            transport.load_rows(source)
            broken = db.database.execute_sql("PRAGMA foreign_key_check").fetchall()
            if broken:
                raise BackupError(QT_TRANSLATE_NOOP("Office", "The backup file is damaged or incomplete"))
    finally:
        db.close()
    return fresh


def _safety_copy(target: Path, safety: Path, deadline: float | None = None) -> None:
    """The data a restore replaces, kept: through SQLite when it can still read the file,
    else (a damaged file) the file and its log as they are. Written under a temporary name,
    synced, checked and only then named: a full disk or a lock leaves no copy that looks
    whole (a cut-off copy would open as an empty office)."""
    partial = safety.with_name(safety.name + ".partial")
    logs = [Path(f"{partial}-wal"), Path(f"{partial}-journal"), Path(f"{partial}-shm")]
    try:
        try:
            snapshot(target, partial, deadline)
            whole = _integrity(partial, quick=True)
        except sqlite3.DatabaseError as e:
            if not _damaged(e):  # busy, a full disk …: the restore stops
                raise
            partial.unlink(missing_ok=True)
            shutil.copyfile(target, partial)
            wal = Path(str(target) + "-wal")
            if wal.exists():
                shutil.copyfile(wal, logs[0])
            whole = True  # the damaged file as it was, byte for byte
        if not whole:
            raise OSError(errno.EIO, "the copy of the data before the restore did not read back whole")
        for p in (partial, logs[0]):
            if p.exists():
                with open(p, "rb+") as f:
                    os.fsync(f.fileno())
        if logs[0].exists():
            os.replace(logs[0], Path(f"{safety}-wal"))
        os.replace(partial, safety)
        _sync_dir(safety.parent)
    finally:
        for p in (partial, *logs):
            p.unlink(missing_ok=True)


def _write_into(database: Path, target: Path, deadline: float | None = None, head: tuple | None = None) -> None:
    """The backup's pages written into the live file by SQLite (it takes the locks, and
    other windows see the restored data; a lock still held at `deadline` stops it with the
    file as it was); a file SQLite cannot open is replaced. `head`: the live file's audit
    chain head when its numbers were read; once the copy holds the file, a head that moved
    since (a receipt taken meanwhile in another window) stops it with the file as it was."""
    def unchanged():
        con = sqlite3.connect(db.read_only_uri(target), uri=True, timeout=1)
        try:
            now = con.execute("SELECT last_id, last_hash FROM audit_chain WHERE id = 1").fetchone()
        finally:
            con.close()
        if tuple(now or ()) != tuple(head):
            raise _Changed()

    try:
        src = sqlite3.connect(database)
        dst = sqlite3.connect(target, timeout=_left(deadline))
        try:
            dst.execute("PRAGMA schema_version").fetchone()  # can it read the live file at all?
            _copy_pages(src, dst, deadline, unchanged if head is not None else None)
        finally:
            dst.close()
            src.close()
    except sqlite3.DatabaseError as e:
        if not _damaged(e):  # busy, a full disk, …: the live file stays as it is
            raise
        # the live file is damaged: the backup's file takes its place (copied beside it first)
        beside = target.with_name(target.name + ".restoring")
        try:
            shutil.copyfile(database, beside)
            for suffix in ("-wal", "-shm"):
                Path(str(target) + suffix).unlink(missing_ok=True)
            os.replace(beside, target)
        finally:
            beside.unlink(missing_ok=True)
