"""The built bundle, for the tests of what an office installs: ESTATEDESK_BUNDLE names one
already built (the Windows workflow's), else it is built once per run with the project's own
command (python3 packaging/build.py bundle) into a temporary folder.

Checked once, on the SQLite leg: the bundle and the .deb do not depend on which database the
suite's other tests use, and building them twice would only cost the CI time."""
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import PG_URL

ROOT = Path(__file__).resolve().parents[2]


def pytest_collection_modifyitems(config, items):
    if not PG_URL:
        return
    here = Path(__file__).parent
    skip = pytest.mark.skip(reason="the installed program is checked once, on the SQLite leg")
    for item in items:
        if here in Path(item.fspath).parents:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def bundle_dir(tmp_path_factory) -> Path:
    given = os.environ.get("ESTATEDESK_BUNDLE")
    if given:
        return Path(given).resolve()
    dist = tmp_path_factory.mktemp("dist")
    r = subprocess.run([sys.executable, str(ROOT / "packaging" / "build.py"), "bundle", "--dist", str(dist)],
                       cwd=ROOT, capture_output=True, text=True, timeout=1200)
    assert r.returncode == 0, f"the bundle did not build:\n{r.stdout[-3000:]}\n{r.stderr[-3000:]}"
    return dist / "EstateDesk"


def exe(bundle: Path, name: str) -> Path:
    return bundle / (f"{name}.exe" if sys.platform == "win32" else name)


def as_before(after: dict[str, list], before: dict[str, list]) -> dict[str, list]:
    """The tables of `before` as they are in `after`: their rows in the same order, each
    with the columns it had (a migration adds its columns after the old ones), so the
    upgraded office can be compared with what it held."""
    return {t: [row[:len(old)] for row, old in zip(after.get(t, []), rows)] for t, rows in before.items()}


def tables_of(path: Path, without: tuple[str, ...] = ()) -> dict[str, list]:
    """Every table's rows of an SQLite file, in the order they were written."""
    con = sqlite3.connect(path)
    try:
        names = [r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table' "
                                           "AND name NOT LIKE 'sqlite_%' ORDER BY name")]
        return {n: con.execute(f'SELECT * FROM "{n}" ORDER BY rowid').fetchall() for n in names if n not in without}
    finally:
        con.close()
