"""The forms around signing in: the first start's administrator (初始设置) and a user's own
password. They need the form kit, which the sign-in window itself does not load."""
from __future__ import annotations

from PySide6.QtWidgets import QDialogButtonBox, QLabel, QLineEdit

from models import users
from models.errors import ValidationError
from ui.form import FormDialog


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
        intro = QLabel(self.tr("This office database is new. Enter the administrator's user name, full name "
                               "and password; the administrator then sets the office up and adds the other "
                               "users."))
        intro.setWordWrap(True)
        self.box.insertWidget(0, intro)
        self.username = self.form.add("username", self.tr("User name"), QLineEdit("admin"))
        self.full_name = self.form.add("full_name", self.tr("Full name"), QLineEdit())
        self.password = self.form.add("password", self.tr("Password"), QLineEdit())
        self.repeat = self.form.add("repeat", self.tr("Password again"), QLineEdit())
        for edit in (self.password, self.repeat):
            edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.full_name.setFocus()  # the user name is filled in: the name comes next, then the password
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
        from models import first_steps

        if self.password.text() != self.repeat.text():
            raise ValidationError({"repeat": (self.tr("The two passwords differ"), {})})
        self.user = first_steps.first_administrator(self.username.text(), self.full_name.text(),
                                                    self.password.text())
        return self.user
