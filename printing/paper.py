"""The paper documents are printed on: A4 and A5 sheets, and the dot-matrix printer's
continuous forms, 241 mm wide in full (279.4 mm), half (139.7 mm) and third (93.1 mm)
heights. Offsets move everything on the page by a few millimetres, per printer, so the text
lands in the boxes of pre-printed stock."""
from __future__ import annotations

from dataclasses import dataclass

from reportlab.lib.units import mm

from models.errors import QT_TRANSLATE_NOOP


@dataclass(frozen=True)
class Paper:
    key: str
    width_mm: float
    height_mm: float
    label: str  # English, translated by the UI (context "Office")

    def size(self, landscape: bool = False) -> tuple[float, float]:
        """(width, height) in points."""
        w, h = self.width_mm * mm, self.height_mm * mm
        return (h, w) if landscape else (w, h)


PAPERS = {p.key: p for p in [
    Paper("A4", 210, 297, QT_TRANSLATE_NOOP("Office", "A4")),
    Paper("A5", 148, 210, QT_TRANSLATE_NOOP("Office", "A5")),
    Paper("CONT_FULL", 241, 279.4, QT_TRANSLATE_NOOP("Office", "Continuous form 241 × 279.4 mm")),
    Paper("CONT_HALF", 241, 139.7, QT_TRANSLATE_NOOP("Office", "Continuous form 241 × 139.7 mm (half)")),
    Paper("CONT_THIRD", 241, 93.1, QT_TRANSLATE_NOOP("Office", "Continuous form 241 × 93.1 mm (third)")),
]}


@dataclass(frozen=True)
class Offsets:
    """Where this printer puts the page, in mm: positive x moves right, positive y down."""
    x_mm: float = 0.0
    y_mm: float = 0.0

    def apply(self, canvas) -> None:
        canvas.translate(self.x_mm * mm, -self.y_mm * mm)
