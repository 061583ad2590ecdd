"""备份: the office's data into one file on a USB stick or in a folder, optionally sealed
with a password; the file is checked before it gets its name (models/backup)."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QComboBox, QFileDialog, QHBoxLayout, QLabel, QLineEdit, QMessageBox, \
    QPushButton, QWidget

from models import backup, estate
from models.errors import QT_TRANSLATE_NOOP, ValidationError
from ui import prefs, tasks
from ui.form import FormDialog


FOLDER_ON_STICK = "EstateDesk-backups"


class BackupDialog(FormDialog):
    def __init__(self, user, parent=None, drive: str | None = None):
        super().__init__(self.tr("Back up the office"), parent)
        self.user = user
        done = backup.last()
        about = QLabel(self.tr("Last good backup: {at}, {file}").format(at=f"{done[0]:%Y-%m-%d %H:%M}", file=done[1])
                       if done else self.tr("No backup has been made yet."))
        about.setWordWrap(True)
        self.box.insertWidget(0, about)
        sticks = QWidget()
        hs = QHBoxLayout(sticks)
        hs.setContentsMargins(0, 0, 0, 0)
        self.drives = QComboBox()
        self.drives.activated.connect(self.drive_chosen)
        again = QPushButton(self.tr("Look again"))
        again.clicked.connect(self.list_drives)
        hs.addWidget(self.drives, 1)
        hs.addWidget(again)
        self.form.add("drive", self.tr("USB stick"), sticks)
        row = QWidget()
        h = QHBoxLayout(row)
        h.setContentsMargins(0, 0, 0, 0)
        self.folder = QLineEdit(prefs.get("backup/folder") or "")
        self.folder.setPlaceholderText(self.tr("the USB stick, or a folder"))
        browse = QPushButton(self.tr("Choose…"))
        browse.clicked.connect(self.choose)
        h.addWidget(self.folder, 1)
        h.addWidget(browse)
        self.form.add("folder", self.tr("Into"), row)
        self.password = self.form.add("password", self.tr("Password (optional)"), QLineEdit())
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.again = self.form.add("again", self.tr("Password again"), QLineEdit())
        self.again.setEchoMode(QLineEdit.EchoMode.Password)
        self.buttons.button(self.buttons.StandardButton.Save).setText(self.tr("Back up"))
        self.made = None
        self.list_drives()
        if drive is not None and self.drives.findData(drive) >= 0:  # the stick just plugged in
            self.drives.setCurrentIndex(self.drives.findData(drive))
            self.drive_chosen(self.drives.currentIndex())

    def list_drives(self) -> None:
        self.drives.clear()
        found = backup.removable_drives()
        if not found:
            self.drives.addItem(self.tr("no USB stick found: plug one in, or choose a folder below"), None)
            return
        self.drives.addItem(self.tr("{n} found: choose one").format(n=len(found)), None)
        for path, label in found:
            self.drives.addItem(f"{path}  {label}".strip(), path)

    def drive_chosen(self, index: int) -> None:
        """A stick: its backups go into a folder of their own on it (made when needed)."""
        root = self.drives.itemData(index)
        if root:
            self.folder.setText(str(Path(root) / FOLDER_ON_STICK))

    def choose(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, self.tr("Back up into"), self.folder.text())
        if folder:
            self.folder.setText(folder)

    def without_password_confirmed(self) -> bool:
        """A backup without a password holds the owners' ID numbers and phones readable by
        anyone who has the stick: said, and going back to set one is the default."""
        box = QMessageBox(QMessageBox.Icon.Warning, self.windowTitle(), self.tr(
            "This backup will not be encrypted: anyone who has the stick or the file can read the owners' "
            "ID numbers, phones and everything else in it."), parent=self)
        box.setInformativeText(self.tr("Set a password unless the backup stays locked away."))
        back = box.addButton(self.tr("Set a password"), QMessageBox.ButtonRole.RejectRole)
        go_on = box.addButton(self.tr("Back up without a password"), QMessageBox.ButtonRole.AcceptRole)
        box.setDefaultButton(back)
        box.setEscapeButton(back)
        box.exec()
        return box.clickedButton() is go_on

    def save(self):
        if not self.folder.text().strip():
            raise ValidationError({"folder": (QT_TRANSLATE_NOOP("Office", "Choose where the backup goes"), {})})
        if self.password.text() != self.again.text():
            raise ValidationError({"again": (QT_TRANSLATE_NOOP("Office", "The two passwords differ"), {})})
        if not self.password.text() and not self.without_password_confirmed():
            raise ValidationError({"password": (QT_TRANSLATE_NOOP(
                "Office", "Type a password for the backup, and again below; keep it apart from the stick"), {})})
        folder = Path(self.folder.text().strip())
        if folder.name == FOLDER_ON_STICK and folder.parent.is_dir():
            try:
                folder.mkdir(exist_ok=True)
            except OSError:
                pass  # the backup says clearly that the folder is not there
        target, password, office = self.folder.text().strip(), self.password.text() or None, estate.profile().name
        self.made = tasks.run_with_progress(self, self.tr("Backing up…"), 0, tasks.patiently(
            lambda: backup.create(target, password=password, office=office)),
            keep_finished=True, cancellable=False)
        prefs.set("backup/folder", self.folder.text().strip())
        QMessageBox.information(self, self.windowTitle(), self.tr(
            "Backed up and checked: {file}").format(file=str(self.made)))
        return self.made
