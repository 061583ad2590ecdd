#!/usr/bin/env python3
"""Set EstateDesk up on this machine and run it, or run its tests. Standard library only,
so it works on a fresh machine with nothing but Python 3.11.

    python3 packaging/bootstrap.py demo [--size small|large] [...]   make and open the demo estate
    python3 packaging/bootstrap.py run  [...]                        open the office's own database
    python3 packaging/bootstrap.py test [--postgresql require|auto|skip] [pytest args]

It makes a virtual environment in .venv, installs the project into it (with the test
extra for `test`), and on Debian/Ubuntu as root installs the system libraries Qt needs
and the Chinese font with apt-get. `test` runs the suite on SQLite, then, where it can
install and start PostgreSQL on loopback (Linux as root), a second time on PostgreSQL.
"""
from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV = ROOT / ".venv"
WINDOWS = os.name == "nt"
PY = VENV / ("Scripts/python.exe" if WINDOWS else "bin/python")

# What Qt's xcb and offscreen platforms and the printed documents need on Debian.
DEBIAN_RUNTIME = ["libegl1", "libgl1", "libxkbcommon0", "libxkbcommon-x11-0", "libxcb-cursor0",
                  "libxcb-icccm4", "libxcb-keysyms1", "libxcb-image0", "libxcb-render-util0",
                  "libxcb-shape0", "libxcb-randr0", "libxcb-xinerama0", "libxcb-xkb1",
                  "libdbus-1-3", "libfontconfig1", "fonts-wqy-microhei"]
DEBIAN_TEST = ["poppler-utils"]
DEBIAN_POSTGRESQL = ["postgresql"]
# a real print queue for the printing tests: CUPS with a PDF printer; each job lands in ~/PDF
DEBIAN_PRINTING = ["cups", "printer-driver-cups-pdf"]
PRINT_QUEUE = "EstateDeskTestPDF"


def say(text: str) -> None:
    print(f"[bootstrap] {text}", flush=True)


def run(cmd: list, **kw) -> None:
    subprocess.run([str(c) for c in cmd], check=True, **kw)


def can_apt() -> bool:
    return (sys.platform.startswith("linux") and shutil.which("apt-get") is not None
            and hasattr(os, "geteuid") and os.geteuid() == 0)


def missing_debs(packages: list[str]) -> list[str]:
    out = []
    for p in packages:
        r = subprocess.run(["dpkg-query", "-W", "-f=${Status}", p], capture_output=True, text=True)
        if "install ok installed" not in r.stdout:
            out.append(p)
    return out


_apt_updated = False


def apt_install(packages: list[str]) -> bool:
    global _apt_updated
    if not can_apt():
        return False
    need = missing_debs(packages)
    if not need:
        return True
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    if not _apt_updated:
        say("apt-get update")
        run(["apt-get", "update", "-qq"], env=env)
        _apt_updated = True
    say("apt-get install " + " ".join(need))
    run(["apt-get", "install", "-y", "-qq", "--no-install-recommends", *need], env=env)
    return True


def ensure_venv(extras: str) -> None:
    if not PY.exists():
        say(f"creating {VENV}")
        try:
            run([sys.executable, "-m", "venv", VENV])
        except subprocess.CalledProcessError:
            # Debian's own Python keeps venv in a separate package
            shutil.rmtree(VENV, ignore_errors=True)
            if not apt_install([f"python3.{sys.version_info.minor}-venv"]):
                raise
            run([sys.executable, "-m", "venv", VENV])
    stamp = VENV / f".installed-{extras or 'app'}"
    digest = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    if stamp.exists() and stamp.read_text() == digest:
        return
    say("installing EstateDesk and its dependencies into .venv")
    run([PY, "-m", "pip", "install", "-q", "--upgrade", "pip"])
    target = f".[{extras}]" if extras else "."
    run([PY, "-m", "pip", "install", "-q", "-e", target], cwd=ROOT)
    stamp.write_text(digest)


# --- PostgreSQL for the second test leg -------------------------------------------------

