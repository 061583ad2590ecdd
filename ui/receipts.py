"""A posted receipt on this PC's paper: the document is made Qt-free (printing/papers);
here only what this PC says of its receipt paper (本机设置)."""
from __future__ import annotations

from models import cashier, estate
from printing import papers, receipt as paper_receipt
from printing.furniture import Letterhead
from ui import prefs


def form_stock() -> cashier.FormStock | None:
    """This PC's receipt forms when they carry printed numbers (本机设置): how many lines a
    form of its paper holds and how many copies each receipt is printed in."""
    if not prefs.get("receipt/prenumbered"):
        return None
    return cashier.FormStock(paper_receipt.lines_per_form(prefs.get("receipt/paper")),
                             1 if prefs.get("receipt/carbonless") else len(paper_receipt.COPIES))


def receipt_pdf(r: cashier.Receipt, *, reprint: bool = False) -> bytes:
    """The receipt as it stands, on this PC's receipt paper; `reprint`: as it prints again."""
    return papers.receipt_pdf(r, Letterhead.from_profile(estate.profile()), paper=prefs.get("receipt/paper"),
                              carbonless=prefs.get("receipt/carbonless"), reprint=reprint)
