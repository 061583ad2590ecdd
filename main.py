"""EstateDesk (物业服务台): the front desk of a residential estate's management office.

    python main.py [--db PATH|URL] [--lang zh_CN|en]          start the window
    python main.py demo [--size small|large] [--db PATH] [--no-gui]
                                                              make (once) and open a demo estate
    python main.py [--db PATH] backup --to FOLDER [--password-env NAME]
    python main.py verify-backup FILE [--password-env NAME]
    python main.py [--db PATH] restore FILE --user NAME [--user-password-env NAME] [--password-env NAME]
                                              [--other-office]
    python main.py [--db PATH] import houses|residents|balances FILE --user NAME [--dry-run]
                                              [--column KEY=HEADER …] [--password-env NAME]
    python main.py [--db PATH] export houses|arrears|collection|day-close --to FILE.xlsx --user NAME
                                              [--month YYYY-MM] [--date YYYY-MM-DD] [--cashier NAME]
    python main.py verify-audit [--db PATH|URL]                check the audit log's chain
    python main.py unlock-user NAME [--db PATH|URL]           let in a user locked by wrong passwords
    --new-office (before or after backup, import, export): start a new, empty office at --db;
                                              without it a --db file that is not there is refused
                                                              no window; exit 0 when done, else 1 and
                                                              one line on stderr saying why
"""
from __future__ import annotations

import sys

from ui import crash

crash.install()  # first: whatever happens next is logged and shown calmly

import argparse  # noqa: E402
from pathlib import Path  # noqa: E402


def window_args(argv: list[str]) -> argparse.Namespace | None:
    """The window's start, read without a parser: nothing but --db PATH and --lang zh_CN|en
    (no command, no --help). Building argparse's parsers (their help texts looked up for
    translation) would cost the sign-in window a hundredth of a second; anything else, or
    anything amiss, is left to parse() to read or to explain."""
    found = {"db": None, "lang": None}
    rest = list(argv)
    while rest:
        key, given, value = rest.pop(0).partition("=")
        if key not in ("--db", "--lang"):
            return None
        if not given:
            if not rest or rest[0].startswith("-"):
                return None
            value = rest.pop(0)
        found[key[2:]] = value
    if found["lang"] not in (None, "zh_CN", "en"):
        return None
    return argparse.Namespace(command=None, **found)


# what `print` makes (printing.papers.KINDS) and on which paper (printing.paper.PAPERS): named
# here, so that the help needs neither reportlab nor the database
PRINTABLE = ("receipt", "work-order", "key-slip", "item-slip", "announcement", "notices", "dunning")
PAPER_NAMES = ("A4", "A5", "CONT_FULL", "CONT_HALF", "CONT_THIRD")


