"""EstateDesk (物业服务台): the front desk of a residential estate's management office.

    python main.py [--db PATH|URL] [--lang zh_CN|en]          start the window
    python main.py demo [--size small|large] [--db PATH] [--no-gui]
                                                              make (once) and open a demo estate
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
    return p.parse_args(argv)


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
