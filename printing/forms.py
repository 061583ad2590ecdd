"""The documents an office can give a form of its own (models.templates.DOCUMENTS), and for
each: where its form starts (the built-in layout as a template) and the demo's document
printed on a form, for the designer's preview and test print."""
from __future__ import annotations

import datetime

from models import templates
from printing import dunning, parcel_label, receipt, slip
from printing.furniture import Letterhead

NOTICES = ("notice", "dunning")


def start(document: str, paper: str) -> templates.Template:
    """The built-in layout of `document` on `paper`, as a template to fit to the stock (a
    parcel label: the built-in roll label, whatever `paper`)."""
    if document == "receipt":
        return receipt.default_template(paper)
    if document in NOTICES:
        return dunning.default_template(document, paper)
    if document == "parcel-label":
        return parcel_label.default_template()
    return slip.default_template(document, paper)


def sample_pdf(t: templates.Template, letterhead: Letterhead, on: datetime.date, *, plain: bool = True,
               grid: bool = False) -> bytes:
    """The demo's document of the form's kind printed on it (Unfit or Overprint when a value
    does not fit or two would meet)."""
    if t.document == "receipt":
        return receipt.render(receipt.sample(on), letterhead, template=t, carbonless=True, plain=plain, grid=grid)
    if t.document in NOTICES:
        return dunning.render_forms([dunning.sample(t.document, on)], letterhead, t, plain=plain, grid=grid)
    if t.document == "parcel-label":
        return parcel_label.render_many([parcel_label.sample(on)], template=t, plain=plain, grid=grid)
    return slip.render(slip.sample(t.document, on), letterhead, template=t, plain=plain, grid=grid)
