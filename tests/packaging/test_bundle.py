"""The built bundle alone — no Python on the path, no source beside it — does what an
office does on its first day: makes the demo office, opens the window in Chinese, prints a
receipt, backs up and checks the backup. It carries the translations, the Chinese font,
the icon and the guide, and none of Qt's WebEngine, QML or virtual keyboard."""
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from tests.packaging.conftest import as_before, exe, tables_of

pytestmark = pytest.mark.slow


def alone(tmp_path: Path, **extra) -> dict:
    """An environment with nothing of the build machine's Python in it."""
    empty = tmp_path / "bin"
    empty.mkdir(exist_ok=True)
    env = {"PATH": str(empty), "HOME": str(tmp_path / "home"), "QT_QPA_PLATFORM": "offscreen",
           "ESTATEDESK_DATA_DIR": str(tmp_path / "data"), "LANG": "C.UTF-8"}
    for keep in ("SYSTEMROOT", "TEMP", "TMP", "USERPROFILE", "APPDATA", "LOCALAPPDATA"):  # Windows needs these
        if keep in os.environ:
            env[keep] = os.environ[keep]
    (tmp_path / "home").mkdir(exist_ok=True)
    env.update(extra)
    assert shutil.which("python3", path=env["PATH"]) is None and shutil.which("python", path=env["PATH"]) is None
    return env


def run(bundle: Path, name: str, *args, env: dict, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([str(exe(bundle, name)), *args], env=env, cwd=cwd, capture_output=True, text=True,
                          encoding="utf-8", timeout=300)


def test_the_bundle_alone_makes_the_demo_opens_in_chinese_prints_and_backs_up(bundle_dir, tmp_path):
    env = alone(tmp_path)
    office = tmp_path / "office.sqlite"
    made = run(bundle_dir, "estatedesk-cli", "demo", "--no-gui", "--db", str(office), env=env, cwd=tmp_path)
    assert made.returncode == 0, made.stderr
    assert "houses: 804" in made.stdout

    shown = run(bundle_dir, "EstateDesk", "--db", str(office), cwd=tmp_path,
                env=dict(env, ESTATEDESK_LOGIN="li:demo1234", ESTATEDESK_EXIT_WHEN_SHOWN="1"))
    assert shown.returncode == 0, shown.stderr
    lines = dict(line.split(" ", 1) for line in shown.stdout.splitlines() if " " in line)
    assert "物业服务台" in lines["window"]
    pages = lines["pages"].split("|")
    assert "今日" in pages and "收费" in pages and "Today" not in pages
    from printing import guide  # F1 in the installed program: its chapter, and the printable guide it carries

    assert guide.chapter_for("today", "zh_CN").title in lines["guide"]
    assert int(lines["guide_chapters"]) == len(guide.index()["chapters"])
    assert lines["guide_pdf"] == guide.PDF_NAMES["zh_CN"]

    con = sqlite3.connect(office)
    number = con.execute("SELECT number_text FROM receipt WHERE kind = 'payment' AND void = 0 "
                         "ORDER BY id LIMIT 1").fetchone()[0]
    con.close()
    pdf = tmp_path / "receipt.pdf"
    printed = run(bundle_dir, "estatedesk-cli", "--db", str(office), "print", "receipt", number, "--to", str(pdf),
                  "--user", "li", env=dict(env, ESTATEDESK_PASSWORD="demo1234"), cwd=tmp_path)
    assert printed.returncode == 0, printed.stderr
    from pypdf import PdfReader

    page = PdfReader(pdf).pages[0]
    text = page.extract_text()
    assert number in text and "收" in text
    width_mm = float(page.mediabox.width) / 72 * 25.4
    assert abs(width_mm - 241) < 1  # the continuous form's width, long side across: not turned

    usb = tmp_path / "usb"
    usb.mkdir()
    backed = run(bundle_dir, "estatedesk-cli", "--db", str(office), "backup", "--to", str(usb), env=env, cwd=tmp_path)
    assert backed.returncode == 0, backed.stderr
    [made_backup] = list(usb.iterdir())
    checked = run(bundle_dir, "estatedesk-cli", "verify-backup", str(made_backup), env=env, cwd=tmp_path)
    assert checked.returncode == 0, checked.stderr
    assert checked.stdout.startswith("ok: ") and "804 houses" in checked.stdout


def test_the_bundle_carries_its_files_and_not_the_parts_it_never_uses(bundle_dir):
    inside = bundle_dir / "_internal" if (bundle_dir / "_internal").is_dir() else bundle_dir
    names = {p.relative_to(inside).as_posix() for p in inside.rglob("*") if p.is_file()}
    for needed in ("resources/translations/estatedesk_zh_CN.qm", "resources/translations/estatedesk_en.qm",
                   "resources/translations/estatedesk_zh_CN.ts", "resources/icons/estatedesk.png"):
        assert needed in names
    assert any(n.startswith("resources/fonts/") and n.endswith((".ttf", ".ttc")) for n in names)
    from printing import guide

    for lang, pdf in guide.PDF_NAMES.items():
        assert f"resources/guide/{pdf}" in names
        for chapter in guide.index()["chapters"]:
            assert f"resources/guide/{lang}/{chapter}" in names
    assert {f"resources/guide/images/{p.name}" for p in guide.IMAGES.glob("*.png")} <= names
    unused = [n for n in names if any(part in n for part in ("WebEngine", "Qt6Quick", "Qt6Qml", "VirtualKeyboard"))]
    assert not unused, unused[:5]
    platforms = {Path(n).name for n in names if "/plugins/platforms/" in n}
    expected = "qwindows.dll" if sys.platform == "win32" else "libqxcb.so"
    assert expected in platforms and not any("vnc" in p or "eglfs" in p for p in platforms)


def test_the_last_releases_database_saved_in_tests_data_upgrades_through_the_bundle(bundle_dir, tmp_path):
    """An office's database as the last release left it, opened by the built program:
    every table's rows as they were, the schema today's, a checked copy kept beside it."""
    from models import migrations
    from tests.models.test_upgrades import saved, unpacked, version_of

    last = migrations.LATEST - 1
    office = unpacked(saved()[last], tmp_path)

    def rows(path):
        return tables_of(path, without=("app_meta",))

    before = rows(office)
    usb = tmp_path / "usb"
    usb.mkdir()
    r = run(bundle_dir, "estatedesk-cli", "--db", str(office), "backup", "--to", str(usb), env=alone(tmp_path),
            cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert version_of(office) == migrations.LATEST
    after = rows(office)
    assert as_before(after, before) == before
    [copy] = office.parent.glob(f"{office.stem}.before-upgrade-schema{last}-*.sqlite")
    assert rows(copy) == before
