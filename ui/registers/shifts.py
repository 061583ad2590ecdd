"""交接班: the outgoing clerk hands the desk over (her note, the open items as they are now,
the cash counted) by her password; the incoming clerk sees it when she signs in and takes
it over by hers."""
from __future__ import annotations


from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QComboBox, QLabel, QLineEdit, QPlainTextEdit

from models import money, settings, shifts, users
from models.errors import ValidationError
from models.money import BadAmount
from printing.registers import handover_sheet
from ui import i18n
from ui.form import FormDialog
from ui.kit import EnterMovesOn, LATE, preview_slip, table_view
from ui.register_tab import RegisterTab, when
from ui.table_models import RowsModel


def _items_view(parent, rows, kind_of=lambda r: r.kind, late_of=lambda r: getattr(r, "late", False)):
    model = RowsModel([
        (QCoreApplication.translate("HandoversTab", "Open item"),
         lambda r: i18n.office(shifts.KINDS.get(kind_of(r), kind_of(r))), None),
        (QCoreApplication.translate("HandoversTab", "No."), lambda r: r.number, None),
        (QCoreApplication.translate("HandoversTab", "About"), lambda r: r.about, None),
    ], parent, shade=lambda r: LATE if late_of(r) else None)
    model.set_rows(rows)
    view = table_view(model)
    view.resizeColumnsToContents()
    view.setMinimumHeight(160)
    view.setFocusPolicy(Qt.FocusPolicy.ClickFocus)  # read, scrolled by mouse: Tab goes from field to field
    return view


def _password_edit() -> QLineEdit:
    edit = QLineEdit()
    edit.setEchoMode(QLineEdit.EchoMode.Password)
    return edit


class HandOverDialog(FormDialog):
    """Hand the desk over: what is open now, the note, the cash box, the next clerk, my password."""

    def __init__(self, user, parent=None):
        super().__init__(self.tr("Hand over the shift"), parent)
        self.user = user
        self.carried = shifts.open_items(user)
        late = sum(1 for c in self.carried if c.late)
        about = QLabel(self.tr("{n} open items go over to the next clerk, {late} of them past their time.").format(
            n=len(self.carried), late=late))
        about.setWordWrap(True)
        self.box.insertWidget(0, about)
        self.items = _items_view(self, self.carried)
        self.box.insertWidget(1, self.items, 1)
        self.note = self.form.add("note", self.tr("Handover note"), QPlainTextEdit())
        self.note.setTabChangesFocus(True)
        self.note.setFixedHeight(self.note.fontMetrics().height() * 4 + 12)
        self.cash = self.form.add("cash", self.tr("Cash in the box (yuan)"), QLineEdit())
        self.form.show_row("cash", settings.office.shift_cash)
        self.cash.setEnabled(settings.office.shift_cash)
        self.to_user = self.form.add("to_user", self.tr("Handed to"), QComboBox())
        self.to_user.addItem(self.tr("whoever comes next"), None)
        for u in shifts.desk_clerks(user):
            self.to_user.addItem(u.display_name, u.id)
        self.password = self.form.add("password", self.tr("My password"), _password_edit())
        self.enter = EnterMovesOn([self.cash, self.to_user, self.password], self.password, self._save, self)
        self.buttons.button(self.buttons.StandardButton.Save).setText(self.tr("Hand over"))
        self.resize(720, 640)

    def save(self):
        cash = None
        if settings.office.shift_cash and self.cash.text().strip():
            try:
                cash = money.parse(self.cash.text())
            except BadAmount as e:
                raise ValidationError({"cash": (e.template, e.params)})
        return shifts.hand_over(self.user, self.password.text(), note=self.note.toPlainText(), cash=cash,
                                to_user_id=self.to_user.currentData())


