"""`pip install .` (not editable) gives a working program (issue 17): the wheel holds the
code and the translations, found with importlib.resources wherever it is installed, and
its entry points run. Built here from the checkout, installed into a folder of its own,
and run from outside the checkout."""
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    import shutil

    source = tmp_path_factory.mktemp("source") / "estatedesk"  # a copy: the build writes beside its sources
    shutil.copytree(ROOT, source, ignore=shutil.ignore_patterns(
        ".git", ".venv", "tests", "bench", "docs", "build", "dist", "*.egg-info", "__pycache__", "*.sqlite*"))
    out = tmp_path_factory.mktemp("wheel")
    built = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(out), str(source)],
                           capture_output=True, text=True, timeout=600)
    assert built.returncode == 0, built.stderr[-2000:]  # the build backend comes from the package registry
    [wheel] = out.glob("estatedesk-*.whl")
    target = tmp_path_factory.mktemp("site")
    done = subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", str(target),
                           str(wheel)], capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-2000:]
    return wheel, target


def run_installed(target: Path, code: str, tmp_path: Path, **env):
    """Python with the installed copy first on its path, started away from the checkout."""
    environment = dict(os.environ, PYTHONPATH=str(target), QT_QPA_PLATFORM="offscreen",
                       ESTATEDESK_DATA_DIR=str(tmp_path / "data"), **env)
    return subprocess.run([sys.executable, "-c", code], cwd=tmp_path, env=environment, capture_output=True,
                          text=True, timeout=300)


def test_the_wheel_holds_the_code_the_translations_and_the_entry_points(installed):
    wheel, _target = installed
    names = zipfile.ZipFile(wheel).namelist()
    for needed in ("main.py", "models/cashier.py", "models/migrations/m0001_core.py", "ui/app.py",
                   "printing/receipt.py", "resources/translations/estatedesk_zh_CN.qm",
                   "resources/translations/estatedesk_en.qm", "resources/translations/estatedesk_zh_CN.ts",
                   "ui/desk/page.py", "ui/service/page.py", "ui/kit.py", "printing/papers.py"):
        assert needed in names, needed
    [entry] = [n for n in names if n.endswith("entry_points.txt")]
    points = zipfile.ZipFile(wheel).read(entry).decode()
    assert "estatedesk-cli = main:main" in points and "estatedesk = main:main" in points


def test_an_installed_copy_opens_in_chinese_and_makes_the_demo(installed, tmp_path):
    _wheel, target = installed
    code = ("import sys, ui, models; assert ui.__file__.startswith(sys.argv[1] if len(sys.argv) > 1 else '')\n"
            "from PySide6.QtCore import QCoreApplication\n"
            "from ui import app, i18n\n"
            "a = app.make_app('zh_CN')\n"
            "print(ui.__file__)\n"
            "print(QCoreApplication.translate('Office', 'Wrong user name or password'))\n")
    done = run_installed(target, code, tmp_path)
    assert done.returncode == 0, done.stderr[-2000:]
    where, words = done.stdout.strip().splitlines()[-2:]
    assert where.startswith(str(target))  # the installed copy, not the checkout
    assert words == "用户名或密码错误" and "translation is missing" not in done.stderr
    demo = run_installed(target, "import sys, main; sys.exit(main.main(['demo', '--no-gui', '--db', 'office.sqlite']))",
                         tmp_path)
    assert demo.returncode == 0, demo.stderr[-2000:]
    assert "Demo users" in demo.stdout and (tmp_path / "office.sqlite").stat().st_size > 100_000


def test_an_installed_copy_opens_its_window_in_chinese_and_prints_papers_in_chinese(installed, tmp_path):
    """The window of the installed copy on the demo office, offscreen, in Chinese; a work
    order's words read from the shipped translation, whatever the window speaks."""
    _wheel, target = installed
    demo = run_installed(target, "import sys, main; sys.exit(main.main(['demo', '--no-gui', '--db', 'office.sqlite']))",
                         tmp_path)
    assert demo.returncode == 0, demo.stderr[-2000:]
    code = ("from ui import app\n"
            "from models import db, users\n"
            "a = app.make_app('zh_CN')\n"
            "db.connect(db.sqlite_url('office.sqlite'))\n"
            "from ui.main_window import MainWindow\n"
            "w = MainWindow(users.login('wang', 'demo1234'))\n"
            "w.show(); a.processEvents()\n"
            "print([w.nav.item(i).text() for i in range(w.nav.count())])\n"
            "from printing import words\n"
            "print(words.zh('Plumbing'))\n")
    done = run_installed(target, code, tmp_path)
    assert done.returncode == 0, done.stderr[-2000:]
    pages, plumbing = done.stdout.strip().splitlines()[-2:]
    assert "前台" in pages and "收费" in pages, pages
    assert plumbing == "给排水" and "translation is missing" not in done.stderr
