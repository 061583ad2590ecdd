"""The receipt series' next number, set by a supervisor to match a new pre-printed book
(from the first steps and from the day close)."""
from __future__ import annotations

from PySide6.QtWidgets import QLineEdit

from models import cashier, users
from models.errors import QT_TRANSLATE_NOOP, ValidationError
from ui.approval import ApprovalDialog


class NextNumberDialog(ApprovalDialog):
    """A supervisor sets the next receipt number to match a new pre-printed book."""

    def __init__(self, series, parent=None):
        super().__init__(self.tr("Next receipt number"), self.tr(
            "Receipts are numbered {prefix}… and the next is {next}. To match a new pre-printed book, enter the "
            "number on its first form; numbering goes on from there.").format(
            prefix=series.prefix, next=series.text(series.next_number)), "cash.approve", self.apply,
            needs_reason=False, parent=parent)
        self.number = self.form.add("number", self.tr("Next number"), QLineEdit())
        self.number.setFocus()

    def apply(self, approver, _reason):
        text = self.number.text().strip()
        if not text.isdigit():
            raise ValidationError({"number": (QT_TRANSLATE_NOOP("Office", "Enter a whole number"), {})})
        # the supervisor who approved sets it: numbering is theirs to change, not the cashier's
        return cashier.set_next_number(users.redeem(approver, "cash.approve"), int(text))
