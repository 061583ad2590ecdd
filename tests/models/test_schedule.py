"""The nightly backup: the commands handed to each system's scheduler (a fake runner stands
for schtasks, systemctl and crontab), and the missed night on 今日 the next morning — the
schedule's threshold, not the reminder days of an office backing up by hand."""
import datetime
import subprocess

import pytest

from models import backup, clock, schedule, today

D = datetime.datetime(2026, 11, 23, 10, 0)  # a Monday morning: the schedule is set
H = datetime.timedelta(hours=1)


class FakeSystem:
    """What the commands would have done: each call kept; `fails` names the programs that
    answer with an error (no user session of systemd, say)."""

    def __init__(self, fails=(), crontab=""):
        self.calls, self.fails, self.crontab = [], set(fails), crontab

    def __call__(self, args, input=None, **kw):
        self.calls.append((list(args), input))
        if args[0] in self.fails:
            return subprocess.CompletedProcess(args, 1, "", f"{args[0]}: Failed to connect to bus")
        if args[:2] == ["crontab", "-l"]:
            return subprocess.CompletedProcess(args, 0 if self.crontab else 1, self.crontab, "")
        if args[:2] == ["crontab", "-"]:
            self.crontab = input
        return subprocess.CompletedProcess(args, 0, "", "")


CMD = [r"C:\Program Files\EstateDesk\estatedesk-cli.exe", "backup", "--scheduled", "--to", r"E:\物业 备份"]


def test_the_time_is_read_as_a_clerk_writes_it():
    assert [schedule.parse_time(t) for t in ("21:30", "9:05", "21：30", " 00:00 ", "23:59")] == \
        ["21:30", "09:05", "21:30", "00:00", "23:59"]
    for wrong in ("24:00", "21:60", "2130", "晚上", ""):
        with pytest.raises(schedule.ScheduleError) as refused:
            schedule.parse_time(wrong)
        assert "00:00 to 23:59" in str(refused.value)


def test_windows_gets_a_daily_task_at_the_time_with_its_paths_quoted():
    system = FakeSystem()
    assert schedule.install(CMD, "21:30", platform="win32", runner=system) == "schtasks"
    [(args, _)] = system.calls
    assert args[:9] == ["schtasks", "/Create", "/F", "/TN", "EstateDesk backup", "/SC", "DAILY", "/ST", "21:30"]
    assert args[9:] == ["/TR", r'"C:\Program Files\EstateDesk\estatedesk-cli.exe" backup --scheduled --to '
                               r'"E:\物业 备份"']
    schedule.uninstall(platform="win32", runner=system)
    assert system.calls[-1][0] == ["schtasks", "/Delete", "/F", "/TN", "EstateDesk backup"]


def test_a_share_ending_in_a_backslash_keeps_its_arguments_apart():
    system = FakeSystem()
    schedule.install([r"C:\EstateDesk\EstateDesk.exe", "backup", "--scheduled", "--to", "\\\\srv\\my share\\"],
                     "06:00", platform="win32", runner=system)
    line = system.calls[0][0][-1]
    assert line == r'C:\EstateDesk\EstateDesk.exe backup --scheduled --to "\\srv\my share\\"'
    import ctypes.util  # noqa: F401 - the line read back as Windows' C runtime reads it
    assert split_windows(line)[-1] == "\\\\srv\\my share\\"


def split_windows(line):
    """CommandLineToArgvW's rules, enough for the test: backslashes before a quote."""
    out, cur, quoted, i, any_ = [], "", False, 0, False
    while i < len(line):
        c = line[i]
        if c == "\\":
            n = 0
            while i < len(line) and line[i] == "\\":
                n, i = n + 1, i + 1
            if i < len(line) and line[i] == '"':
                cur += "\\" * (n // 2)
                if n % 2:
                    cur, i = cur + '"', i + 1
                continue
            cur += "\\" * n
            continue
        if c == '"':
            quoted, any_ = not quoted, True
        elif c in " \t" and not quoted:
            if cur or any_:
                out.append(cur)
            cur, any_ = "", False
        else:
            cur += c
        i += 1
    if cur or any_:
        out.append(cur)
    return out


def test_windows_runs_the_windowless_program_at_night(monkeypatch, tmp_path):
    import sys

    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "executable", str(tmp_path / "EstateDesk.exe"))
    assert schedule.command_line("win32") == [str(tmp_path / "EstateDesk.exe")]


