"""The kit every page builds with: the titled list with its buttons, the intake box, table
views and their columns, date-and-time fields, the time left and its shading, the slip
preview, and `act`, the one way to run an office action and show its refusal."""
from __future__ import annotations

import datetime

from PySide6.QtCore import QCoreApplication, QDateTime, QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (QAbstractItemView, QCheckBox, QDateTimeEdit, QDialog, QGroupBox, QHeaderView, QLabel,
                               QLineEdit, QMessageBox, QPushButton, QTableView, QVBoxLayout, QWidget)

from models import clock, estate, house_phone
from models.errors import OfficeError, ValidationError
from ui import i18n, prefs
from ui.reflow import FlowLayout

LONG = QColor("#f4a9a0")  # over 5 days
OVER = QColor("#fff3c4")  # past the free day


class EnterCheckBox(QCheckBox):
    """A check box that answers Enter (a plain one ignores it), so a form can go on from it."""

    entered = Signal()

    def keyPressEvent(self, event):  # noqa: N802
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            event.accept()
            self.entered.emit()
            return
        super().keyPressEvent(event)


class ContactFill:
    """Fills a name and a phone field from a house's owner (the phone masked, as a clerk sees
    it; the core keeps the owner's full number), as a clerk would type them: what the clerk
    typed stays; what was filled for another house is replaced."""

    def __init__(self, name_edit: QLineEdit, phone_edit: QLineEdit):
        self.edits = (name_edit, phone_edit)
        self.filled = ["", ""]
        self.house_id = None

    def fill(self, house_id) -> None:
        if house_id == self.house_id:
            return  # the same house again: what the clerk changed since stays
        self.house_id = house_id
        contact = house_phone.of_house(house_id)
        values = (contact.name, contact.phone_shown) if contact else ("", "")
        for i, (edit, value) in enumerate(zip(self.edits, values)):
            if not edit.text().strip() or edit.text() == self.filled[i]:
                edit.setText(value)
                self.filled[i] = value

    def forget(self) -> None:
        self.filled, self.house_id = ["", ""], None


def list_box(title: str, view, buttons: list, summary=None, top=None) -> QGroupBox:
    """A titled list with its buttons at the bottom right (a summary line on their left)."""
    group = QGroupBox(title)
    v = QVBoxLayout(group)
    if top is not None:
        v.addWidget(top)
    v.addWidget(view, 1)
    row = FlowLayout()
    if summary is not None:
        row.addWidget(summary, 1)
    else:
        row.addStretch(1)
    for b in buttons:
        row.addWidget(b)
    v.addLayout(row)
    return group


def preview_slip(parent, data, title: str, file_name: str):
    """A slip (key or item loan, work order) under the office's letterhead, in the preview, on
    the paper this PC prints slips on (本机设置: A5 by default, or the continuous forms)."""
    from printing import slip
    from printing.furniture import Letterhead
    from ui.preview import PreviewDialog
    from ui.receipts import data_only, form

    own = form(data.document) if data.document else None  # the office's own stock for it (套打)
    done = act(parent, title, slip.render, data, Letterhead.from_profile(estate.profile()),
               paper=prefs.get("slip/paper"), template=own, plain=not (own and data_only(data.document)))
    if not done:  # a value the office's form cannot hold: said, nothing printed
        return None
    dialog = PreviewDialog(done.value, title, parent, file_name=file_name)
    dialog.exec()
    return dialog


def intake_box(title: str, form, button_: QPushButton, below=None) -> QGroupBox:
    """An intake form with its button at the bottom right (and a note under the form)."""
    group = QGroupBox(title)
    v = QVBoxLayout(group)
    v.addWidget(form)
    if below is not None:
        v.addWidget(below)
    v.addStretch(1)
    row = FlowLayout()
    row.addStretch(1)
    row.addWidget(button_)
    v.addLayout(row)
    return group


def button(text: str, slot) -> QPushButton:
    b = QPushButton(text)
    b.clicked.connect(slot)
    return b


def late_shade(loan):
    return LONG if loan.due_at < clock.now() else None

LATE = QColor("#f4a9a0")
SOON = QColor("#fff3c4")  # under an hour left
# the intake beside an open list: what its fields need, so that the list's main columns (the
# number, the time left, the deadline, the house, what) show whole at 1024 pixels
INTAKE_WIDTH = 250


def qdatetime(value: datetime.datetime) -> QDateTime:
    return QDateTime.fromString(value.strftime("%Y-%m-%d %H:%M"), "yyyy-MM-dd HH:mm")


def py_datetime(edit: QDateTimeEdit) -> datetime.datetime:
    return datetime.datetime.strptime(edit.dateTime().toString("yyyy-MM-dd HH:mm"), "%Y-%m-%d %H:%M")


def datetime_edit(value: datetime.datetime) -> QDateTimeEdit:
    edit = QDateTimeEdit(qdatetime(value))
    edit.setDisplayFormat("yyyy-MM-dd HH:mm")
    edit.setCalendarPopup(True)
    return edit