def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Postgres:
    """A throw-away PostgreSQL cluster on 127.0.0.1, owned by the `postgres` user."""

    def __init__(self):
        self.dir = Path(tempfile.mkdtemp(prefix="estatedesk-pg-"))
        self.port = free_port()
        bins = sorted(Path("/usr/lib/postgresql").glob("*/bin"),
                      key=lambda p: [int(x) for x in p.parent.name.split(".") if x.isdigit()])
        if not bins:
            raise RuntimeError("PostgreSQL is not installed")
        self.bin = bins[-1]  # the newest major version
        self.as_user = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []

    def _run(self, args: list, **kw) -> None:
        run(self.as_user + [str(a) for a in args], **kw)

    def start(self) -> str:
        if self.as_user:
            shutil.chown(self.dir, "postgres", "postgres")
        data = self.dir / "data"
        self._run([self.bin / "initdb", "-D", data, "-A", "trust", "-U", "postgres", "-E", "UTF8",
                   "--locale=C.UTF-8" if Path("/usr/lib/locale/C.utf8").exists() else "--no-locale"],
                  stdout=subprocess.DEVNULL)
        # a throw-away cluster: nothing in it must survive a power cut, so it does not wait for the disk
        self._run([self.bin / "pg_ctl", "-D", data, "-l", self.dir / "log", "-w", "-o",
                   f"-h 127.0.0.1 -p {self.port} -k {self.dir} -c fsync=off -c synchronous_commit=off "
                   f"-c full_page_writes=off", "start"], stdout=subprocess.DEVNULL)
        for _ in range(30):
            r = subprocess.run(self.as_user + [str(self.bin / "psql"), "-h", "127.0.0.1", "-p", str(self.port),
                                               "-U", "postgres", "-c", "CREATE DATABASE estatedesk_test"],
                               capture_output=True, text=True)
            if r.returncode == 0:
                break
            time.sleep(0.5)
        else:
            raise RuntimeError("PostgreSQL did not start: " + r.stderr)
        return f"postgresql://postgres@127.0.0.1:{self.port}/estatedesk_test"

    def stop(self) -> None:
        subprocess.run(self.as_user + [str(self.bin / "pg_ctl"), "-D", str(self.dir / "data"), "-m", "fast",
                                       "stop"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        shutil.rmtree(self.dir, ignore_errors=True)


def print_queue() -> dict:
    """Install CUPS with its PDF printer, start it, and add the test queue; the variables
    that tell the tests where jobs land. Empty where this cannot be done (not Debian/root)."""
    if not (can_apt() and apt_install(DEBIAN_PRINTING)):
        say("print-queue tests skipped: installing CUPS needs Debian/Ubuntu as root")
        return {}
    running = subprocess.run(["lpstat", "-r"], capture_output=True, text=True).stdout
    if "is running" not in running:
        say("starting cupsd")
        run(["cupsd"])
        for _ in range(40):
            if "is running" in subprocess.run(["lpstat", "-r"], capture_output=True, text=True).stdout:
                break
            time.sleep(0.25)
    queues = subprocess.run(["lpstat", "-p"], capture_output=True, text=True).stdout
    if PRINT_QUEUE not in queues:
        run(["lpadmin", "-p", PRINT_QUEUE, "-E", "-v", "cups-pdf:/", "-m",
             "lsb/usr/cups-pdf/CUPS-PDF_opt.ppd"], stderr=subprocess.DEVNULL)
    return {"ESTATEDESK_TEST_PRINTER": PRINT_QUEUE,
            "ESTATEDESK_TEST_PRINTER_OUT": str(Path.home() / "PDF")}


def pytest_leg(name: str, args: list[str], env: dict) -> int:
    say(f"test leg: {name}")
    r = subprocess.run([str(PY), "-m", "pytest", *args], cwd=ROOT, env=env)
    if r.returncode == 5:
        say(f"{name}: no test ran — that is a failure")
        return 1
    return r.returncode


def test(argv: list[str]) -> int:
    mode = "auto"
    if argv[:1] == ["--postgresql"]:
        if len(argv) < 2 or argv[1] not in ("require", "auto", "skip"):
            say("--postgresql takes require, auto or skip")
            return 2
        mode, argv = argv[1], argv[2:]
    apt_install(DEBIAN_RUNTIME + DEBIAN_TEST)
    ensure_venv("test,build")
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    env.pop("ESTATEDESK_TEST_DB", None)
    env.update(print_queue())
    rc = pytest_leg("SQLite", argv, env)
    if mode == "skip":
        return rc
    if not (can_apt() and apt_install(DEBIAN_POSTGRESQL)):
        if mode == "require":
            say("PostgreSQL leg required but PostgreSQL cannot be installed here (needs Debian as root)")
            return 1
        say("PostgreSQL leg skipped: installing PostgreSQL needs Debian/Ubuntu as root")
        return rc
    pg = Postgres()
    try:
        env["ESTATEDESK_TEST_DB"] = pg.start()
        rc_pg = pytest_leg("PostgreSQL", argv, env)
    finally:
        pg.stop()
    return rc or rc_pg


def main() -> int:
    if len(sys.argv) < 2 or sys.argv[1] not in ("demo", "run", "test"):
        print(__doc__)
        return 2
    command, rest = sys.argv[1], sys.argv[2:]
    if sys.version_info < (3, 11):
        say("EstateDesk needs Python 3.11 or newer")
        return 2
    if command == "test":
        return test(rest)
    apt_install(DEBIAN_RUNTIME)
    ensure_venv("")
    args = ["demo", *rest] if command == "demo" else rest
    return subprocess.run([str(PY), str(ROOT / "main.py"), *args], cwd=ROOT).returncode


if __name__ == "__main__":
    sys.exit(main())
