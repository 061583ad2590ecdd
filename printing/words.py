"""The Chinese of the office's own words (the core's labels, context "Office") for the
papers, which are Chinese in any UI language: read once from the translation source that
ships with the program, without Qt."""
from __future__ import annotations

import functools
import xml.etree.ElementTree as ET
from importlib import resources


@functools.cache
def _office() -> dict[str, str]:
    source = resources.files("resources") / "translations" / "estatedesk_zh_CN.ts"
    with source.open("rb") as f:
        root = ET.parse(f).getroot()
    words = {}
    for context in root.iter("context"):
        if context.findtext("name") != "Office":
            continue
        for message in context.iter("message"):
            text = message.find("translation")
            if text is not None and text.text and text.get("type") not in ("unfinished", "obsolete", "vanished"):
                words[message.findtext("source")] = text.text
    return words


def zh(label: str) -> str:
    """The Chinese of a core label ("Plumbing" → "水电"); the label itself when it has none."""
    return _office().get(label, label)