def parse(argv: list[str]) -> argparse.Namespace:
    window = window_args(argv)
    if window is not None:
        return window
    p = argparse.ArgumentParser(prog="estatedesk", description="EstateDesk (物业服务台)")
    p.add_argument("--db", help="database file path, or postgresql://user:password@host/name")
    p.add_argument("--lang", choices=["zh_CN", "en"], help="UI language for this start")
    new_office = "start a new, empty office at --db when there is no database there (else refused: a typo)"
    p.add_argument("--new-office", action="store_true", help=new_office)
    sub = p.add_subparsers(dest="command")
    d = sub.add_parser("demo", help="make a demo estate (once) and open it")
    d.add_argument("--size", choices=["small", "large"], default="small")
    d.add_argument("--db", dest="demo_db", help="where to keep the demo database")
    d.add_argument("--no-gui", action="store_true", help="only make the database")
    b = sub.add_parser("backup", help="back the office up into a folder (a USB stick)")
    b.add_argument("--to", help="the folder to write the backup into (needed unless --scheduled)")
    b.add_argument("--scheduled", action="store_true",
                   help="the nightly run: into --to, else the schedule's folder, else the data folder's "
                        "Backups/nightly; recorded, so that a missed night shows on 今日")
    sb = sub.add_parser("schedule-backup", help="back up every night with the system's scheduler (a systemd "
                                                "timer or cron on Linux, Task Scheduler on Windows)")
    sb.add_argument("--at", help="the time, HH:MM (21:30)")
    sb.add_argument("--to", dest="schedule_to", help="the folder the nightly backups go into (a USB stick's)")
    sb.add_argument("--off", action="store_true", help="no nightly backup any more")
    sb.add_argument("--password-env", metavar="NAME",
                    help="seal each backup with the password this environment variable holds when it runs")
    sb.add_argument("--db", dest="schedule_db", help="the office's database (default: as the window opens it)")
    v = sub.add_parser("verify-backup", help="check a backup file without restoring it")
    v.add_argument("file")
    r = sub.add_parser("restore", help="put a backup in place of the office's database (a copy is kept)")
    r.add_argument("file")
    r.add_argument("--user", required=True, help="an administrator of the office (audited in the restored data)")
    r.add_argument("--user-password-env", metavar="NAME", default="ESTATEDESK_PASSWORD",
                   help="the environment variable that holds the administrator's password "
                        "(default ESTATEDESK_PASSWORD)")
    r.add_argument("--other-office", action="store_true",
                   help="confirm that another office's backup replaces this office's data")
    for cmd in (b, v, r):
        cmd.add_argument("--password-env", metavar="NAME",
                         help="the environment variable that holds the backup's password")
    i = sub.add_parser("import", help="read houses and owners, residents or opening balances from a spreadsheet "
                                      "(.xlsx, .xls, .ods or .csv)")
    i.add_argument("kind", choices=["houses", "residents", "balances"])
    i.add_argument("file")
    i.add_argument("--dry-run", action="store_true", help="only check the file and list its problems")
    i.add_argument("--column", action="append", default=[], metavar="KEY=HEADER",
                   help="match a column by hand, e.g. house=室号 (keys: see the import dialog)")
    e = sub.add_parser("export", help="write a standard report to an .xlsx")
    e.add_argument("kind", choices=["houses", "arrears", "collection", "day-close"])
    e.add_argument("--to", required=True, help="the .xlsx file to write")
    e.add_argument("--month", help="the month of the collection report (YYYY-MM; default this month)")
    e.add_argument("--date", help="the day of the day close (YYYY-MM-DD; default today)")
    e.add_argument("--cashier", help="whose day close (default the --user)")
    for cmd in (b, i, e):  # after the command too; SUPPRESS: the option given before it is not reset
        cmd.add_argument("--new-office", action="store_true", default=argparse.SUPPRESS, help=new_office)
    for cmd in (i, e):
        cmd.add_argument("--user", required=True, help="who does it (their permissions apply; it is audited)")
        cmd.add_argument("--password-env", metavar="NAME", default="ESTATEDESK_PASSWORD",
                         help="the environment variable that holds the user's password (default ESTATEDESK_PASSWORD)")
    pr = sub.add_parser("print", help="make a paper as a PDF file, as the window prints it (a receipt as a "
                                      "counted reprint, 补打)")
    pr.add_argument("kind", choices=PRINTABLE)
    pr.add_argument("which", nargs="?", default="",
                    help="the receipt's number (2026-000001), the work order's (WX2026-0045), the key loan's "
                         "(K000012), the item loan's (W000003), the announcement's; notices and dunning: a "
                         "building (its code or name), or none for every house owing")
    pr.add_argument("--to", required=True, help="the PDF file to write")
    pr.add_argument("--paper", choices=PAPER_NAMES,
                    help="the paper (default: the window's own for the kind: receipts CONT_THIRD, slips A5, "
                         "notices A4)")
    pr.add_argument("--carbonless", action="store_true", help="a receipt in one pass on carbonless stock")
    pr.add_argument("--user", required=True, help="who prints it (their permissions apply)")
    pr.add_argument("--password-env", metavar="NAME", default="ESTATEDESK_PASSWORD",
                    help="the environment variable that holds the user's password (default ESTATEDESK_PASSWORD)")
    a = sub.add_parser("verify-audit", help="check that no audit entry was deleted, changed, moved or added by hand")
    a.add_argument("--db", dest="audit_db", help="the office's database (default: as the window opens it)")
    u = sub.add_parser("unlock-user", help="let in again a user locked by wrong passwords (audited)")
    u.add_argument("unlock_name", metavar="NAME", help="the user's sign-in name")
    u.add_argument("--db", dest="unlock_db", help="the office's database (default: as the window opens it)")
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

    password = os.environ.get(args.password_env, "") if args.password_env else None
    if args.password_env and not password:
        say(f"EstateDesk: the environment variable {args.password_env} holds no password", error=True)
        return 1
    if args.command == "restore":
        args.user_password = os.environ.get(args.user_password_env, "")
        if not args.user_password:
            say(f"EstateDesk: the environment variable {args.user_password_env} holds no password for {args.user}",
                error=True)
            return 1
    return one_line(lambda: _backup_command(args, password))


def office_url(args) -> str:
    """The office's database as the window would open it: --db, else this PC's setting
    (设置 → 本机 → 数据库), else the default file in the user's data folder."""
    from models import db
    from ui import prefs

    if args.db:
        return db.url_from_arg(args.db)
    return prefs.get("database_url") or db.default_url()


