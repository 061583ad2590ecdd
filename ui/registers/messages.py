"""留言/转告: the message pad. Who called, for whom, about what, the number to call back
and by when; done when passed on; a repair or a complaint in one step."""
from __future__ import annotations

import datetime

from PySide6.QtWidgets import QCheckBox, QComboBox, QHBoxLayout, QInputDialog, QLineEdit, QWidget

from models import clock, complaints, messages, repairs, users
from ui import i18n
from ui.form import FormDialog, fill_combo
from ui.kit import ContactFill, EnterMovesOn, LATE, SOON, act, datetime_edit, left_text, py_datetime
from ui.register_tab import RegisterTab, house_of, short

FOR_WHOM = ["经理", "客服主管", "工程部", "秩序部", "财务", "保洁"]


class MessageDialog(FormDialog):
    """Take a message: Enter moves from field to field; Save (Ctrl+S or Enter on it) keeps it."""

    def __init__(self, user, parent=None):
        super().__init__(self.tr("Take a message"), parent)
        self.user = user
        self.house = self.form.add("house", self.tr("House"), QLineEdit())
        self.house.setPlaceholderText(self.tr("3-2-1201, or leave empty"))
        self.caller = self.form.add("caller", self.tr("Who called or came"), QLineEdit())
        self.phone = self.form.add("phone", self.tr("Number to call back"), QLineEdit())
        self.for_whom = self.form.add("for_whom", self.tr("For whom"), QComboBox())
        self.for_whom.setEditable(True)
        self.for_whom.addItems(FOR_WHOM + [u.display_name for u in users.all_users()
                                           if u.active and u.display_name not in FOR_WHOM])
        self.for_whom.setCurrentIndex(-1)
        self.about = self.form.add("about", self.tr("About"), QLineEdit())
        self.how = self.form.add("how", self.tr("How"), fill_combo(QComboBox(), messages.HOW, "phone"))
        when = QWidget()
        row = QHBoxLayout(when)
        row.setContentsMargins(0, 0, 0, 0)
        self.asked = QCheckBox(self.tr("asked for"))
        self.reply_by = datetime_edit(self._default_reply())
        self.reply_by.setEnabled(False)
        self.asked.toggled.connect(self.reply_by.setEnabled)
        row.addWidget(self.asked)
        row.addWidget(self.reply_by, 1)
        self.form.add("reply_by", self.tr("Call back by"), when)
        self.contact = ContactFill(self.caller, self.phone)
        self.house.editingFinished.connect(self.fill_caller)
        # Enter moves on; on "asked for" (or the time) it keeps the message
        fields = [self.house, self.caller, self.phone, self.for_whom.lineEdit(), self.about, self.how, self.asked,
                  self.reply_by]
        self.enter = EnterMovesOn(fields, self.asked, self._save, self)
        self.enter.leaving.connect(lambda w: self.fill_caller() if w is self.house else None)

    @staticmethod
    def _default_reply() -> datetime.datetime:
        now = clock.now().replace(second=0, microsecond=0)
        return now + datetime.timedelta(hours=2)

    def fill_caller(self) -> None:
        try:
            house = house_of(self.user, self.house)
        except Exception:  # said when it is saved
            return
        self.contact.fill(house.id if house else None)

    def save(self):
        house = house_of(self.user, self.house)
        return messages.take(self.user, caller=self.caller.text(), for_whom=self.for_whom.currentText(),
                             about=self.about.text(), phone=self.phone.text(), house_id=house.id if house else None,
                             how=self.how.currentData(), reply_by=py_datetime(self.reply_by) if self.asked.isChecked()
                             else None)


class DoneDialog(FormDialog):
    def __init__(self, user, message, parent=None):
        super().__init__(self.tr("Message {number} done").format(number=message.number_text), parent)
        self.user, self.message = user, message
        self.outcome = self.form.add("outcome", self.tr("What came of it"), QLineEdit())
        self.outcome.setPlaceholderText(self.tr("passed on to the manager, called back…"))

    def save(self):
        return messages.done(self.user, self.message.id, self.outcome.text())


def _shade(m):
    if m.done_at is not None:
        return None
    left = (m.due - clock.now()).total_seconds()
    return LATE if left < 0 else SOON if left < 3600 else None