class TakeOverDialog(FormDialog):
    """What was handed over, to be taken over by my password."""

    def __init__(self, user, handover, parent=None):
        super().__init__(self.tr("Take the shift over"), parent)
        self.user, self.handover = user, handover
        items = shifts.items_of(user, handover.id)
        lines = [self.tr("{name} handed the desk over at {at}.").format(
            name=users.display_name_of(handover.by_id), at=when(handover.at))]
        if handover.cash is not None:
            lines.append(self.tr("Cash in the box: {cash} yuan — count it.").format(
                cash=money.fmt(handover.cash, grouping=True)))
        if handover.note:
            lines.append(handover.note)
        lines.append(self.tr("%n open item(s):", "", len(items)))
        about = QLabel("\n".join(lines))
        about.setWordWrap(True)
        self.box.insertWidget(0, about)
        self.box.insertWidget(1, _items_view(self, items, late_of=lambda _r: False), 1)
        self.note = self.form.add("confirm_note", self.tr("My note"), QLineEdit())
        self.note.setPlaceholderText(self.tr("the cash counted, anything not as said"))
        self.password = self.form.add("password", self.tr("My password"), _password_edit())
        self.enter = EnterMovesOn([self.note, self.password], self.password, self._save, self)
        self.buttons.button(self.buttons.StandardButton.Save).setText(self.tr("Take over"))
        self.buttons.button(self.buttons.StandardButton.Cancel).setText(self.tr("Later"))
        self.resize(720, 600)
        self.password.setFocus()

    def save(self):
        return shifts.confirm(self.user, self.handover.id, self.password.text(), self.note.text())


class HandoversTab(RegisterTab):
    def __init__(self, user, parent=None):
        self.title = self.tr("Shift handovers")
        self.find_hint = self.tr("The handovers, newest first")
        super().__init__(user, [
            (self.tr("Handed over"), lambda h: when(h.at), None),
            (self.tr("By"), lambda h: users.display_name_of(h.by_id), None),
            (self.tr("To"), lambda h: users.display_name_of(h.confirmed_by_id or h.to_user_id), None),
            (self.tr("Taken over"), lambda h: when(h.confirmed_at) or self.tr("not yet"), None),
            (self.tr("Cash"), lambda h: money.fmt(h.cash, grouping=True) if h.cash is not None else "", None),
            (self.tr("Note"), lambda h: h.note.replace("\n", " "), None),
        ], parent, alert=lambda h: h.confirmed_at is None)
        self.find.hide()
        self.add_button(self.tr("Hand over the shift…"), self.hand_over)
        self.add_button(self.tr("Take over…"), self.take_over)
        self.add_button(self.tr("Print the handover sheet…"), self.print_sheet)
        self.load()

    def fetch(self, text, only_open):
        return shifts.history(self.user)

    def activated(self) -> None:
        self.print_sheet()

    def hand_over(self):
        dialog = HandOverDialog(self.user, self)
        if dialog.exec():
            self.load()
            self.choose_record(dialog.result_object.id)
            return self.print_sheet(dialog.result_object)
        return None

    def take_over(self):
        h = self.chosen(self.tr("Choose the handover to take over"))
        if h is None:
            return None
        dialog = TakeOverDialog(self.user, h, self)
        if dialog.exec():
            self.load()
        return dialog

    def print_sheet(self, h=None):
        h = h or self.chosen(self.tr("Choose a handover first"))
        if h is None:
            return None
        h = shifts.get(self.user, h.id)
        return preview_slip(self, handover_sheet(h, shifts.items_of(self.user, h.id)), self.tr("Handover sheet"),
                            f"JJ{h.id:06d}.pdf")


def offer_take_over(user, parent) -> int:
    """At sign-in: each handover waiting for this clerk, to take over now (or later, from 今日)."""
    taken = 0
    for h in shifts.pending_for(user, recent=True):  # an old one left untaken stays on 今日 only
        if TakeOverDialog(user, h, parent).exec():
            taken += 1
    return taken


def tour_dialog(user, tab, which: str):
    """The handover as the screenshots show it: handing over (hand), or taking over (take)."""
    if which == "take":
        return TakeOverDialog(user, shifts.history(user)[0], tab)
    dialog = HandOverDialog(user, tab)
    dialog.note.setPlainText("两把钥匙未还；张三的留言 18:00 前回电。")
    dialog.cash.setText("1,250.00")
    return dialog