def open_office(url: str) -> None:
    """Connect to the office's database, and from then on tell the time in the office's
    time zone (its setting), as the window does: the dates a script sees are the office's."""
    from models import clock, db

    db.connect(url)
    clock.use_office_zone()


def existing_office(url: str, args) -> str | None:
    """The command line makes no office (only `demo`, or --new-office): a database file
    that is not there is a typo in --db, or a path of another PC, and a nightly backup of
    it would back up an empty office every night. The refusal's line, or None."""
    from models import db

    path = db.sqlite_path(url)
    if path is None or getattr(args, "new_office", False) or (path.is_file() and path.stat().st_size > 0):
        return None
    return f"EstateDesk: no EstateDesk database at {path} (a typo? use --new-office to start a new office there)"


def open_existing_office(url: str) -> bool:
    """Open the office at `url` for a command that only reads or checks what is there: never
    --new-office, so a mistyped path is said in one line (False), not made a new office."""
    missing = existing_office(url, argparse.Namespace())
    if missing:
        say(missing, error=True)
        return False
    open_office(url)
    return True


def patiently(work):
    """`work` (one office action), waited for once more when another PC's write holds the
    database past the busy timeout, the wait said on stdout; then refused in words."""
    from models import db

    return db.patiently(work, waiting=lambda: say(f"EstateDesk: {db.WAITING}"))


def one_line(work) -> int:
    """A command's work for a script: its exit code, or 1 and one line on stderr saying
    why (an office's refusal in its words, anything else by its kind) — never a traceback."""
    from models.errors import OfficeError

    try:
        return work()
    except OfficeError as e:
        say(f"EstateDesk: {e}", error=True)
        return 1
    except Exception as e:  # noqa: BLE001 - a script gets one line and a failure code
        say(f"EstateDesk: unexpected error: {type(e).__name__}: {e}", error=True)
        return 1


def _backup_command(args, password) -> int:
    from models import backup, db, estate

    if args.command == "verify-backup":
        m = backup.verify(args.file, password)
        say(f"ok: {args.file} made {m.created_at} for {m.office or '-'} (office {m.office_id or '-'}), "
            f"data version {m.schema}, "
            f"{m.counts.get('house', 0)} houses, {m.counts.get('owner', 0)} owners")
        return 0
    url = office_url(args)
    path = db.sqlite_path(url)
    if args.command == "backup":
        if not args.to and not args.scheduled:
            say("EstateDesk: name the folder to back up into: backup --to FOLDER", error=True)
            return 2
        missing = existing_office(url, args)
        if missing:
            say(missing, error=True)
            return 1
        open_office(url)
        try:
            if args.scheduled:
                args.to = _scheduled_folder(args.to)
            made = patiently(lambda: backup.create(args.to, password=password, office=estate.profile().name,
                                                   keep=False))
            try:
                healthy = backup.check_database()  # SQLite's own check of the live file, after the backup
            except Exception as e:  # noqa: BLE001 - another PC's write: the verdict waits, the backup is made
                if not db.is_locked(e):
                    raise
                healthy = None
            if healthy is not False:  # older backups are thinned out only while the database is sound
                backup.prune(args.to, made=made)
        finally:
            db.close()
        if healthy is False:
            say(f"EstateDesk: {made} is written, but the database fails SQLite's integrity check: the older "
                "backups are kept; call for help", error=True)
            return 1
        say(f"ok: {made}")
        return 0
    if path is None:  # the server's rows replaced in one transaction, the data before backed up first
        open_office(url)
        try:
            safety = backup.restore(args.file, None, password, username=args.user, user_password=args.user_password,
                                    other_office=args.other_office, safety_dir=db.default_data_dir() / "Backups")
        finally:
            db.close()
        say(f"ok: {db.redact(url)} restored from {args.file}; the data before is kept in {safety}")
        return 0
    safety = backup.restore(args.file, path, password, username=args.user, user_password=args.user_password,
                            other_office=args.other_office)
    say(f"ok: {path} restored from {args.file}; the data before is kept in {safety}")
    return 0


def _scheduled_folder(given: str | None) -> str:
    """The nightly run's folder: as given, else the schedule's, else the data folder's own
    (made). A run no schedule was recorded for (the .deb's timer, a hand-made task) records
    one, so that 今日 knows to expect a backup every night from now on."""
    from models import schedule

    known = schedule.current()
    folder = given or (known.folder if known else "") or str(schedule.default_folder())
    if not given and not (known and known.folder):
        Path(folder).mkdir(parents=True, exist_ok=True)
    if known is None:
        schedule.record("", folder, "system")
    return folder


