"""A supervisor's approval at the cashier's PC: the supervisor types their own name and
password (and the reason, where one is needed) into the dialog, and the action runs with
the approval the core gave for them (users.approve: single use, a few minutes). A wrong
password or a refused action keeps the dialog open with the message; nothing is written
until the action succeeds, and each try asks the core for a fresh approval."""
from __future__ import annotations

from typing import Callable

from PySide6.QtWidgets import QDialogButtonBox, QLabel, QLineEdit

from models import users
from ui.form import FormDialog


class ApprovalDialog(FormDialog):
    def __init__(self, title: str, what: str, permission: str, action: Callable[[users.Approval, str], object],
                 *, needs_reason: bool = True, parent=None):
        super().__init__(title, parent)
        self.permission, self.action, self.needs_reason = permission, action, needs_reason
        intro = QLabel(what)
        intro.setWordWrap(True)
        self.box.insertWidget(0, intro)
        self.reason = self.form.add("reason", self.tr("Reason"), QLineEdit()) if needs_reason else None
        self.username = self.form.add("username", self.tr("Supervisor"), QLineEdit())
        self.password = self.form.add("password", self.tr("Supervisor's password"), QLineEdit())
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setText(self.tr("Approve"))

    def save(self):
        approval = users.approve(self.username.text(), self.password.text(), self.permission)
        return self.action(approval, self.reason.text() if self.reason is not None else "")
