"""Signing in, and on the very first start, setting the administrator's password."""
from __future__ import annotations

from PySide6.QtWidgets import (QDialog, QDialogButtonBox, QLabel, QLineEdit,
                               QVBoxLayout)

from models import users
from models.errors import OfficeError, ValidationError
from ui import i18n
from ui.form import Form, FormDialog


class LoginDialog(QDialog):
    def __init__(self, estate_name: str = "", last_user: str = "", parent=None):
        super().__init__(parent)
        self.user: users.User | None = None
        self.setWindowTitle(self.tr("EstateDesk — sign in"))
        title = QLabel(estate_name or self.tr("EstateDesk"))
        title.setStyleSheet("font-size: 18pt; font-weight: bold;")
        subtitle = QLabel(self.tr("EstateDesk — front desk of the management office"))
        subtitle.setStyleSheet("color: #555; margin-bottom: 8px;")
        self.setMinimumWidth(380)
        self.form = Form()
        self.username = self.form.add("username", self.tr("User name"), QLineEdit(last_user))
        self.password = self.form.add("password", self.tr("Password"), QLineEdit())
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.message = QLabel()
        self.message.setStyleSheet("color: #c0392b;")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText(self.tr("Sign in"))
        ok.setDefault(True)
        buttons.accepted.connect(self.try_login)
        buttons.rejected.connect(self.reject)
        box = QVBoxLayout(self)
        box.addWidget(title)
        box.addWidget(subtitle)
        box.addWidget(self.form)
        box.addWidget(self.message)
        box.addWidget(buttons)
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


class PasswordDialog(FormDialog):
    """A user changes their own password (the old one is asked again)."""

    def __init__(self, user, parent=None):
        super().__init__(self.tr("Change my password"), parent)
        self.user = user
        self.old = self.form.add("old", self.tr("Current password"), QLineEdit())
        self.new = self.form.add("password", self.tr("New password"), QLineEdit())
        self.repeat = self.form.add("repeat", self.tr("New password again"), QLineEdit())
        for edit in (self.old, self.new, self.repeat):
            edit.setEchoMode(QLineEdit.EchoMode.Password)

    def save(self):
        if self.new.text() != self.repeat.text():
            raise ValidationError({"repeat": (self.tr("The two passwords differ"), {})})
        return users.change_own_password(self.user, self.old.text(), self.new.text())


class FirstAdminDialog(FormDialog):
    """The first start of a new office database: who is its administrator?"""

    def __init__(self, parent=None):
        super().__init__(self.tr("Set up EstateDesk"), parent)
        self.user: users.User | None = None
        intro = QLabel(self.tr("This office database is new. Choose the administrator's user name "
                               "and password; the administrator then adds the other users."))
        intro.setWordWrap(True)
        self.box.insertWidget(0, intro)
        self.username = self.form.add("username", self.tr("User name"), QLineEdit("admin"))
        self.full_name = self.form.add("full_name", self.tr("Full name"), QLineEdit())
        self.password = self.form.add("password", self.tr("Password"), QLineEdit())
        self.repeat = self.form.add("repeat", self.tr("Password again"), QLineEdit())
        for edit in (self.password, self.repeat):
            edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setFocus()
        # a new PC for an office that has a backup: its data (and its users) come back instead
        restore = self.buttons.addButton(self.tr("Restore from a backup…"), QDialogButtonBox.ButtonRole.ResetRole)
        restore.setAutoDefault(False)
        restore.clicked.connect(self.restore)
        self.restored = False

    def restore(self) -> bool:
        from ui.restore_dialog import RestoreDialog

        if RestoreDialog(None, self).exec():
            self.restored = True
            self.user = None  # the backup's users sign in
            self.accept()
        return self.restored

    def save(self):
        if self.password.text() != self.repeat.text():
            raise ValidationError({"repeat": (self.tr("The two passwords differ"), {})})
        self.user = users.create_first_admin(self.username.text(), self.password.text(),
                                             self.full_name.text())
        return self.user