def run_schedule_backup(args) -> int:
    """Set up (or remove, or show) the nightly backup. A PC whose office is not there yet
    (the installer, before the first start) gets its task all the same; the first night's
    run records the schedule in the office, from when on a missed night shows on 今日."""
    from models import db, schedule

    url = office_url(argparse.Namespace(db=args.schedule_db or args.db))
    there = existing_office(url, argparse.Namespace()) is None
    if args.off:
        schedule.uninstall()
        if there:
            open_office(url)
            try:
                schedule.clear()
            finally:
                db.close()
        say("ok: no nightly backup any more")
        return 0
    if not args.at and not args.schedule_to:
        if not open_existing_office(url):
            return 1
        try:
            known = schedule.current()
        finally:
            db.close()
        say(f"nightly backup: at {known.at or '(the system timer)'} into {known.folder} (by {known.by}, "
            f"since {known.since:%Y-%m-%d %H:%M})" if known else "no nightly backup is set up")
        return 0
    at = schedule.parse_time(args.at or "21:30")
    if not args.schedule_to:
        say("EstateDesk: name the folder the nightly backups go into: --to FOLDER", error=True)
        return 2
    folder = Path(args.schedule_to).expanduser().resolve()
    if not folder.is_dir():
        say(f"EstateDesk: the folder {folder} is not there (a USB stick not plugged in?)", error=True)
        return 1
    db_arg = args.schedule_db or args.db
    cmd = schedule.command_line() + schedule.backup_args(str(folder), args.password_env,
                                                         db.url_from_arg(db_arg) if db_arg else None)
    by = schedule.install(cmd, at)
    if there:
        open_office(url)
        try:
            schedule.record(at, str(folder), by)
        finally:
            db.close()
    say(f"ok: a backup every night at {at} into {folder} ({by})"
        + ("" if there else "; the office's database is not there yet: the nights count from its first backup"))
    return 0


def user_password(args) -> str:
    """The --user's password from the environment variable --password-env names; "" (said
    on stderr) when it holds none."""
    import os

    password = os.environ.get(args.password_env, "")
    if not password:
        say(f"EstateDesk: the environment variable {args.password_env} holds no password for {args.user}", error=True)
    return password


def run_exchange_command(args) -> int:
    """import / export: no window; exit 0 when done, else 1 with one line on stderr (an
    import's problems are listed on stdout first, one per line: row, column, what)."""
    from PySide6.QtCore import QCoreApplication

    from ui import i18n

    app = QCoreApplication.instance() or QCoreApplication([])
    i18n.install(app, args.lang or "zh_CN")  # the reports' words (用途, 状态, 支付方式) in the office's language
    password = user_password(args)
    if not password:
        return 1
    return one_line(lambda: _exchange_command(args, password))


def _exchange_command(args, password) -> int:
    from models import clock, db, exporting, importing, users
    from ui import i18n

    url = office_url(args)
    missing = existing_office(url, args)
    if missing:
        say(missing, error=True)
        return 1
    open_office(url)
    try:
        user = patiently(lambda: users.login(args.user, password))
        if args.command == "import":
            sheet = importing.read(args.file)
            mapping = importing.guess(args.kind, sheet.headers)
            keys = {c.key for c in importing.columns_of(args.kind)}
            for pair in args.column:
                key, _, header = pair.partition("=")
                if key not in keys or header.strip() not in sheet.headers:
                    say(f"EstateDesk: --column {pair}: no such key ({', '.join(sorted(keys))}) or no column "
                        f"headed {header!r} in the sheet", error=True)
                    return 1
                mapping = {k: v for k, v in mapping.items() if v != sheet.headers.index(header.strip())}
                mapping[key] = sheet.headers.index(header.strip())
            report = patiently(lambda: (importing.check if args.dry_run else importing.run)(
                user, args.kind, sheet, mapping, **({} if args.dry_run else {"source": args.file})))
            for p in report.problems:
                print(f"row {p.row}\t{p.column or '-'}\t{p}", flush=True)
            for p in report.notes:  # rows that are no data (a title, 合计, 备注 …), after the problems
                print(f"row {p.row}\t-\t{p}", flush=True)
            if report.problems:
                first = report.problems[0]
                say(f"EstateDesk: {len(report.problems)} problem(s) in {args.file}, nothing written; first: row "
                    f"{first.row} {first.column}: {first}", error=True)
                return 1
            added = ", ".join(f"{k} {v}" for k, v in report.new.items())
            say(f"ok: {args.file}: {report.rows} rows checked{'' if args.dry_run else ' and imported'}"
                f" ({added or 'nothing new'}; {report.skipped} already there)")
            return 0
        if args.kind == "houses":
            made = patiently(lambda: exporting.houses(user, args.to, label=i18n.office))
        elif args.kind == "arrears":
            made = patiently(lambda: exporting.arrears_report(user, args.to))
        elif args.kind == "collection":
            month = args.month or f"{clock.today():%Y-%m}"
            made = patiently(lambda: exporting.collection_report(user, args.to, importing.period(month)))
        else:
            day = importing.date(args.date) if args.date else clock.today()
            who = users.User.get_or_none(users.User.username == (args.cashier or args.user))
            if who is None:
                say(f"EstateDesk: no user {args.cashier}", error=True)
                return 1
            made = patiently(lambda: exporting.day_close_report(user, args.to, who.id, day, label=i18n.office))
        say(f"ok: {made}")
        return 0
    finally:
        db.close()