def test_a_refused_task_is_said_in_words():
    with pytest.raises(schedule.ScheduleError) as refused:
        schedule.install(CMD, "21:30", platform="win32", runner=FakeSystem(fails={"schtasks"}))
    assert "could not be set up" in str(refused.value) and "Failed to connect" in str(refused.value)


def test_linux_gets_a_systemd_user_timer(tmp_path):
    system = FakeSystem()
    cmd = ["/usr/bin/estatedesk-cli", "backup", "--scheduled", "--to", "/media/王芳/U盘 1"]
    assert schedule.install(cmd, "22:15", platform="linux", runner=system, units=tmp_path) == "systemd"
    timer = (tmp_path / "estatedesk-backup.timer").read_text()
    service = (tmp_path / "estatedesk-backup.service").read_text()
    assert "OnCalendar=*-*-* 22:15:00" in timer and "Persistent=true" in timer  # a night the PC was off: at start
    assert 'ExecStart="/usr/bin/estatedesk-cli" "backup" "--scheduled" "--to" "/media/王芳/U盘 1"' in service
    assert ["systemctl", "--user", "enable", "--now", "estatedesk-backup.timer"] in [c for c, _ in system.calls]
    schedule.uninstall(platform="linux", runner=system, units=tmp_path)
    assert not list(tmp_path.iterdir())


def test_without_a_systemd_session_cron_takes_it_and_keeps_the_other_lines(tmp_path):
    old = "0 3 * * * /usr/local/bin/other-job\n15 20 * * * /old/estatedesk-cli backup --scheduled # estatedesk-backup\n"
    system = FakeSystem(fails={"systemctl"}, crontab=old)
    cmd = ["/usr/bin/estatedesk-cli", "backup", "--scheduled", "--to", "/media/u盘"]
    assert schedule.install(cmd, "21:05", platform="linux", runner=system, units=tmp_path) == "cron"
    lines = system.crontab.splitlines()
    assert lines == ["0 3 * * * /usr/local/bin/other-job",
                     "5 21 * * * /usr/bin/estatedesk-cli backup --scheduled --to '/media/u盘' # estatedesk-backup"]
    assert not list(tmp_path.iterdir())  # no unit left that nothing runs
    schedule.uninstall(platform="linux", runner=system, units=tmp_path)
    assert system.crontab.splitlines() == ["0 3 * * * /usr/local/bin/other-job"]


def test_a_missed_night_shows_the_next_morning(clerk, house, tmp_path):
    with clock.frozen(D):
        schedule.record("21:30", str(tmp_path), "systemd")
    with clock.frozen(D + 14 * H):  # Monday 24:00: the first night is not over
        assert schedule.missed() is None and not [line for line in today.lines(clerk) if "backup" in line.what]
    with clock.frozen(D + 11.5 * H):  # Monday 21:30: the night's backup
        backup.create(tmp_path)
    with clock.frozen(D + 22 * H):  # Tuesday 08:00: nothing missed
        assert not [line for line in today.lines(clerk) if "backup" in line.what]
    with clock.frozen(D + 46 * H):  # Wednesday 08:00: Tuesday night's backup did not come
        [line] = [line for line in today.lines(clerk) if "backup" in line.what]
        assert line.what == "backup.missed" and line.at_risk and line.number == "21:30"
        assert line.due == D + 11.5 * H + 24 * H + schedule.GRACE and str(tmp_path) in line.about


def test_the_schedule_not_the_reminder_days_decides(clerk, house, tmp_path):
    with clock.frozen(D):
        backup.create(tmp_path)
    with clock.frozen(D + 50 * H):  # two days on: an office backing up by hand is reminded after 7
        assert not [line for line in today.lines(clerk) if "backup" in line.what]
        schedule.record("21:30", str(tmp_path), "schtasks", now=D - 24 * H)
        assert [line.what for line in today.lines(clerk) if "backup" in line.what] == ["backup.missed"]
        schedule.clear()
        assert not [line for line in today.lines(clerk) if "backup" in line.what]
