"""Vacant houses inspected every 7 days (DOMAIN.md), counted from the last inspection: due
at once when never inspected, the week's boundary to the minute, a week missed counted,
off the list once the house is lived in; a finding raises its repair order in one step;
a check not passed without words, or a house not vacant, is refused and nothing written."""
import datetime

import pytest

from models import audit, clock, due_now, estate, repairs, settings, today, vacant
from models.errors import PermissionDenied, ValidationError

T0 = datetime.datetime(2026, 12, 3, 10, 0)
MIN = datetime.timedelta(minutes=1)
DAY = datetime.timedelta(days=1)
FINE = dict(doors_ok=True, water_power_ok=True, no_leaks=True, no_smells=True)


@pytest.fixture
def empty(admin, house):
    return estate.update_house(admin, house.id, state="vacant")


def test_a_vacant_house_never_inspected_is_due_at_once_and_reaches_today(empty, clerk):
    with clock.frozen(T0):
        [v] = vacant.due(clerk)
        assert (v.label, v.last, v.due, v.missed) == ("3-2-1201", None, datetime.datetime(2026, 12, 3), 0)
        [line] = [d for d in due_now.due_now(clerk) if d.what == "vacant"]
        assert (line.table, line.record_id, line.number) == ("vacant", empty.id, "3-2-1201")
        assert any(t.what == "vacant" and t.record_id == empty.id for t in today.lines(clerk))


def test_the_next_inspection_falls_due_seven_days_after_the_last_to_the_minute(empty, clerk, admin):
    with clock.frozen(T0):
        vacant.record(clerk, empty.id, **FINE)
        assert vacant.due(clerk) == []
    due = T0 + 7 * DAY
    [v] = vacant.houses(clerk, at=T0)
    assert (v.last, v.due) == (T0, due)
    assert vacant.due(clerk, at=due - DAY, horizon=due - MIN) == []  # 6 days 23:59 after: not yet
    assert [x.due for x in vacant.due(clerk, at=due - DAY, horizon=due)] == [due]  # 7 days: due
    assert vacant.due(clerk, at=datetime.datetime(2026, 12, 9, 23, 59)) == []  # the day before: not on today
    assert len(vacant.due(clerk, at=datetime.datetime(2026, 12, 10, 0, 1))) == 1  # on its day, from the morning
    # a week missed shows, counted in whole weeks after the due time
    assert vacant.houses(clerk, at=due + 7 * DAY - MIN)[0].missed == 0
    assert vacant.houses(clerk, at=due + 7 * DAY)[0].missed == 1
    assert vacant.houses(clerk, at=due + 21 * DAY)[0].missed == 3
    # the office inspects every 14 days instead
    settings.update({"vacant_inspection_days": 14}, user=admin)
    assert vacant.houses(clerk, at=T0)[0].due == T0 + 14 * DAY


def test_a_house_lived_in_again_is_no_longer_due(empty, clerk, admin):
    with clock.frozen(T0):
        assert len(vacant.due(clerk)) == 1
        estate.update_house(admin, empty.id, state="owner_occupied")
        assert vacant.due(clerk) == [] and vacant.houses(clerk) == []
        with pytest.raises(ValidationError) as e:
            vacant.record(clerk, empty.id, **FINE)
        assert set(e.value.fields) == {"house"}
    assert vacant.VacantInspection.select().count() == 0


def test_a_finding_raises_its_repair_in_the_same_step_and_a_bare_failed_check_is_refused(empty, clerk, tmp_path):
    with clock.frozen(T0):
        with pytest.raises(ValidationError) as e:
            vacant.record(clerk, empty.id, **{**FINE, "no_leaks": False})
        assert set(e.value.fields) == {"findings"}
        with pytest.raises(ValidationError) as e:
            vacant.record(clerk, empty.id, **FINE, raise_repair=True)
        assert set(e.value.fields) == {"findings"}
        with pytest.raises(ValidationError) as e:
            vacant.record(clerk, empty.id, **{**FINE, "doors_ok": "yes"})
        assert set(e.value.fields) == {"doors_ok"}
        assert vacant.VacantInspection.select().count() == 0 and repairs.Repair.select().count() == 0
        photo = tmp_path / "ceiling.jpg"
        photo.write_bytes(b"\xff\xd8\xff\xe0 a photo of the damp ceiling")
        inspection = vacant.record(clerk, empty.id, **{**FINE, "no_leaks": False},
                                   findings="卫生间天花板渗水，楼上漏水", raise_repair=True, photo=photo)
    [repair] = repairs.Repair.select()
    assert inspection.repair_id == repair.id and repair.house_id == empty.id
    assert (repair.channel, repair.category, repair.what) == ("patrol", "leak", "卫生间天花板渗水，楼上漏水")
    assert vacant.photo_path(inspection).read_bytes() == photo.read_bytes()
    assert not inspection.all_fine
    [entry] = audit.AuditEntry.select().where(audit.AuditEntry.action == "vacant.inspect")
    assert repair.number_text in entry.detail
    assert [i.id for i in vacant.history(clerk, empty.id)] == [inspection.id]


def test_only_the_service_desk_inspects(empty, admin):
    with pytest.raises(PermissionDenied):  # the administrator keeps the users, not the houses' rounds
        vacant.record(admin, empty.id, **FINE)
    with pytest.raises(PermissionDenied):
        vacant.houses(admin)
    assert vacant.VacantInspection.select().count() == 0


def test_a_finding_whose_words_name_no_trade_still_becomes_a_repair(empty, clerk):
    with clock.frozen(T0):
        inspection = vacant.record(clerk, empty.id, **{**FINE, "no_smells": False}, findings="有异味",
                                   raise_repair=True)
    assert repairs.Repair.get_by_id(inspection.repair_id).category == "other"


def test_houses_never_inspected_come_first_then_the_most_overdue(empty, clerk, admin):
    estate.create_house(admin, empty.unit_id, number="1202", area="80", state="vacant")
    with clock.frozen(T0 - 30 * DAY):
        vacant.record(clerk, empty.id, **FINE)  # a month ago: three weeks missed
    with clock.frozen(T0):
        assert [(v.label, v.missed) for v in vacant.houses(clerk)] == [("3-2-1202", 0), ("3-2-1201", 3)]
