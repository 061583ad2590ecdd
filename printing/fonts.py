"""The one Chinese TrueType font every document uses, found once and registered once.

Order: a path set in settings, the fonts every Chinese Windows PC has, then Debian's
fonts-wqy-microhei (what Linux and CI use). reportlab embeds a subset of it, so the
paper prints the same on any PC. OpenType/CFF fonts (Noto CJK .otf) do not work in
reportlab, and its built-in CID fonts are not embedded, so neither is used.
"""
from __future__ import annotations

import os
import sys
from pathlib import Path

FONT_NAME = "EstateDeskCJK"

_BUNDLED = Path(getattr(sys, "_MEIPASS", Path(__file__).resolve().parent.parent)) / "resources" / "fonts"

CANDIDATES = [
    *sorted(_BUNDLED.glob("*.tt[cf]")),  # the font a Windows build carries
    Path(os.environ.get("WINDIR", r"C:\Windows")) / "Fonts" / "msyh.ttc",
    Path(os.environ.get("WINDIR", r"C:\Windows")) / "Fonts" / "simsun.ttc",
    Path(os.environ.get("WINDIR", r"C:\Windows")) / "Fonts" / "simhei.ttf",
    Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"),
    Path("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"),
]


class FontMissing(RuntimeError):
    pass


_registered: str | None = None


def find(configured: str | None = None) -> Path:
    paths = ([Path(configured)] if configured else []) + CANDIDATES
    for p in paths:
        if p.is_file():
            return p
    raise FontMissing("No Chinese TrueType font found. On Windows, Microsoft YaHei (msyh.ttc) or "
                      "SimSun (simsun.ttc) is needed; on Debian/Ubuntu install fonts-wqy-microhei.")


def register(configured: str | None = None) -> str:
    """Register the font with reportlab (once) and return its name."""
    global _registered
    if _registered:
        return _registered
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    path = find(configured)
    kwargs = {"subfontIndex": 0} if path.suffix.lower() == ".ttc" else {}
    pdfmetrics.registerFont(TTFont(FONT_NAME, str(path), **kwargs))
    _registered = FONT_NAME
    return FONT_NAME