def shade_of(left) -> QColor | None:
    """Overdue in red, under an hour left in yellow."""
    return LATE if left.overdue else SOON if left.seconds < 3600 else None


class EnterMovesOn(QObject):
    """Enter in an intake field moves to the next field that can be filled in; from the
    last one that matters (`last`) and any after it, it takes the form in (`done`)."""

    leaving = Signal(QWidget)  # a field Enter is moving away from

    def __init__(self, fields: list, last, done, parent=None):
        super().__init__(parent)
        self.fields, self.last, self.done = fields, fields.index(last), done
        for field in fields:
            field.installEventFilter(self)

    def eventFilter(self, watched, event):  # noqa: N802
        if (event.type() != QEvent.Type.KeyPress or event.key() not in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
                or event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier or watched not in self.fields):
            return False
        at = self.fields.index(watched)
        self.leaving.emit(watched)
        if at >= self.last:
            self.done()
            return True
        following = [f for f in self.fields[at + 1:] if f.isEnabled()]
        if following:
            following[0].setFocus()
        else:  # nothing after it to fill in (the rest hidden for this case): take the form in
            self.done()
        return True


class _Stretch(QObject):
    """Keeps one column as wide as the room the others leave in the view, and no narrower
    than `least` (then the list scrolls)."""

    def __init__(self, view, column: int, least: int, then_scroll: bool = False):
        super().__init__(view)
        self.view, self.column, self.least, self.then_scroll = view, column, least, then_scroll
        view.viewport().installEventFilter(self)
        self.queued = False
        # the others fitted to their text or dragged: fitted once that is over (Qt sets the
        # sizes of a fit to contents after it has signalled them)
        view.horizontalHeader().sectionResized.connect(lambda *_: self.fit_soon())

    def eventFilter(self, watched, event):  # noqa: N802
        if event.type() == QEvent.Type.Resize:
            self.fit()
        return False

    def fit_soon(self) -> None:
        if not self.queued:
            self.queued = True
            QTimer.singleShot(0, self, self.fit)

    def fit(self) -> None:
        self.queued = False
        header = self.view.horizontalHeader()
        shown = [n for n in range(header.count()) if n != self.column and not header.isSectionHidden(n)]
        before = sum(header.sectionSize(n) for n in shown if header.visualIndex(n) < header.visualIndex(self.column))
        after = sum(header.sectionSize(n) for n in shown) - before
        room = self.view.viewport().width() - before
        if not self.then_scroll or room - after >= self.least:
            room -= after
        # else no room for them all: the column fills what those before it leave, and those
        # after it (the less important ones) are reached by scrolling
        width = max(self.least, room)
        if header.sectionSize(self.column) != width:
            header.resizeSection(self.column, width)


def stretch_column(view, column: int, least: int = 120, then_scroll: bool = False) -> None:
    """The description takes the room the other columns leave and gives way first on a
    narrow screen (down to `least` pixels); the others fit their text, the last one too.
    `then_scroll`: when even that leaves no room for the columns after it, the description
    still shows to the view's edge and those after it scroll."""
    header = view.horizontalHeader()
    header.setStretchLastSection(False)
    header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
    view._stretch = _Stretch(view, column, least, then_scroll)


def fit_to_text(view, column: int) -> None:
    """The column always as wide as its text, as the text changes with the clock (the time
    left: '9 min left', then '1 h 2 min overdue'), never cut."""
    view.horizontalHeader().setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)


def cap_column(view, column: int, sample: str) -> None:
    """Fitted to its text (fit_columns), the column is at most as wide as `sample`; a longer
    text ends in … and the clerk can drag the column wider."""
    view._caps = {**getattr(view, "_caps", {}), column: sample}


def fit_columns(view) -> None:
    """The columns fitted to their text, the capped ones no wider than their cap."""
    view.resizeColumnsToContents()
    header, metrics = view.horizontalHeader(), view.fontMetrics()
    for column, sample in getattr(view, "_caps", {}).items():
        most = metrics.horizontalAdvance(sample) + 12  # and the cell's margins
        if header.sectionSize(column) > most:
            header.resizeSection(column, most)


def left_text(left) -> str:
    """'2 min left', '1 d 3 h overdue'."""
    d, h, m = left.parts()
    if d:
        span = QCoreApplication.translate("ServiceDesk", "{d} d {h} h").format(d=d, h=h)
    elif h:
        span = QCoreApplication.translate("ServiceDesk", "{h} h {m} min").format(h=h, m=m)
    else:
        span = QCoreApplication.translate("ServiceDesk", "{m} min").format(m=m)
    if left.overdue:
        return QCoreApplication.translate("ServiceDesk", "{span} overdue").format(span=span)
    return QCoreApplication.translate("ServiceDesk", "{span} left").format(span=span)


