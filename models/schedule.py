"""The nightly backup: set up with the system's own scheduler, and known to the office.

`estatedesk-cli schedule-backup --at 21:30 --to FOLDER` puts `estatedesk-cli backup
--scheduled --to FOLDER` in the system's scheduler for every night — a systemd user timer
on Linux (cron where the user has no systemd session), Task Scheduler on Windows — and
records the schedule in the office's database. The .deb's timer (switched on at install
when the administrator asks) and a hand-made task record it at their first run.

With a schedule recorded, 今日 shows a missed night the next morning: no good backup
within a day of the last one (and a few hours' grace for a late run), whatever the
office's reminder days say (`backup_remind_days`, for offices backing up by hand).

The system-specific parts are small functions taking the command runner, so that the
Windows and Linux commands are tested here with a fake one.
"""
from __future__ import annotations

import datetime
import json
import os
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from models import clock
from models.errors import OfficeError, QT_TRANSLATE_NOOP

KEY = "backup_schedule"
TASK_NAME = "EstateDesk backup"  # Task Scheduler
UNIT = "estatedesk-backup"  # systemd: .service and .timer
CRON_MARK = "# estatedesk-backup"
GRACE = datetime.timedelta(hours=3)  # a night's backup a little late (a PC started late) is not missed

Runner = Callable[..., subprocess.CompletedProcess]


class ScheduleError(OfficeError):
    pass


@dataclass(frozen=True)
class Schedule:
    at: str  # "21:30", or "" when the system's timer decides (the .deb's)
    folder: str
    since: datetime.datetime  # when the schedule was set (a missed first night counts from here)
    by: str  # "systemd", "cron", "schtasks", "system" (recorded at a scheduled run)
    every_days: int = 1


def parse_time(text: str) -> str:
    m = re.fullmatch(r"\s*([01]?\d|2[0-3])[:：]([0-5]\d)\s*", text or "")
    if not m:
        raise ScheduleError(QT_TRANSLATE_NOOP("Office", "Write the backup's time as hours and minutes, "
                                                        "00:00 to 23:59 (for example 21:30), not {text}"),
                            text=text)
    return f"{int(m.group(1)):02d}:{m.group(2)}"


# --- what the office knows --------------------------------------------------------------

def current() -> Schedule | None:
    from models.migrations import AppMeta

    row = AppMeta.get_or_none(AppMeta.key == KEY)
    if row is None:
        return None
    v = json.loads(row.value)
    return Schedule(v.get("at", ""), v.get("folder", ""), datetime.datetime.fromisoformat(v["since"]),
                    v.get("by", "system"), int(v.get("every_days", 1)))


def record(at: str, folder: str, by: str, now: datetime.datetime | None = None) -> Schedule:
    from models import db
    from models.migrations import AppMeta

    s = Schedule(at, str(folder), (now or clock.now()).replace(microsecond=0), by)
    value = json.dumps({"at": s.at, "folder": s.folder, "since": s.since.isoformat(), "by": s.by,
                        "every_days": s.every_days}, ensure_ascii=False)
    with db.atomic():
        AppMeta.insert(key=KEY, value=value).on_conflict(
            conflict_target=[AppMeta.key], update={AppMeta.value: value}).execute()
    return s


def clear() -> None:
    from models.migrations import AppMeta

    AppMeta.delete().where(AppMeta.key == KEY).execute()


def missed(at: datetime.datetime | None = None) -> datetime.datetime | None:
    """With a nightly schedule: the moment the last night's backup was due and did not come
    (now past it), else None. Without a schedule: None (the reminder days apply)."""
    from models import backup

    s = current()
    if s is None:
        return None
    at = at or clock.now()
    done = backup.last()
    start = max(done[0], s.since) if done else s.since
    due = start + datetime.timedelta(days=s.every_days) + GRACE
    return due if at >= due else None


def default_folder() -> Path:
    """Where a scheduled backup goes when nobody named a folder (the .deb's timer)."""
    from models import location

    return location.default_data_dir() / "Backups" / "nightly"


# --- the system's scheduler ----------------------------------------------------------------

def command_line(platform: str = sys.platform) -> list[str]:
    """How the scheduler starts EstateDesk's commands. Windows: the windowless EstateDesk.exe
    (no console flashes up at night; Task Scheduler keeps its exit code, the commands log
    its line). Linux: the .deb's estatedesk-cli, which stays valid across upgrades, else the
    bundle's own. From a checkout: this Python with main.py."""
    if getattr(sys, "frozen", False):
        here = Path(sys.executable).parent
        if platform == "win32":
            return [str(here / "EstateDesk.exe")]
        installed = Path("/usr/bin/estatedesk-cli")
        if installed.exists():
            return [str(installed)]
        cli = here / "estatedesk-cli"
        return [str(cli if cli.exists() else Path(sys.executable))]
    return [sys.executable, str(Path(__file__).resolve().parent.parent / "main.py")]


def backup_args(folder: str, password_env: str | None, db_arg: str | None) -> list[str]:
    args = ["--db", db_arg] if db_arg else []
    args += ["backup", "--scheduled", "--to", str(folder)]
    if password_env:
        args += ["--password-env", password_env]
    return args


