"""Scenario 1: the morning's list holds keys and lent items past their due time, parcels
waiting past the free day, and the service desk's deadlines, overdue first; each user sees
what their work covers."""
import datetime

from models import clock, complaints, keys, lending, parcels, repairs, today

T0 = datetime.datetime(2026, 11, 22, 9, 0)
H = datetime.timedelta(hours=1)


def test_the_mornings_list(clerk, cashier, supervisor, admin, house):
    with clock.frozen(T0):
        key = keys.add_key(clerk, tag="P-01", name="水泵房", kind="public", responsible="刘工")
        keys.lend(clerk, key.id, keys.Borrower("staff", "李师傅", approved_by="刘工"))
        ladder = lending.add_item(clerk, tag="J-01", name="人字梯")
        lending.lend(clerk, ladder.id, borrower="张三", condition="完好")
        parcels.receive(clerk, house_id=house.id, tracking="SF1", shelf="A-1", safe=True)
    with clock.frozen(T0 + 20 * H):
        parcels.receive(clerk, house_id=house.id, tracking="SF2", shelf="A-2", safe=True)  # within its free day
    with clock.frozen(T0 + 23 * H):  # Monday 08:00
        leak = repairs.report(clerk, house_id=house.id, reporter="张三", what="顶棚滴水", category="leak")
        complaints.record(clerk, name="张三", what="装修噪音")
    with clock.frozen(T0 + 25 * H):  # Monday 10:00
        lines = today.lines(clerk)
        assert lines[0].what == "dispatch" and lines[0].number == leak.number_text  # due 08:10
        assert {(line.what, line.due) for line in lines[1:]} == {  # all due at 09:00, a day after
            ("key", T0 + 24 * H), ("item", T0 + 24 * H), ("parcel", T0 + 24 * H)}
        assert all(line.left.overdue for line in lines)
        assert [line.number for line in lines if line.what == "parcel"] == [parcels.Parcel.get(
            parcels.Parcel.tracking == "SF1").code]  # the one past its free day only
        # the complaint's first answer is due tomorrow, 08:00: not today's
        assert today.lines(admin) == []  # the administrator's work has none of these
        assert sorted(line.what for line in today.lines(cashier)) == ["dispatch", "item", "key", "parcel"]
