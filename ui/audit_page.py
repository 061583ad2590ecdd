"""The audit browser (操作日志) for supervisors: who did what and when, filtered by user,
action, dates and text, newest first, fetched a page at a time."""
from __future__ import annotations

import datetime
import json

from PySide6.QtCore import QCoreApplication, QDate, Qt
from PySide6.QtWidgets import (QComboBox, QDateEdit, QLabel, QLineEdit,
                               QPushButton, QVBoxLayout, QWidget)

from models import audit, clock, labels, users
from ui import i18n
from ui.kit import table_view
from ui.reflow import FlowLayout
from ui.table_models import PagedModel


def _word(value) -> str:
    if isinstance(value, bool):
        return QCoreApplication.translate("AuditPage", "yes") if value else QCoreApplication.translate("AuditPage", "no")
    if isinstance(value, str):
        if "," in value and all(part in users.ROLES for part in value.split(",")):
            return "、".join(i18n.office(users.ROLES[part]) for part in value.split(","))
        label = labels.label_of_code(value)
        return i18n.office(label) if label else value
    return str(value)


def describe(detail: dict) -> str:
    """{"state": ["vacant", "rented"]} → "状态: 空置 → 出租", in the clerk's words."""
    parts = []
    for key, value in detail.items():
        label = labels.label_of_code(key)
        name = i18n.office(label) if label else key
        if isinstance(value, list) and len(value) == 2:
            parts.append(f"{name}: {_word(value[0])} → {_word(value[1])}")
        else:
            parts.append(f"{name}: {_word(value)}")
    return "; ".join(parts)


class AuditModel(PagedModel):
    """The log, newest first, filtered in SQL."""

    def __init__(self, user, parent=None):
        super().__init__([self.tr("Time"), self.tr("User"), self.tr("Action"), self.tr("Record"),
                          self.tr("Details")], parent)
        self.user = user
        self.filters: dict = {}

    def set_filters(self, **filters) -> None:
        self.filters = filters
        self.reload()

    def next_page(self, last, limit: int) -> list:
        return audit.browse_page(self.user, after=last, limit=limit, **self.filters)

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not (0 <= index.row() < len(self._rows)) or role != Qt.ItemDataRole.DisplayRole:
            return None
        e = self._rows[index.row()]
        detail = json.loads(e.detail or "{}")
        return [e.at.strftime("%Y-%m-%d %H:%M:%S") if isinstance(e.at, datetime.datetime) else str(e.at),
                e.username, i18n.office(labels.ACTIONS.get(e.action, e.action)), e.summary,
                describe(detail)][index.column()]


class AuditPage(QWidget):
    def __init__(self, user, parent=None):
        super().__init__(parent)
        self.user = user
        self.who = QComboBox()
        self.who.addItem(self.tr("Everyone"), "")
        for u in users.all_users():
            self.who.addItem(f"{u.username} ({u.display_name})", u.username)
        self.action = QComboBox()
        self.action.addItem(self.tr("All actions"), "")
        for code, label in labels.ACTIONS.items():
            self.action.addItem(i18n.office(label), code)
        t = clock.today()  # the office's day, not this PC's time zone
        today = QDate(t.year, t.month, t.day)
        self.since = QDateEdit(today.addDays(-30))
        self.until = QDateEdit(today)
        for d in (self.since, self.until):
            d.setCalendarPopup(True)
            d.setDisplayFormat("yyyy-MM-dd")
        self.text = QLineEdit()
        self.text.setPlaceholderText(self.tr("Text in the record, e.g. 3-2-1201"))
        self.text.returnPressed.connect(self.apply)
        go = QPushButton(self.tr("Filter"))
        go.clicked.connect(self.apply)
        bar = FlowLayout()
        for label, w in ((self.tr("User"), self.who), (self.tr("Action"), self.action),
                         (self.tr("From"), self.since), (self.tr("To"), self.until)):
            bar.addWidget(QLabel(label))
            bar.addWidget(w)
        bar.addWidget(self.text, 1)
        bar.addWidget(go)
        self.model = AuditModel(user, self)
        self.view = table_view(self.model)
        box = QVBoxLayout(self)
        box.addLayout(bar)
        box.addWidget(self.view, 1)
        self.apply()

    def apply(self) -> None:
        def pydate(q: QDate):
            return datetime.date(q.year(), q.month(), q.day())

        self.model.set_filters(username=self.who.currentData() or None,
                               action=self.action.currentData() or None,
                               since=pydate(self.since.date()), until=pydate(self.until.date()),
                               text=self.text.text().strip() or None)
        self.view.resizeColumnsToContents()
