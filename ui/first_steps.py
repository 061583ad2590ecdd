"""开始使用 on 今日: a new office's first steps for its administrator (models/first_steps),
each ticked off by the office's data and each with the button that does it: the page or
dialog opens where the step is done. The box reads the steps again whenever it is shown
and after each of its actions, and goes away once every step is done."""
from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QCheckBox, QGroupBox, QHBoxLayout, QLabel, QPushButton, QScrollArea, QVBoxLayout

from models import first_steps
from ui import i18n


def for_user(user, parent=None) -> "FirstStepsBox | None":
    """The box for an administrator; None for everyone else."""
    return FirstStepsBox(user, parent) if first_steps.shown_to(user) else None


class FirstStepsBox(QGroupBox):
    def __init__(self, user, parent=None):
        super().__init__(self.tr("First steps"), parent)
        self.user = user
        self.steps: list[first_steps.Step] = []
        self.checks: dict[str, QCheckBox] = {}
        self.buttons: dict[str, list[QPushButton]] = {}
        actions = {
            "profile": [(self.tr("Estate profile…"), self.open_profile)],
            "buildings": [(self.tr("Add a building…"), self.add_building),
                          (self.tr("Import from Excel…"), self.import_excel)],
            "users": [(self.tr("Add a user…"), self.add_user)],
            "fees": [(self.tr("Fee items…"), self.open_fees)],
            "receipts": [(self.tr("Receipt numbers…"), self.set_receipt_numbers)],
        }
        box = QVBoxLayout(self)
        intro = QLabel(self.tr("This office is new: these steps set it up. Each is ticked off by itself once "
                               "it is done."))
        intro.setWordWrap(True)
        box.addWidget(intro)
        for key, (title, hint) in first_steps.STEPS.items():
            check = QCheckBox(i18n.office(title))
            check.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)  # ticked by the data, not by hand
            check.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            self.checks[key] = check
            about = QLabel(i18n.office(hint))
            about.setWordWrap(True)
            about.setStyleSheet("color: #555; margin-left: 24px;")
            text = QVBoxLayout()
            text.setSpacing(0)
            text.addWidget(check)
            text.addWidget(about)
            row = QHBoxLayout()
            row.addLayout(text, 1)
            self.buttons[key] = []
            for label, slot in actions[key]:
                b = QPushButton(label)
                b.setAutoDefault(False)
                b.clicked.connect(lambda _=False, do=slot: self.act(do))
                row.addWidget(b, 0, Qt.AlignmentFlag.AlignVCenter)
                self.buttons[key].append(b)
            box.addLayout(row)
        self.reload()

    def reload(self) -> None:
        self.steps = first_steps.steps()
        for step in self.steps:
            self.checks[step.key].setChecked(step.done)
        self.setVisible(not all(step.done for step in self.steps))

    def step(self, key: str) -> first_steps.Step:
        return next(s for s in self.steps if s.key == key)

    def showEvent(self, event):  # noqa: N802 - back on 今日 after doing a step elsewhere
        super().showEvent(event)
        QTimer.singleShot(0, self.reload)

    def act(self, action) -> None:
        action()
        self.reload()

    # --- where each step is done ---------------------------------------------------------

    def _page(self, key: str):
        window = self.window()
        return window.page(key) if hasattr(window, "page") else None

    def open_profile(self) -> None:
        page = self._page("settings")
        if page is None:
            return

        def show():
            scroll = page.findChild(QScrollArea)
            if scroll is not None:
                scroll.ensureWidgetVisible(page.profile_form)
            page.profile_edits["name"].setFocus()
        QTimer.singleShot(0, show)  # once the page is laid out

    def add_building(self) -> None:
        page = self._page("archive")
        if page is not None:
            page.add_building()

    def import_excel(self) -> None:
        window = self.window()
        if hasattr(window, "import_excel"):
            window.import_excel("houses")

    def add_user(self) -> None:
        page = self._page("settings")
        if page is not None:
            page.edit_user(None)

    def open_fees(self) -> None:
        self._page("fees")

    def set_receipt_numbers(self) -> None:
        from models import cashier
        from ui.receipt_numbers import NextNumberDialog

        NextNumberDialog(cashier.active_series(), self).exec()