class MessagesTab(RegisterTab):
    def __init__(self, user, parent=None):
        self.title = self.tr("Messages")
        self.find_hint = self.tr("Name, words, house, phone's last digits or LY number — Enter")
        self.open_label = self.tr("Open only")
        super().__init__(user, [
            (self.tr("No."), lambda m: m.number_text, None),
            (self.tr("Taken"), lambda m: short(m.taken_at), None),
            (self.tr("For"), lambda m: m.for_whom, None),
            (self.tr("From"), lambda m: " ".join(x for x in (m.house.label if m.house_id else "", m.caller) if x),
             None),
            (self.tr("Phone"), lambda m: m.phone_masked, None),
            (self.tr("About"), lambda m: m.about, None),
            (self.tr("Call back by"), self._due_text, None),
            (self.tr("Done"), lambda m: (short(m.done_at) + " " + m.outcome).strip(), None),
        ], parent, shade=_shade)
        self.add_button(self.tr("New message…"), self.new_message, "Ctrl+N")
        self.add_button(self.tr("Done…"), self.mark_done)
        self.add_button(self.tr("To a repair…"), self.to_repair)
        self.add_button(self.tr("To a complaint…"), self.to_complaint)
        self.add_print_button()
        self.load()

    def _due_text(self, m) -> str:
        if m.done_at is not None:
            return short(m.reply_by)
        from models import deadlines

        return f"{short(m.due)}  {left_text(deadlines.left(m.due, clock.now()))}"

    def fetch(self, text, only_open):
        if only_open and not text:
            return messages.open_messages(self.user)
        return messages.search(self.user, text, include_done=not only_open)

    def summary_text(self, rows) -> str:
        late = sum(1 for m in rows if m.done_at is None and m.due < clock.now())
        return self.tr("{n} messages, {late} past their time.").format(n=len(rows), late=late)

    def activated(self) -> None:
        self.mark_done()

    def new_message(self):
        dialog = MessageDialog(self.user, self)
        if dialog.exec():
            self.load()
            self.choose_record(dialog.result_object.id)
        return dialog

    def _open_one(self):
        m = self.chosen(self.tr("Choose a message first"))
        if m is not None and m.done_at is not None:
            from PySide6.QtWidgets import QMessageBox

            QMessageBox.information(self, self.title, self.tr("This message is done already"))
            return None
        return m

    def mark_done(self):
        m = self._open_one()
        if m is None:
            return None
        dialog = DoneDialog(self.user, m, self)
        if dialog.exec():
            self.load()
        return dialog

    def to_repair(self):
        m = self._open_one()
        if m is None:
            return None
        names = {i18n.office(label): code for code, label in repairs.CATEGORIES.items()}
        guessed = repairs.category_of(m.about)
        first = list(repairs.CATEGORIES).index(guessed) if guessed in repairs.CATEGORIES else 0
        name, ok = QInputDialog.getItem(self, self.tr("To a repair"), self.tr("Kind of repair"), list(names), first,
                                        False)
        if not ok:
            return None
        done = act(self, self.tr("To a repair"), messages.to_repair, self.user, m.id, category=names[name])
        if done:
            self.load()
            self.summary.setText(self.tr("Repair {number} raised from the message.").format(
                number=done.value.number_text))
        return done

    def to_complaint(self):
        m = self._open_one()
        if m is None:
            return None
        kinds = {i18n.office(label): code for code, label in complaints.KINDS.items()}
        name, ok = QInputDialog.getItem(self, self.tr("To a complaint"), self.tr("Kind"), list(kinds), 0, False)
        if not ok:
            return None
        done = act(self, self.tr("To a complaint"), messages.to_complaint, self.user, m.id, kind=kinds[name])
        if done:
            self.load()
            self.summary.setText(self.tr("{number} recorded from the message.").format(number=done.value.number_text))
        return done


def tour_dialog(user, tab, which: str):
    """A dialog of this tab as the screenshots show it, filled in as a clerk would."""
    dialog = MessageDialog(user, tab)
    dialog.house.setText("3-2-1201")
    dialog.fill_caller()
    dialog.for_whom.setCurrentText("经理")
    dialog.about.setText("车位申请进度，请回电")
    dialog.asked.setChecked(True)
    return dialog