def select_record(view, model, record_id: int, of=lambda row: row) -> bool:
    """Choose the row whose record has this id (`of` finds the record in a row)."""
    for n, row in enumerate(model.rows):
        if of(row).id == record_id:
            view.selectRow(n)
            view.setFocus()
            return True
    return False


def table_view(model) -> QTableView:
    view = QTableView()
    view.setModel(model)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.verticalHeader().hide()
    view.verticalHeader().setDefaultSectionSize(view.fontMetrics().height() + 10)
    view.horizontalHeader().setStretchLastSection(True)
    view.horizontalHeader().setTextElideMode(Qt.TextElideMode.ElideRight)  # a narrow column's title ends in …
    # fitting columns to their text looks at a sample of rows, not at every one of a long list
    view.horizontalHeader().setResizeContentsPrecision(60)
    view.setAlternatingRowColors(True)
    return view


def selected_object(view: QTableView):
    rows = view.selectionModel().selectedRows() if view.selectionModel() else []
    return view.model().row_object(rows[0].row()) if rows else None


class Outcome:
    """What `act` did: true when the action was done, its `value` what it returned."""

    __slots__ = ("done", "value", "error")

    def __init__(self, done: bool, value=None, error: OfficeError | None = None):
        self.done, self.value, self.error = done, value, error

    def __bool__(self) -> bool:
        return self.done


def refusal(parent, title: str, error: OfficeError, form=None) -> None:
    """Show why the office refused: by its field when `form` has the field, else in a box."""
    if isinstance(error, ValidationError) and form is not None:
        rest = form.show_errors(error)
        if rest:
            QMessageBox.warning(parent, title, rest)
        return
    QMessageBox.warning(parent, title, i18n.error_text(error))


def act(parent, title: str, action, *args, form=None, **kwargs) -> Outcome:
    """Run one office action (a core function) and, when the office refuses it, say why in
    the clerk's words (by the field when `form` holds it, else in a box titled `title`).
    Any other exception is a fault: it goes on to the crash handler."""
    if form is not None:
        form.clear_errors()
    try:
        return Outcome(True, action(*args, **kwargs))
    except OfficeError as e:
        refusal(parent, title, e, form)
        return Outcome(False, error=e)


class ListDialog(QDialog):
    """A list that can be long (a house's past repairs, every complaint), read as it
    scrolls; Print puts the whole list on paper, read to its end."""

    def __init__(self, title: str, model, parent=None, subtitle: str = ""):
        super().__init__(parent)
        self.setWindowTitle(title)
        self.model, self.subtitle = model, subtitle
        self.view = table_view(model)
        about = QLabel(subtitle)
        about.setWordWrap(True)
        print_ = QPushButton(self.tr("Print…"))
        print_.clicked.connect(self.print_list)
        close = QPushButton(self.tr("Close"))
        close.clicked.connect(self.accept)
        box = QVBoxLayout(self)
        box.addWidget(about)
        box.addWidget(self.view, 1)
        row = FlowLayout()
        row.addStretch(1)
        row.addWidget(print_)
        row.addWidget(close)
        box.addLayout(row)
        self.resize(900, 560)
        self.view.resizeColumnsToContents()

    def print_list(self):
        from ui.preview import preview_list

        dialog = preview_list(self, self.windowTitle(), self.model, self.subtitle)
        dialog.exec()
        return dialog


def price_words(e) -> str:
    """A paid service's price as the lists show it: 10.00/个, 40% of 月租金."""
    from PySide6.QtCore import QCoreApplication

    from models import money

    if e.pricing == "unit":
        return QCoreApplication.translate("FeesPage", "{price}/{unit}").format(price=money.fmt(e.price, grouping=True),
                                                                              unit=e.unit)
    return QCoreApplication.translate("FeesPage", "{share}% of {base}").format(share=e.share, base=e.base)


class PhotoField(QWidget):
    """A photo to go with a record (a finding, a defect): its file's name, and Choose… to pick
    one; `path` is the file chosen, None for none."""

    def __init__(self, parent=None):
        from PySide6.QtWidgets import QHBoxLayout, QPushButton

        super().__init__(parent)
        self.path: str | None = None
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        self.label = QLabel(self.tr("None"))
        choose = QPushButton(self.tr("Choose…"))
        choose.clicked.connect(lambda: self.choose())
        row.addWidget(self.label, 1)
        row.addWidget(choose)

    def choose(self, path: str | None = None) -> None:
        if path is None:
            from PySide6.QtWidgets import QFileDialog

            path, _ = QFileDialog.getOpenFileName(self, self.tr("Photo"), "", self.tr("Pictures (*.jpg *.jpeg *.png)"))
            if not path:
                return
        self.path = path
        self.label.setText(path.replace("\\", "/").rsplit("/", 1)[-1])

    def clear(self) -> None:
        self.path = None
        self.label.setText(self.tr("None"))
