"""恢复: put a backup in place of this PC's database. The backup is checked and what it
holds is shown first (when, which office, how many houses, owners, receipts …); the
current data is copied aside before anything is replaced (models/backup.restore). An
administrator's name and password are asked (the office's, or on a new PC the backup's
own), and another office's backup only after a question that names both offices."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFileDialog, QFormLayout, QHBoxLayout, QLabel, QLineEdit, \
    QMessageBox, QPushButton, QVBoxLayout, QWidget

from models import backup, clock, db, users
from models.errors import OfficeError
from ui.kit import refusal
from ui import i18n, prefs, tasks

SHOWN_COUNTS = ["house", "owner", "resident", "charge", "receipt", "repair", "complaint", "parcel"]


class RestoreDialog(QDialog):
    def __init__(self, user, parent=None):
        super().__init__(parent)
        self.user = user
        self.setWindowTitle(self.tr("Restore from a backup"))
        self.setMinimumWidth(620)
        self.manifest: backup.Manifest | None = None
        self.safety: Path | None = None

        warning = QLabel(self.tr("Restoring replaces all of this office's data with the backup's. The data as it "
                                 "is now is copied aside first. Other PCs must close EstateDesk before you go on."))
        warning.setWordWrap(True)
        warning.setStyleSheet("color: #c0392b;")
        form = QFormLayout()
        row = QWidget()
        h = QHBoxLayout(row)
        h.setContentsMargins(0, 0, 0, 0)
        self.file = QLineEdit()
        self.file.setPlaceholderText(self.tr("the backup file (.edbackup): type its path or choose it"))
        self.file.textEdited.connect(self.forget)
        self.file.returnPressed.connect(self.inspect)
        choose = QPushButton(self.tr("Choose…"))
        choose.clicked.connect(self.choose)
        h.addWidget(self.file, 1)
        h.addWidget(choose)
        form.addRow(self.tr("Backup file"), row)
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setPlaceholderText(self.tr("only for a backup made with a password"))
        self.password.textEdited.connect(self.forget)
        self.password.returnPressed.connect(self.inspect)
        form.addRow(self.tr("Password"), self.password)
        # who restores: an administrator of the office being replaced (on a new PC, of the backup)
        self.admin = QLineEdit(user.username if user is not None and users.has(user, "backup.restore") else "")
        self.admin.setPlaceholderText(self.tr("an administrator's user name"))
        form.addRow(self.tr("Administrator"), self.admin)
        self.admin_password = QLineEdit()
        self.admin_password.setEchoMode(QLineEdit.EchoMode.Password)
        self.admin_password.setPlaceholderText(self.tr("the administrator's own password, to sign the restore"))
        form.addRow(self.tr("Administrator's password"), self.admin_password)
        self.inspect_button = QPushButton(self.tr("&Check the backup"))
        self.inspect_button.clicked.connect(self.inspect)
        check_row = QHBoxLayout()
        check_row.addWidget(self.inspect_button)
        check_row.addStretch(1)
        form.addRow("", check_row)
        self.contents = QLabel(self.tr("Choose a backup file and check it: what it holds is shown here."))
        self.contents.setWordWrap(True)
        self.contents.setMinimumHeight(120)
        self.contents.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.restore_button = self.buttons.addButton(self.tr("&Restore"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.rejected.connect(self.reject)
        self.restore_button.clicked.connect(self.restore)
        box = QVBoxLayout(self)
        box.addWidget(warning)
        box.addLayout(form)
        box.addWidget(self.contents, 1)
        box.addWidget(self.buttons)
        self.forget()
        # this PC's file, or None: the server the office works on (its rows are replaced in one transaction)
        self.live = Path(db.database.obj.database) if db.is_sqlite() else None

    def choose(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, self.windowTitle(), prefs.folder("backup/folder"),
                                              self.tr("EstateDesk backups (*.edbackup)"))
        if path:
            self.file.setText(path)
            self.forget()
            self.inspect()

    def forget(self, *_args) -> None:
        self.manifest = None
        self.restore_button.setEnabled(False)
        self.contents.setText(self.tr("Choose a backup file and check it: what it holds is shown here."))
        self.contents.setStyleSheet("")

    def inspect(self) -> backup.Manifest | None:
        """Check the whole backup (seal, checksums, the database's own integrity check) and
        show what it holds."""
        self.forget()
        path, password = self.file.text(), self.password.text() or None
        if not path:
            return None
        try:
            manifest = tasks.run_with_progress(self, self.tr("Checking the backup…"), 0,
                                               lambda _report, _cancelled: backup.verify(path, password))
        except OfficeError as e:
            self.contents.setText(i18n.error_text(e))
            self.contents.setStyleSheet("color: #c0392b;")
            if self.file.text() and Path(path).is_file():  # a password to type (again): the cursor goes there
                self.password.setFocus()
                self.password.selectAll()
            return None
        if manifest is None:
            return None
        self.manifest = manifest
        self.contents.setStyleSheet("")
        size = Path(path).stat().st_size
        lines = [self.tr("Made {at} for {office}").format(at=f"{manifest.created:%Y-%m-%d %H:%M}",
                                                          office=manifest.office or "-"),
                 self.tr("Data version {version}; the file is {mb} MB and passed every check").format(
                     version=manifest.schema, mb=f"{size / 1_000_000:.1f}")]
        counts = "  ".join(f"{self.count_label(key)} {manifest.counts.get(key, 0):,}" for key in SHOWN_COUNTS
                           if key in manifest.counts)
        lines.append(counts)
        scans = sum(1 for name in manifest.files if name.startswith("scans/"))
        if scans:
            lines.append(self.tr("%n scanned document(s)", "", scans))
        age = clock.now() - manifest.created
        if age.days >= 1:
            lines.append(self.tr("Everything entered after it (%n day(s)) will be gone from the restored data.", "",
                                 age.days))
        self.contents.setText("\n".join(lines))
        self.restore_button.setEnabled(True)
        self.restore_button.setDefault(True)  # checked: Enter restores (after its question)
        return manifest

    def count_label(self, key: str) -> str:
        return {"house": self.tr("Houses"), "owner": self.tr("Owners"), "resident": self.tr("Residents"),
                "charge": self.tr("Charges"), "receipt": self.tr("Receipts"), "repair": self.tr("Repairs"),
                "complaint": self.tr("Complaints"), "parcel": self.tr("Parcels")}[key]

    def run_restore(self, other_office: bool) -> Path | None:
        """The restore itself (models/backup.restore), with the administrator's name and password."""
        password = self.password.text() or None
        who = dict(username=self.admin.text().strip(), user_password=self.admin_password.text(),
                   other_office=other_office)
        if self.live is None:
            return tasks.run_with_progress(  # a restore runs to its end: no Cancel
                self, self.tr("Restoring…"), 0, lambda _report, _cancelled: backup.restore(
                    self.file.text(), None, password, safety_dir=db.default_data_dir() / "Backups", **who),
                keep_finished=True, cancellable=False)
        url = db.sqlite_url(self.live)
        db.close()  # the backup is written into the file through SQLite; this window reads it afresh
        try:
            return backup.restore(self.file.text(), self.live, password, **who)
        finally:
            db.connect(url)

    def restore(self) -> Path | None:
        if self.manifest is None:
            return None
        answer = QMessageBox.question(
            self, self.windowTitle(),
            self.tr("Replace this office's data with the backup of {at}? The data as it is now is kept aside.")
            .format(at=f"{self.manifest.created:%Y-%m-%d %H:%M}"),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, QMessageBox.StandardButton.No)
        if answer != QMessageBox.StandardButton.Yes:
            return None
        if not self.admin.text().strip() or not self.admin_password.text():
            QMessageBox.warning(self, self.windowTitle(), self.tr(
                "Enter an administrator's user name and password: a restore is signed by an administrator."))
            (self.admin if not self.admin.text().strip() else self.admin_password).setFocus()
            return None
        other = False
        while True:
            try:
                self.safety = self.run_restore(other)
                break
            except backup.OtherOffice as e:
                if other or QMessageBox.question(
                        self, self.windowTitle(),
                        self.tr("This backup is of another office: {theirs}. This office is {ours}. Replace all "
                                "of {ours}'s data with {theirs}'s?").format(theirs=e.theirs, ours=e.ours),
                        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                        QMessageBox.StandardButton.No) != QMessageBox.StandardButton.Yes:
                    return None
                other = True
            except OfficeError as e:
                refusal(self, self.windowTitle(), e)
                return None
        if self.safety is None:
            return None
        QMessageBox.information(self, self.windowTitle(), self.tr(
            "Restored. The data as it was before is kept in {file}. Sign in again.").format(file=str(self.safety)))
        self.accept()
        return self.safety
