"""Signing in. The sign-in window is the first thing every start shows, so it is built from
the plainest widgets (no form kit, no standard button box) and this module imports nothing
of the pages: the rest loads after the password. The first start's administrator and the
own-password dialog are forms, in ui.account."""
from __future__ import annotations

from PySide6.QtWidgets import QDialog, QGridLayout, QHBoxLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout

from models import users
from models.errors import OfficeError
from ui import i18n


class LoginDialog(QDialog):
    def __init__(self, estate_name: str = "", last_user: str = "", parent=None):
        super().__init__(parent)
        self.user: users.User | None = None
        self.setWindowTitle(self.tr("EstateDesk — sign in"))
        title = QLabel(estate_name or self.tr("EstateDesk"))
        font = title.font()
        font.setPointSize(18)
        font.setBold(True)
        title.setFont(font)
        subtitle = QLabel(self.tr("EstateDesk — front desk of the management office"))
        subtitle.setStyleSheet("color: #555; margin-bottom: 8px;")
        self.setMinimumWidth(380)
        self.username = QLineEdit(last_user)
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        fields = QGridLayout()
        for row, (label, edit) in enumerate(((self.tr("User name"), self.username),
                                             (self.tr("Password"), self.password))):
            fields.addWidget(QLabel(label), row, 0)
            fields.addWidget(edit, row, 1)
        self.message = QLabel()
        self.message.setStyleSheet("color: #c0392b;")
        self.message.setWordWrap(True)
        ok = QPushButton(self.tr("Sign in"))
        ok.setDefault(True)  # Enter in either field signs in
        ok.clicked.connect(self.try_login)
        cancel = QPushButton(self.tr("Cancel"))
        cancel.setAutoDefault(False)
        cancel.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(ok)
        buttons.addWidget(cancel)
        box = QVBoxLayout(self)
        box.addWidget(title)
        box.addWidget(subtitle)
        box.addLayout(fields)
        box.addWidget(self.message)
        box.addLayout(buttons)
        (self.password if last_user else self.username).setFocus()

    def try_login(self) -> None:
        try:
            self.user = users.login(self.username.text(), self.password.text())
        except OfficeError as e:
            self.message.setText(i18n.error_text(e))
            self.password.selectAll()
            self.password.setFocus()
            return
        self.accept()


def __getattr__(name: str):
    """The first start's and the own-password dialogs live in ui.account, with the form kit
    the sign-in window does not wait for; they are found here too."""
    if name in ("FirstAdminDialog", "PasswordDialog"):
        from ui import account

        return getattr(account, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