def run_verify_audit(args) -> int:
    """verify-audit: exit 0 and "ok: N entries, chain intact", else 1 and the first break
    (the entry, its time, and whether entries were deleted, changed, reordered or inserted).
    It never makes an office: a database file that is not there is an error."""
    from models import audit, db

    def work() -> int:
        url = db.url_from_arg(args.audit_db) if args.audit_db else office_url(args)
        if not open_existing_office(url):
            return 1
        try:
            verdict = audit.check()
        finally:
            db.close()
        if verdict.ok:
            say(f"ok: {verdict.entries} entries, chain intact")
            return 0
        b = verdict.broken
        say(f"EstateDesk: the audit log's chain is broken ({b.kind}): {b}", error=True)
        return 1

    return one_line(work)


def run_unlock_user(args) -> int:
    """unlock-user NAME: the user locked by wrong passwords may sign in again at once."""
    from models import db, users

    def work() -> int:
        url = db.url_from_arg(args.unlock_db) if args.unlock_db else office_url(args)
        if not open_existing_office(url):
            return 1
        try:
            user = users.unlock_at_the_pc(args.unlock_name)
        finally:
            db.close()
        say(f"ok: {user.username} may sign in again")
        return 0

    return one_line(work)


def run_print_command(args) -> int:
    """print KIND [WHICH] --to FILE: the paper as the window prints it, as a PDF file, for a
    script; a receipt prints again as a counted, audited 补打; notices are not put on the
    dunning ladder."""
    password = user_password(args)
    if not password:
        return 1
    return one_line(lambda: _print_command(args, password))


def _print_command(args, password) -> int:
    if args.carbonless and args.kind != "receipt":
        say("EstateDesk: --carbonless is for receipts only", error=True)
        return 1
    from models import db, users
    from printing import papers

    url = office_url(args)
    if not open_existing_office(url):
        return 1
    try:
        user = patiently(lambda: users.login(args.user, password))
        pdf, pages = papers.make(user, args.kind, args.which or "", paper=args.paper, carbonless=args.carbonless)
    finally:
        db.close()
    Path(args.to).write_bytes(pdf)
    say(f"ok: {args.to} ({pages} page{'s' if pages != 1 else ''})")
    return 0


def demo_path(size: str) -> Path:
    from models import location

    return location.default_data_dir() / f"demo-{size}.sqlite"


def make_demo(url: str, size: str) -> None:
    from models import db, demo, estate

    open_office(url)  # the demo's days are the office's
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
    for stream in (sys.stdout, sys.stderr):  # a console or pipe that cannot write Chinese: escaped, never a crash
        if stream is not None and hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="backslashreplace")
    args = parse(sys.argv[1:] if argv is None else argv)
    from models import location  # the addresses only: the window's start does not wait for the database layer

    if args.command in ("backup", "verify-backup", "restore"):
        return run_backup_command(args)
    if args.command == "schedule-backup":
        return one_line(lambda: run_schedule_backup(args))
    if args.command in ("import", "export"):
        return run_exchange_command(args)
    if args.command == "verify-audit":
        return run_verify_audit(args)
    if args.command == "unlock-user":
        return run_unlock_user(args)
    if args.command == "print":
        return run_print_command(args)
    if args.command == "demo":
        target = args.demo_db or args.db
        url = location.url_from_arg(target) if target else location.sqlite_url(demo_path(args.size))
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
        url = location.url_from_arg(args.db) if args.db else None
    from ui import app, prefs

    if url is None:
        url = prefs.get("database_url") or location.default_url()
    return app.run(url, args.lang)


if __name__ == "__main__":
    sys.exit(main())
