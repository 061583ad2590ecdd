"""A posted receipt on this PC's paper: the document is made Qt-free (printing/papers);
here only what this PC says of its receipt stock (本机设置): the paper, the office's template
for it and whether only the values print (套打), carbonless or three copies, numbered forms."""
from __future__ import annotations

from models import cashier, estate, templates
from printing import papers, receipt as paper_receipt
from printing.furniture import Letterhead
from ui import prefs


def form(document: str) -> templates.Template | None:
    """The office's form this PC prints `document` on (本机设置), or None: the built-in
    layout (also when the form chosen has been deleted since)."""
    return templates.find(document, prefs.get(f"{document}/template"))


def data_only(document: str) -> bool:
    return bool(prefs.get(f"{document}/data_only"))


def rows_per_form() -> int:
    t = form("receipt")
    if t is not None and t.table is not None:
        return t.table.rows
    return paper_receipt.lines_per_form(prefs.get("receipt/paper"))


def form_stock() -> cashier.FormStock | None:
    """This PC's receipt forms when they carry printed numbers (本机设置): how many lines a
    form of its paper holds and how many copies each receipt is printed in."""
    if not prefs.get("receipt/prenumbered"):
        return None
    return cashier.FormStock(rows_per_form(), 1 if prefs.get("receipt/carbonless") else len(paper_receipt.COPIES))


def receipt_pdf(r: cashier.Receipt, *, reprint: bool = False) -> bytes:
    """The receipt as it stands, on this PC's receipt stock; `reprint`: as it prints again."""
    t = form("receipt")
    return papers.receipt_pdf(r, Letterhead.from_profile(estate.profile()), paper=prefs.get("receipt/paper"),
                              carbonless=prefs.get("receipt/carbonless"), reprint=reprint, template=t,
                              plain=not prefs.get("receipt/data_only"))


def printable(r: cashier.Receipt) -> None:
    """Refuses (printing.template.Unfit, naming the field) a receipt this PC's form cannot
    hold: cashier.take_payment asks it before the payment is kept."""
    papers.receipt_check(r, form("receipt"), paper=prefs.get("receipt/paper"), carbonless=prefs.get("receipt/carbonless"),
                         plain=not prefs.get("receipt/data_only"))
