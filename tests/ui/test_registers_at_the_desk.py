"""One entry of each register written at the desk by keyboard, in the real window: a
visitor in and out, a tenant's release pass with the owner's word and the arrears seen, a
registered letter left and collected, a finding on the morning patrol raised as a repair,
a facility out of order, a lift entrapment with its steps; each open one on 今日, opening
its record."""
import datetime
import io

from pypdf import PdfReader
from PySide6.QtCore import Qt

from models import (billing, clock, facilities, incidents, left_items, owners, passes, patrols, repairs, today,
                    users, visitors)
from tests.ui.test_desk_registers import shown_active
from tests.ui.typing_keys import enter, focused, type_text

T0 = datetime.datetime(2026, 12, 2, 9, 0)


def text_of(pdf: bytes) -> str:
    return "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)


def _window(qtbot, user):
    from ui.main_window import MainWindow

    w = MainWindow(user)
    qtbot.addWidget(w)
    w.show()
    with qtbot.waitActive(w):
        w.activateWindow()
    return w


def _open_from_today(qtbot, w, user, what):
    start = w.page("today")
    start.load()
    [row] = [r for r in range(start.model.rowCount()) if start.model.row_object(r).what == what]
    line = start.model.row_object(row)
    start.view.setFocus()
    start.view.selectRow(row)
    enter(qtbot, start.view)
    return line


