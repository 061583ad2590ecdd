"""Backups of the office (an SQLite database and its scans) into one file, checked before
it gets its name, and restores that keep a safety copy of the live data first.

A backup is a zip holding `manifest.json` (format, the schema version, when, the office,
row counts, and a SHA-256 of every other member), `estatedesk.sqlite` (a consistent
snapshot made with SQLite's online backup while clerks keep working) and `scans/…`.
With a password the whole zip is sealed with AES-256-GCM under a key from scrypt; the
file then starts with MAGIC_SEALED, the salt and the nonce.

A backup is written under a temporary name in the destination folder, flushed to the disk,
verified, and only then renamed to its final name: a pulled USB stick or a full disk leaves
at most a `.partial` file, never a damaged file under a good name, and never touches the
backups already there."""
from __future__ import annotations

import datetime
import hashlib
import json
import os
import shutil
import sqlite3
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

import peewee as pw

from models import clock, db
from models.errors import OfficeError, QT_TRANSLATE_NOOP

FORMAT = 1
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

    @property
    def created(self) -> datetime.datetime:
        return datetime.datetime.fromisoformat(self.created_at)


def _sqlite_file() -> Path:
    obj = db.database.obj
    path = getattr(obj, "database", None)
    if not isinstance(obj, pw.SqliteDatabase) or not path or path == ":memory:":
        raise BackupError(QT_TRANSLATE_NOOP(
            "Office", "This office's data is on a server: back it up on the server (pg_dump)"))
    return Path(path)


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _counts(path: Path) -> dict:
    con = sqlite3.connect(path)
    try:
        tables = [r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table' "
                                            "AND name NOT LIKE 'sqlite_%' ORDER BY name")]
        return {t: con.execute(f'SELECT COUNT(*) FROM "{t}"').fetchone()[0] for t in tables}
    finally:
        con.close()


def _schema(path: Path) -> int:
    con = sqlite3.connect(path)
    try:
        row = con.execute("SELECT value FROM app_meta WHERE key = 'schema_version'").fetchone()
        return int(row[0]) if row else 0
    except sqlite3.Error:
        return 0
    finally:
        con.close()


def _integrity(path: Path, quick: bool = False) -> bool:
    """SQLite's own check of every page (quick: without cross-checking the indexes)."""
    con = sqlite3.connect(path)
    try:
        return con.execute("PRAGMA quick_check" if quick else "PRAGMA integrity_check").fetchone()[0] == "ok"
    except sqlite3.DatabaseError:
        return False
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


def _key(password: str, salt: bytes) -> bytes:
    return hashlib.scrypt(password.encode("utf-8"), salt=salt, **SCRYPT)


CHUNK = 16 * 1024 * 1024  # sealed in pieces: no size limit, and never all in memory


def _aad(index: int, last: bool) -> bytes:
    # each piece says where it stands and whether it ends the file: no piece can be moved,
    # dropped or cut off without the seal failing
    return MAGIC_SEALED + index.to_bytes(8, "big") + (b"\x01" if last else b"\x00")


def _seal(plain: Path, sealed: Path, password: str) -> None:
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    salt, prefix = os.urandom(16), os.urandom(4)
    aes = AESGCM(_key(password, salt))
    size = plain.stat().st_size
    with open(plain, "rb") as src, open(sealed, "wb") as out:
        out.write(MAGIC_SEALED + salt + prefix)
        index, done = 0, 0
        while True:
            piece = src.read(CHUNK)
            done += len(piece)
            last = done >= size
            box = aes.encrypt(prefix + index.to_bytes(8, "big"), piece, _aad(index, last))
            out.write(len(box).to_bytes(4, "big") + box)
            index += 1
            if last:
                break


