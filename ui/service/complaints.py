"""投诉: complaints taken in, classified, answered within their deadline, reviewed and
closed, with the month's figures."""
from __future__ import annotations

import datetime

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import (QCheckBox, QComboBox, QHBoxLayout, QInputDialog, QLabel, QLineEdit, QMessageBox,
                               QSplitter, QVBoxLayout, QWidget)

from models import clock, complaints, deadlines, search
from ui import i18n
from ui.form import Form, FormDialog, fill_combo
from ui.kit import (ContactFill, EnterMovesOn, INTAKE_WIDTH, ListDialog, act, button, datetime_edit, fit_to_text,
                    intake_box, left_text, list_box, py_datetime, qdatetime, shade_of, stretch_column, table_view)
from ui.table_models import KeyedModel, RowsModel


class ComplaintsTab(QWidget):
    """投诉: recorded by the clerk who owns it until it is closed; its next deadline shows."""

    def __init__(self, user, parent=None):
        super().__init__(parent)
        self.user = user
        self.form = Form()
        self.kind = self.form.add("kind", self.tr("Kind"), fill_combo(QComboBox(), complaints.KINDS, "complaint"))
        self.channel = self.form.add("channel", self.tr("By"), fill_combo(QComboBox(), complaints.CHANNELS, "phone"))
        self.house_edit = self.form.add("house", self.tr("House"), QLineEdit())
        self.house_edit.setPlaceholderText("3-2-1201")
        self.name = self.form.add("name", self.tr("Owner"), QLineEdit())
        self.phone = self.form.add("phone", self.tr("Phone"), QLineEdit())
        self.contact = ContactFill(self.name, self.phone)  # the owner's, when the house is typed
        self.place = self.form.add("place", self.tr("Where"), QLineEdit())
        self.about = self.form.add("about", self.tr("Complained of"), QLineEdit())
        self.about.setPlaceholderText(self.tr("a person or team"))
        self.about.setToolTip(self.tr("Who is complained of: a person, a department, a neighbour …"))
        self.happened = self.form.add("happened_at", self.tr("When it happened"), datetime_edit(clock.now()))
        self.what = self.form.add("what", self.tr("What happened"), QLineEdit())
        self.asks = self.form.add("asks", self.tr("The owner asks for"), QLineEdit())
        by = QWidget()
        bh = QHBoxLayout(by)
        bh.setContentsMargins(0, 0, 0, 0)
        self.by_time = QCheckBox(self.tr("by"))
        self.asked_by = datetime_edit(clock.now())
        self.asked_by.setEnabled(False)
        self.by_time.toggled.connect(self.asked_by.setEnabled)
        bh.addWidget(self.by_time)
        bh.addWidget(self.asked_by, 1)
        self.form.add("asked_by", self.tr("The owner's time"), by)
        self.simple = self.form.add("simple", self.tr("Simple"), QCheckBox(self.tr("answer within 2 hours")))
        self.house_edit.editingFinished.connect(self.resolve_house)
        # Enter moves on through the form, as the clerk fills it in; on the owner's request
        # (or the boxes after it) it records
        self.enter = EnterMovesOn([self.kind, self.channel, self.house_edit, self.name, self.phone, self.place,
                                   self.about, self.happened, self.what, self.asks, self.by_time, self.asked_by,
                                   self.simple], self.asks, self.record, self)
        self.enter.leaving.connect(lambda widget: widget is self.house_edit and self.resolve_house())
        self.recorded = QLabel()  # what was recorded last, or the step last taken
        self.recorded.setWordWrap(True)
        record = button(self.tr("Record"), self.record)
        record.setAutoDefault(True)  # Enter on it records, as Space does
        intake = intake_box(self.tr("Record a complaint"), self.form, record, self.recorded)
        # the time left beside the number, where a narrow screen never pushes it off
        self.model = RowsModel([
            (self.tr("No."), lambda c: c.number_text, None),
            (self.tr("Time left"), lambda c: self.next_of(c)[1], None),
            (self.tr("Next deadline"), lambda c: self.next_of(c)[0], None),
            (self.tr("House"), lambda c: c.house.label if c.house_id else "", None),
            (self.tr("What"), lambda c: c.what, None),
            (self.tr("Kind"), lambda c: i18n.office(complaints.KINDS[c.kind]), None),
            (self.tr("Class"), lambda c: i18n.office(complaints.CLASSES[c.klass]) if c.klass else "", None),
            (self.tr("Owned by"), lambda c: c.owner.full_name, None),
        ], self, shade=self.shade)
        self.view = table_view(self.model)
        stretch_column(self.view, 4, then_scroll=True)
        fit_to_text(self.view, 1)
        buttons = [button(self.tr("Classify…"), self.classify), button(self.tr("Answer…"), self.answer),
                   button(self.tr("Report up…"), self.escalate), button(self.tr("Handled…"), self.handle),
                   button(self.tr("Follow up…"), self.follow_up),
                   button(self.tr("Close…"), self.close_one), button(self.tr("Today's review…"), self.day_review),
                   button(self.tr("Week summary…"), self.week_summary), button(self.tr("History…"), self.history)]
        self.summary = QLabel()
        self.detail = QLabel()  # the chosen complaint's deadlines, each met or with its time left
        self.detail.setWordWrap(True)
        orders = list_box(self.tr("Open complaints"), self.view, buttons, self.summary)
        orders.layout().insertWidget(1, self.detail)
        split = QSplitter()
        split.addWidget(intake)
        split.addWidget(orders)
        split.setStretchFactor(1, 1)
        split.setSizes([INTAKE_WIDTH + 30, 1020])  # its longer labels; on a narrow screen the list keeps the room
        QVBoxLayout(self).addWidget(split)
        self.house = None
        self.view.selectionModel().currentRowChanged.connect(lambda *_: self.show_detail())
        self.timer = QTimer(self)  # the time left, live
        self.timer.timeout.connect(self.tick)
        self.timer.start(30_000)
        self.load()

    def next_of(self, c) -> tuple[str, str]:
        pending = complaints.pending(c)
        if not pending:
            return "", ""
        d = min(pending, key=lambda d: d.due)
        what = i18n.office(complaints.DEADLINE_NAMES[d.what])
        return f"{what} {d.due:%m-%d %H:%M}", left_text(deadlines.left(d.due, clock.now()))

    def shade(self, c):
        pending = complaints.pending(c)
        return shade_of(deadlines.left(min(d.due for d in pending), clock.now())) if pending else None

    def load(self, select_id: int | None = None) -> None:
        """The open complaints as of now; the one chosen stays chosen (or `select_id`)."""
        if not self.what.text().strip():  # a form not being filled in: it happened now, unless told otherwise
            self.happened.setDateTime(qdatetime(clock.now()))
            self.asked_by.setDateTime(qdatetime(clock.now() + datetime.timedelta(days=1)))
        if select_id is None:
            chosen = self.chosen(quiet=True)
            select_id = chosen.id if chosen is not None else None
        self.model.set_rows(complaints.open_complaints(self.user))
        self.view.resizeColumnsToContents()
        if select_id is not None:
            for n, c in enumerate(self.model.rows):
                if c.id == select_id:
                    self.view.selectRow(n)
        self.tick()

    def tick(self) -> None:
        self.model.layoutChanged.emit()  # times left, as of now
        now = clock.now()
        late = sum(1 for c in self.model.rows if any(d.due < now for d in complaints.pending(c)))
        self.summary.setText(self.tr("{n} open, {late} past a deadline.").format(n=len(self.model.rows), late=late))
        self.show_detail()

    def show_detail(self) -> None:
        """The chosen complaint's deadlines: each met (in time or late) or its time left."""
        c = self.chosen(quiet=True)
        if c is None:
            self.detail.setText("")
            return
        now, parts = clock.now(), []
        for d in complaints.deadlines_of(c):
            name = i18n.office(complaints.DEADLINE_NAMES[d.what])
            if d.met_at is None:
                state = left_text(deadlines.left(d.due, now))
            else:
                state = self.tr("met") if d.met_at <= d.due else self.tr("met late")
            parts.append(f"{name} {d.due:%m-%d %H:%M} ({state})")
        self.detail.setText(self.tr("{complaint}: {deadlines}").format(
            complaint=f"{c.number_text} {c.what}", deadlines="; ".join(parts)) if parts else "")

    def resolve_house(self) -> None:
        text = self.house_edit.text().strip()
        self.house = search.the_house(self.user, text) if text else None
        if self.house is not None:
            self.house_edit.setText(self.house.label)
            self.contact.fill(self.house.id)  # the owner's name and phone

    def record(self):
        self.form.clear_errors()
        self.resolve_house()
        if self.house_edit.text().strip() and self.house is None:
            self.form.rows["house"].set_error(self.tr("No such house"))
            return None
        done = act(self, self.tr("Complaints"), complaints.record, self.user, kind=self.kind.currentData(),
                   channel=self.channel.currentData(), house_id=self.house.id if self.house else None,
                   name=self.name.text(), phone=self.phone.text(), place=self.place.text(), about=self.about.text(),
                   what=self.what.text(), asks=self.asks.text(), simple=self.simple.isChecked(),
                   happened_at=py_datetime(self.happened),
                   asked_by=py_datetime(self.asked_by) if self.by_time.isChecked() else None, form=self.form)
        if not done:
            return None
        c = done.value
        for edit in (self.house_edit, self.name, self.phone, self.place, self.about, self.what, self.asks):
            edit.clear()
        self.contact.forget()
        self.simple.setChecked(False)
        self.by_time.setChecked(False)
        self.happened.setDateTime(qdatetime(clock.now()))
        self.house = None
        first = next((d for d in complaints.deadlines_of(c) if d.what == "first_answer"), None)
        if first is not None:
            self.recorded.setText(self.tr("{number} recorded. Tell the owner: a first answer by {due}.").format(
                number=c.number_text, due=first.due.strftime("%m-%d %H:%M")))
        else:
            self.recorded.setText(self.tr("{number} recorded.").format(number=c.number_text))
        self.load(select_id=c.id)
        self.house_edit.setFocus()
        return c

    def chosen(self, quiet: bool = False):
        index = self.view.currentIndex()
        c = self.model.row_object(index.row()) if index.isValid() else None
        if c is None and not quiet:
            QMessageBox.information(self, self.tr("Complaints"), self.tr("Choose a complaint in the list first"))
        return c

    def stepped(self, c, step: str) -> None:
        """After a step: the list as of now with the same complaint chosen, and the note
        under the intake says what was done and what it waits for next."""
        self.load(select_id=c.id)
        c = complaints.get(self.user, c.id)
        text = self.tr("{number}: {step}, {time}.").format(
            number=c.number_text, step=i18n.office(complaints.STEPS[step]), time=clock.now().strftime("%m-%d %H:%M"))
        pending = complaints.pending(c) if c.closed_at is None else []
        if pending:
            d = min(pending, key=lambda d: d.due)
            text += " " + self.tr("Next: {what} by {due}.").format(
                what=i18n.office(complaints.DEADLINE_NAMES[d.what]), due=d.due.strftime("%m-%d %H:%M"))
        self.recorded.setText(text)

    def _text_step(self, title: str, prompt: str, action, step: str) -> None:
        c = self.chosen()
        if c is None:
            return
        text, ok = QInputDialog.getText(self, title, prompt.format(number=c.number_text))
        if not ok:
            return
        done = act(self, self.tr("Complaints"), action, c.id, text)
        if not done:
            return
        self.stepped(c, step)

    def classify(self) -> None:
        c = self.chosen()
        if c is not None and ClassifyDialog(self.user, c, self).exec():
            self.stepped(c, "classified")

    def answer(self) -> None:
        """The first answer; for a major complaint once that is given, its clear answer."""
        c = self.chosen()
        if c is None:
            return
        if complaints.next_answer(c) == "answer":
            self._text_step(self.tr("Clear answer"), self.tr("The clear answer the owner was given ({number}):"),
                            lambda cid, text: complaints.answer(self.user, cid, text, clear=True), "clear_answer")
        else:
            self._text_step(self.tr("First answer"), self.tr("What was the owner told ({number})?"),
                            lambda cid, text: complaints.answer(self.user, cid, text), "answered")

    def escalate(self) -> None:
        self._text_step(self.tr("Report up"), self.tr("Reported to whom ({number})? The complaint stays yours."),
                        lambda cid, text: complaints.escalate(self.user, cid, text), "escalated")

    def follow_up(self) -> None:
        self._text_step(self.tr("Follow up"), self.tr("What was the owner told of the delay ({number})?"),
                        lambda cid, text: complaints.follow_up(self.user, cid, text), "followed_up")

    def handle(self) -> None:
        self._text_step(self.tr("Handled"), self.tr("What was done ({number})?"),
                        lambda cid, text: complaints.handle(self.user, cid, text), "handled")

    def close_one(self) -> None:
        closed = []

        def close(cid, text):
            closed.append(complaints.close(self.user, cid, text))

        self._text_step(self.tr("Close"), self.tr("The result, as the owner was told ({number}):"), close, "closed")
        if closed:  # what the office learns from it, now or later from the week's summary
            note, ok = QInputDialog.getText(self, self.tr("Summary"), self.tr(
                "What does the office learn from {number}? (may stay empty)").format(number=closed[0].number_text))
            if ok and note.strip():
                complaints.summarise(self.user, closed[0].id, note)

    def history(self):
        """Every complaint, closed ones too, the newest first: the house's typed in the
        intake, else the estate's; read as the list scrolls."""
        text = self.house_edit.text().strip()
        house = search.the_house(self.user, text) if text else None
        if text and house is None:
            QMessageBox.information(self, self.tr("Complaints"), self.tr("No such house: {text}").format(text=text))
            return None
        model = KeyedModel([
            (self.tr("No."), lambda c: c.number_text, None),
            (self.tr("Recorded"), lambda c: c.recorded_at.strftime("%Y-%m-%d %H:%M"), None),
            (self.tr("Kind"), lambda c: i18n.office(complaints.KINDS[c.kind]), None),
            (self.tr("House"), lambda c: c.house.label if c.house_id else "", None),
            (self.tr("What"), lambda c: c.what, None),
            (self.tr("Closed"), lambda c: c.closed_at.strftime("%Y-%m-%d %H:%M") if c.closed_at else "", None),
            (self.tr("Result"), lambda c: c.result, None),
        ], lambda last, n: complaints.history(self.user, house_id=house.id if house else None, after=last, limit=n),
            self)
        model.reload()
        title = self.tr("Complaints of {house}").format(house=house.label) if house else self.tr("All complaints")
        dialog = ListDialog(title, model, self, self.tr("The newest first; type a house in the intake to see its "
                                                        "own.") if house is None else "")
        dialog.exec()
        return dialog

    def day_review(self):
        from ui.preview import preview_list

        rows = complaints.day_review(self.user, clock.today())
        model = RowsModel([
            (self.tr("No."), lambda c: c.number_text, None),
            (self.tr("Kind"), lambda c: i18n.office(complaints.KINDS[c.kind]), None),
            (self.tr("House"), lambda c: c.house.label if c.house_id else "", None),
            (self.tr("What"), lambda c: c.what, None),
            (self.tr("Owned by"), lambda c: c.owner.full_name, None),
            (self.tr("State"), lambda c: self.tr("closed") if c.closed_at else self.next_of(c)[0], None),
        ], self)
        model.set_rows(rows)
        dialog = preview_list(self, self.tr("Complaints to review, {day}").format(day=clock.today().isoformat()),
                              model, self.tr("{n} to review").format(n=len(rows)))
        dialog.exec()
        return dialog

    def week_summary(self):
        from ui.preview import preview_list

        today = clock.today()
        start = today - datetime.timedelta(days=today.weekday())
        week = complaints.week_summary(self.user, start)
        model = RowsModel([
            (self.tr("No."), lambda c: c.number_text, None),
            (self.tr("Kind"), lambda c: i18n.office(complaints.KINDS[c.kind]), None),
            (self.tr("Class"), lambda c: i18n.office(complaints.CLASSES[c.klass]) if c.klass else "", None),
            (self.tr("What"), lambda c: c.what, None),
            (self.tr("Result"), lambda c: c.result or c.declined_reason, None),
        ], self)
        model.set_rows(week.rows)
        kinds = "、".join(f"{i18n.office(complaints.KINDS[k])} {n}" for k, n in week.by_kind.items())
        subtitle = self.tr("{kinds}; from earlier weeks {carried}; closed {closed}, open at the week's end {open}, "
                           "declined {declined}, deadlines missed {late}").format(
            kinds=kinds, carried=week.carried, closed=week.closed, open=week.open, declined=week.declined,
            late=week.late)
        dialog = preview_list(self, self.tr("Complaints, week of {day}").format(day=start.isoformat()), model,
                              subtitle)
        dialog.exec()
        return dialog


class ClassifyDialog(FormDialog):
    def __init__(self, user, complaint, parent=None):
        super().__init__(self.tr("Classify {number}").format(number=complaint.number_text), parent)
        self.user, self.complaint = user, complaint
        about = QLabel(complaint.what)
        about.setWordWrap(True)
        self.box.insertWidget(0, about)
        self.klass = self.form.add("klass", self.tr("Class"),
                                   fill_combo(QComboBox(), complaints.CLASSES, complaint.klass or "minor"))
        self.valid = self.form.add("valid", self.tr("Service contract"),
                                   QCheckBox(self.tr("within the contract (otherwise declined)")))
        self.valid.setChecked(complaint.valid is not False)
        self.reason = self.form.add("reason", self.tr("Why declined"), QLineEdit(complaint.declined_reason))

    def save(self):
        return complaints.classify(self.user, self.complaint.id, self.klass.currentData(),
                                   valid=self.valid.isChecked(), reason=self.reason.text())
