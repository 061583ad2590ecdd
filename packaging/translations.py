#!/usr/bin/env python3
"""Refresh the Chinese translation source from the code, then compile it.

    .venv/bin/python packaging/translations.py

`pyside6-lupdate` collects every tr() string of ui/ and every QT_TRANSLATE_NOOP message
of models/ into resources/translations/estatedesk_zh_CN.ts (keeping what is already
translated); edit that file (Qt Linguist, or any editor), then run this again to compile
the .qm that ships. tests/ui/test_translations.py fails while a string lacks Chinese.
"""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TS = ROOT / "resources" / "translations" / "estatedesk_zh_CN.ts"
BIN = Path(sys.executable).parent


def sources() -> list[str]:
    files = sorted(ROOT.glob("ui/*.py")) + sorted(ROOT.glob("models/*.py")) + sorted(ROOT.glob("printing/*.py"))
    return [str(p.relative_to(ROOT)) for p in files]


def lupdate(ts: Path) -> None:
    subprocess.run([str(BIN / "pyside6-lupdate"), "-no-obsolete", "-locations", "none", *sources(),
                    "-ts", str(ts)], cwd=ROOT, check=True, stdout=subprocess.DEVNULL)


def lrelease(ts: Path, qm: Path) -> None:
    subprocess.run([str(BIN / "pyside6-lrelease"), str(ts), "-qm", str(qm)], cwd=ROOT, check=True,
                   stdout=subprocess.DEVNULL)


def main() -> int:
    lupdate(TS)
    lrelease(TS, TS.with_suffix(".qm"))
    print(TS.with_suffix(".qm"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