def _unseal(sealed: Path, plain: Path, password: str | None) -> None:
    from cryptography.exceptions import InvalidTag
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    if not password:
        raise BackupError(QT_TRANSLATE_NOOP("Office", "This backup is protected by a password: enter it"))
    damaged = BackupError(QT_TRANSLATE_NOOP("Office", "The backup file is damaged or incomplete"))
    with open(sealed, "rb") as src, open(plain, "wb") as out:
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
           now: datetime.datetime | None = None) -> Path:
    """Back the office up into `dest_dir`; returns the new file. Checked before it is named."""
    source = _sqlite_file()
    dest = Path(dest_dir)
    if not dest.is_dir():
        raise BackupError(QT_TRANSLATE_NOOP("Office", "The backup folder {folder} is not there"), folder=str(dest))
    now = now or clock.now()
    final = dest / f"estatedesk-{now:%Y%m%d-%H%M%S}{SUFFIX}"
    n = 1
    while final.exists():  # two backups in one second (or two PCs) never overwrite each other
        n += 1
        final = dest / f"estatedesk-{now:%Y%m%d-%H%M%S}-{n}{SUFFIX}"
    work = Path(tempfile.mkdtemp(prefix="estatedesk-backup-"))
    partial = dest / (final.name + ".partial")
    try:
        copy = work / DB_NAME
        snapshot(source, copy)
        if not _integrity(copy, quick=True):
            raise BackupError(QT_TRANSLATE_NOOP(
                "Office", "The live database fails its integrity check: call for help before backing it up"))
        scans = _scan_files()
        files = {DB_NAME: {"sha256": _sha256(copy), "size": copy.stat().st_size}}
        for path, name in scans:
            files[name] = {"sha256": _sha256(path), "size": path.stat().st_size}
        manifest = dict(format=FORMAT, schema=_schema(copy), created_at=now.isoformat(timespec="seconds"),
                        office=office, counts=_counts(copy), files=files)
        plain = partial if not password else work / "plain.zip"
        with zipfile.ZipFile(plain, "w", zipfile.ZIP_STORED) as z:
            z.writestr("manifest.json", json.dumps(manifest, ensure_ascii=False, indent=1))
            z.write(copy, DB_NAME)
            for path, name in scans:
                z.write(path, name)
        if password:
            _seal(plain, partial, password)
        with open(partial, "rb+") as f:
            os.fsync(f.fileno())
        verify(partial, password, deep=False)  # what reached the disk is what was checked
        os.replace(partial, final)
        _sync_dir(dest)
        _record(final, now)
        return final
    except (OSError, sqlite3.Error, OverflowError) as e:
        raise BackupError(QT_TRANSLATE_NOOP("Office", "The backup could not be written ({reason}); the backups "
                                                      "already there are untouched"),
                          reason=getattr(e, "strerror", None) or str(e)) from None
    finally:
        shutil.rmtree(work, ignore_errors=True)
        try:
            partial.unlink()
        except OSError:
            pass


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
    never was one); None on a server database, which is backed up on the server."""
    from models import settings

    if not isinstance(db.database.obj, pw.SqliteDatabase):
        return None
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
        if sealed:
            plain = work / "backup.zip"
            _unseal(Path(path), plain, password)
        else:
            plain = Path(path)
        return zipfile.ZipFile(plain)
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
        manifest = Manifest(**{k: raw[k] for k in Manifest.__dataclass_fields__})
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
    the database's own integrity check. Returns what it holds. Right after writing, the
    checksums suffice: they match the snapshot that passed its integrity check."""
    work = Path(tempfile.mkdtemp(prefix="estatedesk-verify-"))
    try:
        with _open_zip(Path(path), password, work) as z:
            manifest, _database = _check(z, work, deep)
        return manifest
    finally:
        shutil.rmtree(work, ignore_errors=True)


def restore(path: os.PathLike | str, target: os.PathLike | str, password: str | None = None) -> Path:
    """Put a backup in place of the database at `target`. The current data is first copied
    aside (returned); the backup is written into the database through SQLite, which waits
    for any other connection's writes; a backup of an older version is upgraded by the
    migrations; one that fails any check leaves the live data untouched."""
    target = Path(target)
    work = Path(tempfile.mkdtemp(prefix="estatedesk-restore-"))
    try:
        with _open_zip(Path(path), password, work) as z:
            manifest, database = _check(z, work)
            scans = {name: Path(z.extract(name, work / "x")) for name in manifest.files if name.startswith("scans/")}
        safety = target.with_name(f"{target.stem}.before-restore-{clock.now():%Y%m%d-%H%M%S}{target.suffix}")
        if target.exists():
            _safety_copy(target, safety)
        _write_into(database, target)
        db.connect(db.sqlite_url(target))  # an older backup is upgraded here
        try:
            if scans:
                from models import documents

                root = documents.scan_dir()  # the office's shared scan folder, or beside the database
                for name, extracted in scans.items():
                    dest = root / name[len("scans/"):]
                    dest.parent.mkdir(parents=True, exist_ok=True)
                    shutil.copyfile(extracted, dest)
        finally:
            db.close()
        return safety
    except (OSError, sqlite3.Error, OverflowError) as e:
        raise BackupError(QT_TRANSLATE_NOOP("Office", "The restore could not finish ({reason})"),
                          reason=getattr(e, "strerror", None) or str(e)) from None
    finally:
        shutil.rmtree(work, ignore_errors=True)


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
    except sqlite3.DatabaseError:  # the live file is damaged: put the backup's file in its place
        for suffix in ("-wal", "-shm"):
            Path(str(target) + suffix).unlink(missing_ok=True)
        shutil.copyfile(database, target)
