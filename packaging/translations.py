#!/usr/bin/env python3
"""Refresh the translation sources from the code, then compile them.

    .venv/bin/python packaging/translations.py

`pyside6-lupdate` collects every tr() string of ui/ and every QT_TRANSLATE_NOOP message
of models/ into resources/translations/estatedesk_zh_CN.ts (keeping what is already
translated); edit that file (Qt Linguist, or any editor), then run this again to compile
the .qm that ships. tests/ui/test_translations.py fails while a string lacks Chinese.

The source strings are English, so English needs a translation only where a count decides
the words ("%n key(s) overdue" → "1 key overdue", "3 keys overdue"): estatedesk_en.ts holds
those messages alone (lupdate -pluralonly), with their English singular and plural.
"""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TS = ROOT / "resources" / "translations" / "estatedesk_zh_CN.ts"
EN_TS = ROOT / "resources" / "translations" / "estatedesk_en.ts"
BIN = Path(sys.executable).parent


def sources() -> list[str]:
    files = sorted(ROOT.glob("ui/**/*.py")) + sorted(ROOT.glob("models/*.py")) + sorted(ROOT.glob("printing/*.py"))
    return [str(p.relative_to(ROOT)) for p in files]


def lupdate(ts: Path, *options: str) -> None:
    subprocess.run([str(BIN / "pyside6-lupdate"), "-no-obsolete", "-locations", "none", *options, *sources(),
                    "-ts", str(ts)], cwd=ROOT, check=True, stdout=subprocess.DEVNULL)


def lrelease(ts: Path, qm: Path) -> None:
    subprocess.run([str(BIN / "pyside6-lrelease"), str(ts), "-qm", str(qm)], cwd=ROOT, check=True,
                   stdout=subprocess.DEVNULL)


def main() -> int:
    lupdate(TS)
    lupdate(EN_TS, "-pluralonly", "-source-language", "en", "-target-language", "en")
    for ts in (TS, EN_TS):
        lrelease(ts, ts.with_suffix(".qm"))
        print(ts.with_suffix(".qm"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
