"""Signing in. The sign-in window is the first thing every start shows, so it is built from
the plainest widgets (no form kit, no standard button box) and this module imports nothing
of the pages: the rest loads after the password. The first start's administrator and the
own-password dialog are forms, in ui.account."""
from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QDialog, QGridLayout, QHBoxLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout

from ui import i18n


class LoginDialog(QDialog):
    """`opening`, when given, opens the database once the window is up (the clerk types her
    name and password meanwhile); see ui.app.run."""

    def __init__(self, estate_name: str = "", last_user: str = "", parent=None, opening=None):
        super().__init__(parent)
        self.user = None
        self.opening = opening
        self.setWindowTitle(self.tr("EstateDesk — sign in"))
        self.title = title = QLabel()
        self.show_estate(estate_name)
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

    def show_estate(self, name: str) -> None:
        self.title.setText(name or self.tr("EstateDesk"))

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if self.opening is not None:
            QTimer.singleShot(300, self.open_now)  # should the first paint not come (a minimised start)

    def paintEvent(self, event) -> None:
        super().paintEvent(event)
        if self.opening is not None:
            QTimer.singleShot(0, self.open_now)  # once the window is on the screen

    def open_now(self) -> None:
        if self.opening is not None:
            opening, self.opening = self.opening, None
            opening()

    def try_login(self) -> None:
        if self.opening is not None:  # a name and password typed before the database opened
            self.open_now()
            if not self.isVisible():  # it would not open: said already
                return
        from models import users
        from models.errors import OfficeError

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
