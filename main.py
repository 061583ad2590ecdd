"""EstateDesk (物业服务台): the front desk of a residential estate's management office.

    python main.py [--db PATH|URL] [--lang zh_CN|en]          start the window
    python main.py demo [--size small|large] [--db PATH] [--no-gui]
                                                              make (once) and open a demo estate
    python main.py [--db PATH] backup --to FOLDER [--password-env NAME]
    python main.py verify-backup FILE [--password-env NAME]
    python main.py [--db PATH] restore FILE [--password-env NAME]
                                                              no window; exit 0 when done, else 1 and
                                                              one line on stderr saying why
"""
from __future__ import annotations

import sys

from ui import crash

crash.install()  # first: whatever happens next is logged and shown calmly

import argparse  # noqa: E402
from pathlib import Path  # noqa: E402


def parse(argv: list[str]) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="estatedesk", description="EstateDesk (物业服务台)")
    p.add_argument("--db", help="database file path, or postgresql://user:password@host/name")
    p.add_argument("--lang", choices=["zh_CN", "en"], help="UI language for this start")
    sub = p.add_subparsers(dest="command")
    d = sub.add_parser("demo", help="make a demo estate (once) and open it")
    d.add_argument("--size", choices=["small", "large"], default="small")
    d.add_argument("--db", dest="demo_db", help="where to keep the demo database")
    d.add_argument("--no-gui", action="store_true", help="only make the database")
    b = sub.add_parser("backup", help="back the office up into a folder (a USB stick)")
    b.add_argument("--to", required=True, help="the folder to write the backup into")
    v = sub.add_parser("verify-backup", help="check a backup file without restoring it")
    v.add_argument("file")
    r = sub.add_parser("restore", help="put a backup in place of the office's database (a copy is kept)")
    r.add_argument("file")
    for cmd in (b, v, r):
        cmd.add_argument("--password-env", metavar="NAME",
                         help="the environment variable that holds the backup's password")
    return p.parse_args(argv)


def say(line: str, error: bool = False) -> None:
    """One line for the script that ran us; also kept in the commands log, because the
    windowed Windows build has no console (its stdout and stderr are None)."""
    import datetime

    from models import db

    stream = sys.stderr if error else sys.stdout
    if stream is not None:
        print(line, file=stream, flush=True)
    try:
        logs = db.default_data_dir() / "Logs"
        logs.mkdir(parents=True, exist_ok=True)
        with open(logs / "commands.log", "a", encoding="utf-8") as f:
            f.write(f"{datetime.datetime.now():%Y-%m-%d %H:%M:%S} {line}\n")
    except OSError:
        pass


def run_backup_command(args) -> int:
    """backup / verify-backup / restore: no window, a line on stdout when done, one line on
    stderr and exit 1 when not."""
    import os

    from models import backup, db, estate
    from models.errors import OfficeError

    password = os.environ.get(args.password_env, "") if args.password_env else None
    if args.password_env and not password:
        say(f"EstateDesk: the environment variable {args.password_env} holds no password", error=True)
        return 1
    try:
        if args.command == "verify-backup":
            m = backup.verify(args.file, password)
            say(f"ok: {args.file} made {m.created_at} for {m.office or '-'}, data version {m.schema}, "
                f"{m.counts.get('house', 0)} houses, {m.counts.get('owner', 0)} owners")
            return 0
        url = db.url_from_arg(args.db) if args.db else db.default_url()
        path = db.sqlite_path(url)
        if args.command == "backup":
            db.connect(url)
            try:
                made = backup.create(args.to, password=password, office=estate.profile().name)
            finally:
                db.close()
            say(f"ok: {made}")
            return 0
        if path is None:
            say("EstateDesk: a server database is restored on the server", error=True)
            return 1
        safety = backup.restore(args.file, path, password)
        say(f"ok: {path} restored from {args.file}; the data before is kept in {safety}")
        return 0
    except OfficeError as e:
        say(f"EstateDesk: {e}", error=True)
        return 1
    except Exception as e:  # noqa: BLE001 - a script gets one line and a failure code, never a traceback
        say(f"EstateDesk: unexpected error: {type(e).__name__}: {e}", error=True)
        return 1


def demo_path(size: str) -> Path:
    from models import db

    return db.default_data_dir() / f"demo-{size}.sqlite"


def make_demo(url: str, size: str) -> None:
    from models import db, demo, estate

    db.connect(url)
    try:
        if not estate.House.select().exists():
            print(f"Making the {size} demo estate …", flush=True)
            counts = demo.create(size, progress=lambda i, n: print(f"  building {i}/{n}", end="\r", flush=True))
            print("\n" + ", ".join(f"{k}: {v}" for k, v in counts.items()))
        print("Demo users (password demo1234): admin (administrator), wang (clerk), "
              "li (cashier), zhao (supervisor)")
    finally:
        db.close()


def main(argv: list[str] | None = None) -> int:
    args = parse(sys.argv[1:] if argv is None else argv)
    from models import db

    if args.command in ("backup", "verify-backup", "restore"):
        return run_backup_command(args)
    if args.command == "demo":
        target = args.demo_db or args.db
        url = db.url_from_arg(target) if target else db.sqlite_url(demo_path(args.size))
        try:
            make_demo(url, args.size)
        except Exception as e:  # noqa: BLE001 - a CLI error in words, the log has the rest
            from models.errors import OfficeError

            if isinstance(e, OfficeError):
                print(f"EstateDesk: {e}", file=sys.stderr)
                return 2
            raise
        if args.no_gui:
            return 0
    else:
        url = db.url_from_arg(args.db) if args.db else None
    from ui import app, prefs

    if url is None:
        url = prefs.get("database_url") or db.default_url()
    return app.run(url, args.lang)


if __name__ == "__main__":
    sys.exit(main())
