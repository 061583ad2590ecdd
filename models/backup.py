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

import datetime
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
import zipfile
from dataclasses import dataclass
from pathlib import Path

import peewee as pw

from models import clock, db
from models.errors import OfficeError, QT_TRANSLATE_NOOP

FORMAT = 2  # 1: an SQLite office's file; 2: also a server's rows exported into one (origin "server")
SUFFIX = ".edbackup"
MAGIC_SEALED = b"EDBKAES1"
DB_NAME = "estatedesk.sqlite"
SCRYPT = dict(n=2 ** 15, r=8, p=1, maxmem=64 * 1024 * 1024, dklen=32)


class BackupError(OfficeError):
    """A backup that cannot be used, or made; the message says why in the clerk's words."""


@dataclass(frozen=True)
class Manifest:
    format: int
    schema: int
    created_at: str
    office: str
    counts: dict
    files: dict  # member name → {"sha256", "size"}
    origin: str = "sqlite"  # "server": the rows of a server database, exported into an SQLite file

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
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=30) if read_only else sqlite3.connect(path)
    try:
        con.execute("PRAGMA mmap_size = 1073741824")  # pages read in place: a quicker check
        return con.execute("PRAGMA quick_check" if quick else "PRAGMA integrity_check").fetchone()[0] == "ok"
    except sqlite3.DatabaseError as e:
        if _damaged(e):
            return False
        raise
    finally:
        con.close()


def snapshot(source: Path, target: Path) -> None:
    """A consistent copy of a live SQLite database (the online backup API: other PCs and
    windows may keep writing)."""
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True, timeout=30)
    dst = sqlite3.connect(target)
    try:
        src.backup(dst)
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
        _record(final, now)
        if keep and _healthy(now):
            try:
                prune(dest, now, final)
            except OSError:  # a file another PC holds open: the next backup tries again
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
    keep = to_keep([t for t, _p in found], settings.get("backup_keep_daily"), settings.get("backup_keep_weekly"),
                   settings.get("backup_keep_monthly"))
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
    """When a backup is due: the last one's time plus the office's days (now when there
    never was one)."""
    from models import settings

    done = last()
    if done is None:
        return at or clock.now()
    return done[0] + datetime.timedelta(days=settings.get("backup_remind_days"))


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
        manifest = Manifest(**{k: raw[k] for k in Manifest.__dataclass_fields__ if k in raw or k != "origin"})
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
    return manifest, database


def verify(path: os.PathLike | str, password: str | None = None, *, deep: bool = True) -> Manifest:
    """Check a backup without restoring it: the seal, every checksum, its version and (deep)
    the database's own integrity check. Returns what it holds."""
    work = Path(tempfile.mkdtemp(prefix="estatedesk-verify-"))
    try:
        with _open_zip(Path(path), password, work) as z:
            manifest, _database = _check(z, work, deep)
        return manifest
    finally:
        shutil.rmtree(work, ignore_errors=True)


def restore(path: os.PathLike | str, target: os.PathLike | str | None, password: str | None = None, *,
            safety_dir: os.PathLike | str | None = None) -> Path:
    """Put a backup in place of the office's data; returns where the data as it was is kept.

    `target` is the SQLite file of a single PC: the current file is first copied aside, and
    the backup is written into it through SQLite, which waits for any other connection's
    writes. With `target` None the office is the connected server database: its rows are
    first backed up into `safety_dir`, then replaced in one transaction (all or nothing).
    Either way a backup of an older version is upgraded by the migrations, and one that
    fails any check leaves the live data untouched. A server's backup can be restored on
    a PC and a PC's on a server: its rows are loaded into a schema of its version."""
    work = Path(tempfile.mkdtemp(prefix="estatedesk-restore-"))
    try:
        with _open_zip(Path(path), password, work) as z:
            manifest, database = _check(z, work)
            scans = {name: Path(z.extract(name, work / "x")) for name in manifest.files if name.startswith("scans/")}
        if target is None:
            safety = _restore_server(database, manifest, Path(safety_dir or db.default_data_dir() / "Backups"))
            _put_scans(scans)
            _record(Path(path), manifest.created)  # the backup just restored is a good one
            return safety
        target = Path(target)
        if manifest.origin == "server":
            database = _rebuilt(database, manifest, work)
        safety = target.with_name(f"{target.stem}.before-restore-{clock.now():%Y%m%d-%H%M%S}{target.suffix}")
        if target.exists():
            _safety_copy(target, safety)
        _write_into(database, target)
        db.connect(db.sqlite_url(target))  # an older backup is upgraded here
        try:
            _put_scans(scans)
            _record(Path(path), manifest.created)  # the backup just restored is a good one
        finally:
            db.close()
        return safety
    except (OSError, sqlite3.Error, OverflowError, pw.DatabaseError) as e:
        raise BackupError(QT_TRANSLATE_NOOP("Office", "The restore could not finish ({reason})"),
                          reason=getattr(e, "strerror", None) or str(e)) from None
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _put_scans(scans: dict[str, Path]) -> None:
    if not scans:
        return
    from models import documents

    root = documents.scan_dir()  # the office's shared scan folder, or beside the database
    for name, extracted in scans.items():
        dest = root / name[len("scans/"):]
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(extracted, dest)


def _restore_server(database: Path, manifest: Manifest, safety_dir: Path) -> Path:
    """The connected server's rows replaced by the backup's, in one transaction: the data as
    it was is backed up first; the schema is rebuilt at the backup's version when it is
    older, the rows loaded, and the migrations bring it up to date. PostgreSQL's DDL is
    transactional: a failure anywhere leaves the server as it was."""
    from models import migrations, transport

    if db.is_sqlite():
        raise BackupError(QT_TRANSLATE_NOOP("Office", "Choose the database file to restore into"))
    safety_dir.mkdir(parents=True, exist_ok=True)
    safety = create(safety_dir, office=manifest.office, keep=False)
    with db.atomic():
        if migrations.current_version() != manifest.schema:
            tables = db.database.get_tables()
            if tables:
                db.database.execute_sql("DROP TABLE " + ", ".join(f'"{t}"' for t in tables) + " CASCADE")
            migrations.upgrade(target=manifest.schema)
        transport.load_rows(database)
        migrations.upgrade()
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


def _safety_copy(target: Path, safety: Path) -> None:
    """The data a restore replaces, kept: through SQLite when it can still read the file,
    else the file (and its log) as they are."""
    try:
        snapshot(target, safety)
    except sqlite3.DatabaseError:
        safety.unlink(missing_ok=True)
        shutil.copyfile(target, safety)
        wal = Path(str(target) + "-wal")
        if wal.exists():
            shutil.copyfile(wal, Path(str(safety) + "-wal"))


def _write_into(database: Path, target: Path) -> None:
    """The backup's pages written into the live file by SQLite (it takes the locks, and
    other windows see the restored data); a file SQLite cannot open is replaced."""
    try:
        src = sqlite3.connect(database)
        dst = sqlite3.connect(target, timeout=30)
        try:
            dst.execute("PRAGMA schema_version").fetchone()  # can it read the live file at all?
            src.backup(dst)
        finally:
            dst.close()
            src.close()
    except sqlite3.DatabaseError as e:
        if not _damaged(e):  # busy, a full disk, …: the live file stays as it is
            raise
        # the live file is damaged: the backup's file takes its place (copied beside it first)
        beside = target.with_name(target.name + ".restoring")
        shutil.copyfile(database, beside)
        for suffix in ("-wal", "-shm"):
            Path(str(target) + suffix).unlink(missing_ok=True)
        os.replace(beside, target)
