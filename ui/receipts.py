"""A posted receipt on paper: its lines from the books, the office's wording from the
settings, this PC's receipt paper and printer offsets, marked 作废 or 补打 as it stands."""
from __future__ import annotations

from models import cashier, estate, settings
from printing import receipt as paper_receipt
from printing.furniture import Letterhead
from ui import prefs


def form_stock() -> cashier.FormStock | None:
    """This PC's receipt forms when they carry printed numbers (本机设置): how many lines a
    form of its paper holds and how many copies each receipt is printed in."""
    if not prefs.get("receipt/prenumbered"):
        return None
    return cashier.FormStock(paper_receipt.lines_per_form(prefs.get("receipt/paper")),
                             1 if prefs.get("receipt/carbonless") else len(paper_receipt.COPIES))


def receipt_data(r: cashier.Receipt) -> paper_receipt.ReceiptData:
    lines = [paper_receipt.ReceiptLine(l.item, l.amount, l.period, l.quantity, l.unit_price)
             for l in cashier.receipt_lines(r)]
    note = r.note
    if r.kind == "payment" and r.method == "cash" and r.tendered > r.total:
        from models import money

        note = (note + " " if note else "") + f"实收 {money.fmt(r.tendered)} 找零 {money.fmt(r.change)}"
    return paper_receipt.ReceiptData(
        number=r.number_text, date=r.business_date, house=r.house.label, payer=r.payer, lines=lines,
        method=cashier.METHOD_WORDS.get(r.method, r.method), cashier=r.cashier.display_name, void=r.void,
        reprints=r.reprints, note=note, form_numbers=_form_numbers(r), void_date=r.void_date,
        void_reason=r.void_reason)


def _form_numbers(r: cashier.Receipt) -> tuple[str, ...]:
    """The printed numbers of the forms a long receipt went on, in the order it prints
    (empty when it took one form)."""
    more = cashier.continuation_forms(r.id)
    return (r.number_text, *more) if more else ()


def receipt_pdf(r: cashier.Receipt, *, reprint: bool = False) -> bytes:
    """The receipt as it stands; `reprint`: as it will print again, marked 补打 with the next count."""
    data = receipt_data(r)
    if reprint:
        # the new forms' numbers are taken once it has printed: the reprint names the receipt's
        data = paper_receipt.ReceiptData(**{**data.__dict__, "reprints": r.reprints + 1, "form_numbers": ()})
    texts = paper_receipt.ReceiptTexts.from_settings(settings.all_values())
    if r.kind == "refund":  # money paid back: a refund document, not a receipt
        from dataclasses import replace

        texts = replace(texts, title="退  款  单")
    return paper_receipt.render(
        data, Letterhead.from_profile(estate.profile()), paper=prefs.get("receipt/paper"),
        carbonless=prefs.get("receipt/carbonless"), texts=texts)
