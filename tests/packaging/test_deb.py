"""The .deb on this machine as an office's IT person uses it: the previous release's
package installed with apt and used (its office made, its window opened), then this build's
package installed over it — the office's data kept, migrated, a checked copy taken before,
the window opening in Chinese — the nightly backup switched on only when asked, and the
package removed leaving the data. Needs Debian's dpkg and apt as root (the CI machine)."""
import os
import shutil
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "packaging"))
import build  # noqa: E402

from tests.models.test_upgrades import version_of as schema_of  # noqa: E402
from tests.packaging.conftest import as_before, tables_of  # noqa: E402

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not (sys.platform.startswith("linux") and shutil.which("apt-get") and shutil.which("dpkg")
                            and hasattr(os, "geteuid") and os.geteuid() == 0),
                       reason="a .deb is installed with Debian's apt, as root"),
]
TIMER_LINK = Path("/etc/systemd/user/timers.target.wants/estatedesk-backup.timer")
TIMER_TIME = Path("/etc/systemd/user/estatedesk-backup.timer.d/time.conf")


def sh(*cmd, env=None, check=True, **kw) -> subprocess.CompletedProcess:
    r = subprocess.run([str(c) for c in cmd], env=env, capture_output=True, text=True, timeout=900, **kw)
    if check:
        assert r.returncode == 0, f"{cmd}: {r.stdout[-2000:]}\n{r.stderr[-2000:]}"
    return r


def apt(*args, preseed: str = "") -> None:
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    if preseed:
        subprocess.run(["debconf-set-selections"], input=preseed, text=True, check=True)
    sh("apt-get", "install", "-y", "-qq", "--no-install-recommends", "--allow-downgrades", *args, env=env)


def purge() -> None:
    subprocess.run(["dpkg", "--purge", "estatedesk"], capture_output=True)
    subprocess.run(["debconf-set-selections"], input="estatedesk estatedesk/nightly-backup boolean false\n",
                   text=True, capture_output=True)


def previous_release() -> tuple[str, int]:
    for line in (ROOT / "packaging" / "previous-release").read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            commit, schema = line.split()
            return commit, int(schema)
    raise AssertionError("packaging/previous-release names no commit")


def build_previous(tmp: Path) -> Path:
    """The previous release's bundle, built from its source with its own spec, as a .deb."""
    commit, _schema = previous_release()
    src = tmp / "previous"
    src.mkdir()
    archive = tmp / "previous.tar"
    r = sh("git", "-C", ROOT, "archive", "-o", archive, commit, check=False)
    assert r.returncode == 0, f"the previous release {commit} is not in this clone's history: {r.stderr}"
    with tarfile.open(archive) as t:
        t.extractall(src, filter="tar")
    sh(ROOT / ".venv" / "bin" / "python", "-m", "PyInstaller", "--noconfirm", "--log-level", "WARN",
       "--distpath", tmp / "previous-dist", "--workpath", tmp / "previous-work", src / "packaging" / "estatedesk.spec",
       cwd=src)
    count = sh("git", "-C", ROOT, "rev-list", "--count", commit).stdout.strip()
    return build.deb(tmp / "previous-dist" / "EstateDesk", tmp / "previous-deb", f"{build.version()}+{count}")


def as_clerk(home: Path, *args, **extra) -> subprocess.CompletedProcess:
    """The installed command, run as a clerk's session would: its own home, no Python."""
    env = {"PATH": "/usr/bin:/bin", "HOME": str(home), "QT_QPA_PLATFORM": "offscreen", "LANG": "C.UTF-8", **extra}
    return sh(*args, env=env, cwd=home)


@pytest.fixture
def clean_machine():
    purge()
    yield
    purge()


def test_the_deb_installs_upgrades_the_office_and_removes_leaving_its_data(bundle_dir, tmp_path, clean_machine):
    from models import migrations

    new_deb = build.deb(bundle_dir, tmp_path / "deb")
    old_deb = build_previous(tmp_path)
    home = tmp_path / "clerk"
    home.mkdir()
    office = home / ".local" / "share" / "EstateDesk" / "estatedesk.sqlite"  # the user's data folder

    # the previous release, as the office has used it
    apt(old_deb)
    assert Path("/usr/bin/estatedesk-cli").exists() and Path("/opt/estatedesk/EstateDesk").exists()
    assert not TIMER_LINK.exists()  # the nightly backup is off unless asked for
    as_clerk(home, "estatedesk-cli", "demo", "--no-gui", "--db", office)
    old_version = previous_release()[1]
    assert schema_of(office) == old_version < migrations.LATEST
    opened = as_clerk(home, "estatedesk", "--db", office, ESTATEDESK_LOGIN="li:demo1234",
                      ESTATEDESK_EXIT_WHEN_SHOWN="1")
    assert "shown " in opened.stdout
    before = tables_of(office)

    # this build over it, the nightly backup asked for at 22:15
    apt(new_deb, preseed="estatedesk estatedesk/nightly-backup boolean true\n"
                         "estatedesk estatedesk/backup-time string 22:15\n")
    status = sh("dpkg-query", "-W", "-f=${Version}", "estatedesk").stdout
    assert status == new_deb.name.split("_")[1]
    desktop = Path("/usr/share/applications/estatedesk.desktop").read_text(encoding="utf-8")
    assert "Name[zh_CN]=物业服务台" in desktop and "Exec=estatedesk" in desktop
    assert Path("/usr/share/icons/hicolor/256x256/apps/estatedesk.png").exists()
    assert TIMER_LINK.is_symlink() and "22:15" in TIMER_TIME.read_text()
    service = Path("/usr/lib/systemd/user/estatedesk-backup.service").read_text()
    assert "ExecStart=/usr/bin/estatedesk-cli backup --scheduled" in service

    # the night's run, as the timer starts it: the first start of the new version upgrades the office
    as_clerk(home, "estatedesk-cli", "--db", office, "backup", "--scheduled")
    assert schema_of(office) == migrations.LATEST
    after = tables_of(office)
    kept = as_before(after, before)  # the columns they had (migrations add theirs after)
    for table, rows in before.items():  # every row the office had is there, as it was
        if table != "app_meta":  # the schema's version and the last backup's time
            assert kept[table] == rows, table
    [copy] = office.parent.glob("estatedesk.before-upgrade-schema*.sqlite")
    assert schema_of(copy) == old_version and tables_of(copy) == before
    assert len(list((office.parent / "Backups" / "nightly").iterdir())) == 1

    shown = as_clerk(home, "estatedesk", "--db", office, ESTATEDESK_LOGIN="li:demo1234", ESTATEDESK_EXIT_WHEN_SHOWN="1")
    lines = dict(line.split(" ", 1) for line in shown.stdout.splitlines() if " " in line)
    assert "物业服务台" in lines["window"] and "收费" in lines["pages"].split("|")

    # removed: the program and its timer go, the office's data stays
    sh("apt-get", "remove", "-y", "-qq", "estatedesk", env=dict(os.environ, DEBIAN_FRONTEND="noninteractive"))
    assert not Path("/opt/estatedesk").exists() and not Path("/usr/bin/estatedesk-cli").exists()
    assert not TIMER_LINK.exists()
    assert tables_of(office)["house"] == after["house"] and schema_of(office) == migrations.LATEST
