"""Scenario 1: the morning's list holds keys and lent items past their due time, parcels
waiting past the free day, and the service desk's deadlines, overdue first; each user sees
what their work covers."""
import datetime

from models import backup, clock, complaints, keys, lending, parcels, repairs, today

T0 = datetime.datetime(2026, 11, 22, 9, 0)
H = datetime.timedelta(hours=1)


def test_the_mornings_list(clerk, cashier, supervisor, admin, house):
    with clock.frozen(T0):
        key = keys.add_key(clerk, tag="P-01", name="水泵房", kind="public", responsible="刘工")
        keys.lend(clerk, key.id, keys.Borrower("staff", "李师傅", approved_by="刘工"))
        ladder = lending.add_item(clerk, tag="J-01", name="人字梯")
        lending.lend(clerk, ladder.id, borrower="张三", condition="完好")
        parcels.receive(clerk, house_id=house.id, tracking="SF1", shelf="A-1", safe=True)
    with clock.frozen(T0 + 35 * H):
        parcels.receive(clerk, house_id=house.id, tracking="SF2", shelf="A-2", safe=True)  # within its free day
    with clock.frozen(T0 + 47 * H):  # Tuesday 08:00
        leak = repairs.report(clerk, house_id=house.id, reporter="张三", what="顶棚滴水", category="leak")
        complaints.record(clerk, name="张三", what="装修噪音")
    with clock.frozen(T0 + 49 * H):  # Tuesday 10:00
        lines = today.lines(clerk)
        assert lines[0].what == "backup" and lines[0].at_risk  # never backed up: before everything
        assert {(line.what, line.due) for line in lines[1:4]} == {
            ("key", keys.KeyLoan.get().due_at), ("item", lending.ItemLoan.get().due_at), ("parcel", T0 + 24 * H)}
        assert lines[4].what == "dispatch" and lines[4].number == leak.number_text  # due 08:10, the least late
        assert all(line.left.overdue for line in lines[1:]) and len(lines) == 5
        assert [line.due for line in lines[1:]] == sorted(line.due for line in lines[1:])  # the latest first
        assert [line.number for line in lines if line.what == "parcel"] == [parcels.Parcel.get(
            parcels.Parcel.tracking == "SF1").code]  # the one past its free day only
        # the complaint's first answer is due tomorrow, 08:00: not today's
        backup_line = ["backup"]
        assert [line.what for line in today.lines(admin)] == backup_line  # none of the desk's work
        assert sorted(line.what for line in today.lines(cashier)) == sorted(
            ["dispatch", "item", "key", "parcel"] + backup_line)


def test_a_backup_is_due_the_offices_days_after_the_last_good_one(clerk, house, tmp_path):
    with clock.frozen(T0):
        backup.create(tmp_path)
    assert backup.last()[0] == T0 and backup.reminder_due() == T0 + 7 * 24 * H
    with clock.frozen(T0 + 6 * 24 * H):
        assert [line.what for line in today.lines(clerk)] == []  # due tomorrow
    with clock.frozen(T0 + 7 * 24 * H - H):  # due at 09:00 today: on today's list, not yet late
        [line] = today.lines(clerk)
        assert (line.what, line.due, line.left.overdue) == ("backup", T0 + 7 * 24 * H, False)
    with clock.frozen(T0 + 7 * 24 * H + datetime.timedelta(seconds=1)):
        assert today.lines(clerk)[0].left.overdue


def test_todays_list_puts_what_needs_doing_now_first(clerk, supervisor, house, tmp_path, monkeypatch):
    """The data at risk first (a failed self-check), then what is overdue, the latest first,
    a backup among them by how late it is; then what falls due later today, soonest first."""
    tech = repairs.save_technician(supervisor, name="刘师傅")
    with clock.frozen(T0 - 8 * 24 * H):
        backup.create(tmp_path)  # due again a day ago
    with clock.frozen(T0 - 30 * datetime.timedelta(minutes=1)):
        late = repairs.report(clerk, house_id=house.id, reporter="张三", what="灯不亮", category="electric")
    with clock.frozen(T0 - 10 * datetime.timedelta(minutes=1)):
        promised = repairs.report(clerk, house_id=house.id, reporter="张三", what="门锁坏", category="door_window")
        repairs.dispatch(clerk, promised.id, tech.id, T0 + 3 * H)
    with clock.frozen(T0):
        noise = complaints.record(clerk, name="张三", what="装修噪音", simple=True)  # answered by 11:00
        order = [(line.what, line.number) for line in today.lines(clerk)]
    assert order == [("backup", ""), ("dispatch", late.number_text), ("first_answer", noise.number_text),
                     ("appointment", promised.number_text)]
    monkeypatch.setattr(backup, "last_check", lambda: (T0 - 2 * H, False))  # the night's self-check failed
    with clock.frozen(T0):
        assert [line.what for line in today.lines(clerk)][:2] == ["integrity", "backup"]