def windows_create(cmd: list[str], at: str) -> list[str]:
    """schtasks' command: every day at `at`, as the signed-in user, replacing an older one."""
    return ["schtasks", "/Create", "/F", "/TN", TASK_NAME, "/SC", "DAILY", "/ST", at,
            "/TR", subprocess.list2cmdline(cmd)]  # the C runtime's quoting: a folder ending in \\ too


def windows_delete() -> list[str]:
    return ["schtasks", "/Delete", "/F", "/TN", TASK_NAME]


def _systemd_quote(arg: str) -> str:
    return '"' + arg.replace("\\", "\\\\").replace('"', '\\"').replace("%", "%%") + '"'


def systemd_units(cmd: list[str], at: str) -> dict[str, str]:
    exec_line = " ".join(_systemd_quote(a) for a in cmd)
    return {
        f"{UNIT}.service": ("[Unit]\nDescription=EstateDesk nightly backup\n\n"
                            f"[Service]\nType=oneshot\nExecStart={exec_line}\n"),
        f"{UNIT}.timer": ("[Unit]\nDescription=EstateDesk nightly backup\n\n"
                          f"[Timer]\nOnCalendar=*-*-* {at}:00\nPersistent=true\n\n"
                          "[Install]\nWantedBy=timers.target\n"),
    }


def cron_line(cmd: list[str], at: str) -> str:
    import shlex

    hours, minutes = at.split(":")
    line = " ".join(shlex.quote(a) for a in cmd).replace("%", "\\%")  # cron reads a bare % as a new line
    return f"{int(minutes)} {int(hours)} * * * {line} {CRON_MARK}"


def _user_units() -> Path:
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "systemd" / "user"


def _ok(r: subprocess.CompletedProcess) -> bool:
    return r.returncode == 0


def _run(runner: Runner, args: list[str], **kw) -> subprocess.CompletedProcess:
    try:
        return runner(args, capture_output=True, text=True, timeout=60, **kw)
    except (OSError, subprocess.TimeoutExpired) as e:
        return subprocess.CompletedProcess(args, 127, "", str(e))


def _crontab_without_ours(runner: Runner) -> list[str]:
    r = _run(runner, ["crontab", "-l"])
    lines = r.stdout.splitlines() if _ok(r) else []  # exit 1: no crontab yet
    return [line for line in lines if CRON_MARK not in line]


_NO_SCHEDULER = QT_TRANSLATE_NOOP("Office", "The nightly backup could not be set up on this computer ({error}). "
                                            "Back up by hand (文件 → 备份…) until it is.")


def install(cmd: list[str], at: str, *, platform: str = sys.platform, runner: Runner = subprocess.run,
            units: Path | None = None) -> str:
    """Put `cmd` in the system's scheduler every night at `at`; returns which one took it."""
    if platform == "win32":
        r = _run(runner, windows_create(cmd, at))
        if not _ok(r):
            raise ScheduleError(_NO_SCHEDULER, error=(r.stderr or r.stdout).strip())
        return "schtasks"
    folder = units or _user_units()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        for name, text in systemd_units(cmd, at).items():
            (folder / name).write_text(text, encoding="utf-8")
    except OSError as e:
        raise ScheduleError(_NO_SCHEDULER, error=str(e)) from None
    reload = _run(runner, ["systemctl", "--user", "daemon-reload"])
    if _ok(reload) and _ok(_run(runner, ["systemctl", "--user", "enable", "--now", f"{UNIT}.timer"])):
        _remove_cron(runner)  # one scheduler only: a night backed up twice would thin out the folder twice
        return "systemd"
    for name in systemd_units(cmd, at):  # no user session of systemd (a bare system, a container): cron
        (folder / name).unlink(missing_ok=True)
    lines = _crontab_without_ours(runner) + [cron_line(cmd, at)]
    r = _run(runner, ["crontab", "-"], input="\n".join(lines) + "\n")
    if not _ok(r):
        raise ScheduleError(_NO_SCHEDULER, error=(r.stderr or r.stdout or reload.stderr).strip())
    return "cron"


def _remove_cron(runner: Runner) -> None:
    r = _run(runner, ["crontab", "-l"])
    if _ok(r) and CRON_MARK in r.stdout:
        lines = [line for line in r.stdout.splitlines() if CRON_MARK not in line]
        _run(runner, ["crontab", "-"], input="\n".join(lines) + ("\n" if lines else ""))


def uninstall(*, platform: str = sys.platform, runner: Runner = subprocess.run, units: Path | None = None) -> None:
    """No nightly task left: whichever scheduler held it (nothing there is no error)."""
    if platform == "win32":
        _run(runner, windows_delete())
        return
    folder = units or _user_units()
    _run(runner, ["systemctl", "--user", "disable", "--now", f"{UNIT}.timer"])
    for name in (f"{UNIT}.service", f"{UNIT}.timer"):
        (folder / name).unlink(missing_ok=True)
    _run(runner, ["systemctl", "--user", "daemon-reload"])
    _remove_cron(runner)
