import datetime

import pytest

from models import billing, cashier, clock, demo, documents, estate, meters, owners, search, today, users
from models.errors import OfficeError


def test_the_small_demo_estate_is_realistic_and_the_same_every_time(database):
    counts = demo.create("small")
    assert counts["buildings"] == 12 and 750 <= counts["houses"] <= 850
    assert owners.Resident.select().where(owners.Resident.kind == "tenant").count() > 50
    wang = users.login("wang", demo.DEMO_PASSWORD)
    assert wang.role_set == {"clerk"}
    assert documents.missing_by_building(wang)  # some archives lack papers
    assert search.search(wang, "3-2-1201")[0].label == "3-2-1201"
    assert estate.profile().name == "翠湖花园"


def _snapshot():
    return ([(o.name, o.id_number, o.phone) for o in owners.Owner.select().order_by(owners.Owner.id)],
            [(h.label, h.area, h.state) for h in estate.House.select().order_by(estate.House.id)])


def test_the_demo_estate_is_the_same_every_time(tmp_path):
    from models import db

    snapshots = []
    for name in ("a.sqlite", "b.sqlite"):
        db.connect(db.sqlite_url(tmp_path / name))
        try:
            demo.create("small")
            snapshots.append(_snapshot())
        finally:
            db.close()
    assert snapshots[0] == snapshots[1] and len(snapshots[0][0]) > 700


def test_every_demo_id_number_passes_its_check(database):
    from models import validation

    demo.create("small")
    bad = [o.id_number for o in owners.Owner.select() if validation.resident_id_error(o.id_number)]
    assert bad == []


def test_the_demo_refuses_a_database_that_is_in_use(admin):
    with pytest.raises(OfficeError):
        demo.create("small")


def _month(day: datetime.date, back: int) -> str:
    index = day.year * 12 + day.month - 1 - back
    return f"{index // 12}-{index % 12 + 1:02d}"


# a New Year's morning, the last evening of a long month, the second day of December
MADE_ON = [datetime.datetime(2027, 1, 1, 8, 0), datetime.datetime(2027, 3, 31, 17, 0),
           datetime.datetime(2026, 12, 2, 10, 0)]


@pytest.mark.parametrize("moment", MADE_ON, ids=lambda m: m.strftime("%Y-%m-%d %H:%M"))
def test_the_demo_made_on_any_day_is_billed_up_to_last_month_with_its_water_read(database, moment):
    with clock.frozen(moment):
        demo.create("small")
        last, before = _month(moment.date(), 1), _month(moment.date(), 2)
        runs = sorted(p for (p,) in billing.BillingRun.select(billing.BillingRun.period).tuples())
        assert runs == [before, last]  # month by month, none skipped, up to last month
        assert billing.first_unbilled() == _month(moment.date(), 0)
        billing.check_in_order(_month(moment.date(), 0))  # this month can be billed now
        read = meters.Reading.select().where(meters.Reading.period == last)
        assert read.count() > 500 and not read.where(meters.Reading.billed == False).exists()  # noqa: E712
        assert not meters.Reading.select().where(meters.Reading.period > last).exists()  # this month: to read
        assert not cashier.Receipt.select().where(cashier.Receipt.created_at > moment).exists()
        charged = billing.Charge.select().where(billing.Charge.period == last, billing.Charge.source == "billing")
        paid = (cashier.Settlement.select(cashier.Settlement.charge).distinct()
                .where(cashier.Settlement.charge.in_(charged.select(billing.Charge.id))).count())
        assert paid > 0.6 * charged.count()  # most houses have paid last month's bills
        # the counter scenario: 张三 owes last month's fees and water, with their late fee
        house = estate.House.get(estate.House.label == demo.SCENARIO_HOUSE)
        owed = cashier.owed(users.User.get(users.User.username == "li"), house.id)
        assert {o.charge.period for o in owed} == {last}
        assert {o.charge.item.code for o in owed} >= {"service", "water"} and any(o.late_fee > 0 for o in owed)


@pytest.mark.parametrize("moment", MADE_ON, ids=lambda m: m.strftime("%Y-%m-%d %H:%M"))
def test_the_demo_made_on_any_day_opens_on_a_normal_morning_at_the_desk(database, moment):
    with clock.frozen(moment):
        demo.create("small")
        for name in ("wang", "zhao"):
            lines = today.lines(users.User.get(users.User.username == name))
            late = [line for line in lines if line.left.overdue]
            assert len(lines) >= 5  # a few things due today
            assert 1 <= len(late) <= 3 and 2 * len(late) < len(lines), [(x.what, x.due) for x in lines]