def test_each_register_by_keyboard_and_from_today(admin, supervisor, cashier, house, qtbot, monkeypatch,
                                                  message_boxes):
    from ui import preview
    from ui.registers import facilities as facility_ui
    from ui.registers import incidents as incident_ui
    from ui.registers import left_items as left_ui
    from ui.registers import passes as pass_ui
    from ui.registers import visitors as visitor_ui

    owners.add_owner(admin, house.id, name="张三", phone="13812345678")
    owners.add_resident(supervisor, house.id, kind="tenant", name="乐嘉", phone="13700004321")
    hash_ = users.User.get(users.User.username == "admin").password_hash
    wang = users.User.create(username="xiaowang", full_name="小王", roles="clerk", password_hash=hash_)
    with clock.frozen(T0 - datetime.timedelta(days=30)):
        billing.post_charge(cashier, house.id, "debris", 45_000, description="垃圾清运")
        ext = facilities.add(supervisor, kind="extinguisher", name="7栋灭火器", place="7栋各层", count=20)
        route = patrols.save_route(supervisor, "公共区域日巡", ["1栋大堂", "4栋楼梯间"])
    shown = []
    monkeypatch.setattr(preview.PreviewDialog, "exec", lambda self: shown.append(self) or 0)

    def fill(cls, steps):
        def run(dialog):
            shown_active(qtbot, dialog)
            steps(dialog)
            return dialog.result()
        monkeypatch.setattr(cls, "exec", run)

    with clock.frozen(T0):
        w = _window(qtbot, wang)
        page = w.page("registers")

        # a visitor for 3-2-1201, by keyboard
        def visitor(d):
            qtbot.waitUntil(lambda: focused() is d.house)
            for text in ("3-2-1201", "刘备", "张三对讲确认"):
                type_text(qtbot, None, text)
                enter(qtbot)
            enter(qtbot)  # the ID document: a resident ID card
            type_text(qtbot, None, "11010519491231002X")
            for _ in range(4):  # phone, plate, people, then the purpose
                enter(qtbot)
            type_text(qtbot, None, "探亲")
            enter(qtbot)
        fill(visitor_ui.VisitorDialog, visitor)
        page.tabs.setCurrentWidget(page.visitors)
        page.visitors.sign_in()
        v = visitors.Visitor.get()
        assert (v.name, v.house_id, v.confirmed_by, v.purpose, v.id_number) == (
            "刘备", house.id, "张三对讲确认", "探亲", "11010519491231002X")
        row = page.visitors.model.row_object(page.visitors.view.currentIndex().row())
        assert row.id == v.id and row.id_number == "110***********002X"  # masked on screen

        # the tenant's move-out pass: the owner's word, the arrears seen
        def a_pass(d):
            qtbot.waitUntil(lambda: focused() is d.house)
            type_text(qtbot, None, "3-2-1201")
            enter(qtbot)
            assert focused() is d.applicant and d.applicant.count() == 2
            qtbot.keyClick(d.applicant, Qt.Key.Key_Down)  # 乐嘉, the tenant
            assert d.form.rows["authorised_by"].isVisibleTo(d)
            enter(qtbot)
            assert focused() is d.authorised_by and d.authorised_by.currentText() == "张三"
            enter(qtbot)
            enter(qtbot)
            enter(qtbot)  # how (by phone), when (now)
            assert focused() is d.items
            type_text(qtbot, None, "家具、冰箱")
            enter(qtbot)
            type_text(qtbot, None, "粤B12345")
            d.moving_out.setFocus()
            qtbot.keyClick(d.moving_out, Qt.Key.Key_Space)
            assert "450.00" in d.arrears.text()  # the house owes: shown before the pass is issued
            enter(qtbot, d.vehicle)  # refused: the arrears not yet seen
            assert d.form.rows["arrears_seen"].error.text() and passes.ReleasePass.select().count() == 0
            d.arrears_seen.setFocus()
            qtbot.keyClick(d.arrears_seen, Qt.Key.Key_Space)
            enter(qtbot, d.vehicle)
        fill(pass_ui.PassDialog, a_pass)
        page.tabs.setCurrentWidget(page.passes)
        page.passes.new_pass()
        p = passes.ReleasePass.get()
        assert (p.applicant, p.applicant_kind, p.authorised_by, p.vehicle, p.arrears) == (
            "乐嘉", "tenant", "张三", "粤B12345", 45_000)
        printed = text_of(shown[-1].pdf)
        assert "物品放行条" in printed and "FX2026-0001" in printed and "450.00" in printed

        # a registered letter left by the postman
        def letter(d):
            qtbot.waitUntil(lambda: focused() is d.kind)
            qtbot.keyClick(d.kind, Qt.Key.Key_Down)
            qtbot.keyClick(d.kind, Qt.Key.Key_Down)  # registered mail
            enter(qtbot)
            type_text(qtbot, None, "3-2-1201")
            enter(qtbot)
            assert d.for_whom.text() == "张三"
            enter(qtbot)
            enter(qtbot)
            type_text(qtbot, None, "法院挂号信")
            enter(qtbot)
            type_text(qtbot, None, "XA123456789CN")
            enter(qtbot)
            type_text(qtbot, None, "邮递员")
            enter(qtbot)
            enter(qtbot)  # kept at: anywhere; the last field keeps it
        fill(left_ui.LeaveDialog, letter)
        page.tabs.setCurrentWidget(page.left_items)
        page.left_items.take_in()
        item = left_items.LeftItem.get()
        assert (item.kind, item.number, item.for_whom, item.left_by) == ("registered", "XA123456789CN", "张三", "邮递员")

        # a lift entrapment opened by keyboard
        def incident(d):
            qtbot.waitUntil(lambda: focused() is d.kind)
            enter(qtbot)
            enter(qtbot)
            type_text(qtbot, None, "5栋2号电梯")
            enter(qtbot)
            enter(qtbot)
            type_text(qtbot, None, "住户被困电梯")
            enter(qtbot)
            enter(qtbot)
        fill(incident_ui.IncidentDialog, incident)
        page.tabs.setCurrentWidget(page.incidents)
        page.incidents.open_one()
        i = incidents.Incident.get()
        assert (i.kind, i.place, i.what) == ("lift", "5栋2号电梯", "住户被困电梯")

        # the extinguishers out of order, a repair raised in the same key
        def fault(d):
            qtbot.waitUntil(lambda: focused() is d.what)
            type_text(qtbot, None, "过期")
            enter(qtbot)
        fill(facility_ui.FaultDialog, fault)
        page.tabs.setCurrentWidget(page.facilities)
        page.facilities.load()
        page.facilities.choose_record(ext.id)
        page.facilities.fault()
        assert facilities.Facility.get_by_id(ext.id).faulty == 1
        assert repairs.Repair.get().what == "7栋灭火器：过期"
        assert "95.0%" in page.facilities.summary.text()

    # the patrol: the first checkpoint in order with Enter, a finding at the second raised with Enter
    with clock.frozen(T0 + datetime.timedelta(hours=4)):  # 13:00: late
        line = _open_from_today(qtbot, w, wang, "patrol")
        assert line.left.overdue and page.tabs.currentWidget() is page.patrols
        r = patrols.start(wang, route.id, "保安老陈")
        d = patrols_dialog = __import__("ui.registers.patrols", fromlist=["PatrolDialog"]).PatrolDialog(
            wang, patrols.get(wang, r.id), page.patrols)
        shown_active(qtbot, patrols_dialog)
        d.view.setFocus()
        enter(qtbot, d.view)
        assert d.model.row_object(d.view.currentIndex().row()).name == "4栋楼梯间"
        d.what.setFocus()
        type_text(qtbot, None, "楼道灯不亮")
        enter(qtbot)
        [finding] = [c for c in patrols.checks(wang, r.id) if not c.ok]
        assert finding.repair_id and repairs.Repair.get_by_id(finding.repair_id).what == "楼道灯不亮"
        d.finish()
        assert patrols.get(wang, r.id).finished_at is not None
        d.close()

    # still-open ones on 今日, each opening its record
    with clock.frozen(T0.replace(hour=22, minute=30)):
        for what, tab, record in (("visitor", page.visitors, v.id), ("incident", page.incidents, i.id)):
            line = _open_from_today(qtbot, w, wang, what)
            assert line.record_id == record and page.tabs.currentWidget() is tab
            assert tab.model.row_object(tab.view.currentIndex().row()).id == record
        page.visitors.choose_record(v.id)
        page.visitors.sign_out()
        assert visitors.Visitor.get().out_at is not None
        assert not [t for t in today.lines(wang) if t.what == "visitor"]
