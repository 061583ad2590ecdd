"""The morning patrol (SCENARIOS 17): three findings, each with a photo, each a repair
order in the same step; the extinguisher past its date marked in the facility register,
the intact rate dropping below its target on 今日; a day without a patrol on 今日. A lift
entrapment (SCENARIOS 20): opened, each step timed, closed with its summary."""
import datetime

import pytest

from models import clock, facilities, incidents, patrols, repairs, settings, today
from models.errors import OfficeError, ValidationError

T = datetime.datetime


@pytest.fixture
def estate_kit(supervisor):
    with clock.frozen(T(2026, 11, 1, 9)):
        lights = facilities.add(supervisor, kind="stair_light", name="4栋2单元楼道灯", place="4-2 楼梯间", count=30)
        ext = facilities.add(supervisor, kind="extinguisher", name="7栋灭火器", place="7栋各层", count=20,
                             expires_on=datetime.date(2026, 12, 1), contractor="安消消防", contractor_phone="0755-88886666")
        pump = facilities.add(supervisor, kind="pump", name="1号生活水泵", place="地下泵房", count=2, every_days=30,
                              maintained_on=datetime.date(2026, 11, 1))
        route = patrols.save_route(supervisor, "公共区域日巡", ["1栋大堂", "4栋楼梯间", "7栋周边", "地下车库"])
    return dict(lights=lights, ext=ext, pump=pump, route=route)


def test_the_morning_patrol_raises_repairs_and_the_intact_rate_drops_below_target(estate_kit, clerk, supervisor,
                                                                                  tmp_path):
    photo = tmp_path / "finding.jpg"
    photo.write_bytes(b"\xff\xd8\xff photo")
    k = estate_kit
    assert facilities.intact_rate(clerk).percent_text == "100.0"
    with clock.frozen(T(2026, 12, 2, 11)):  # before the hour (12:00): today's patrol is due, not late
        [line] = [t for t in today.lines(clerk) if t.what == "patrol"]
        assert not line.left.overdue
    with clock.frozen(T(2026, 12, 2, 12, 30)):
        [line] = [t for t in today.lines(clerk) if t.what == "patrol"]
        assert line.left.overdue
        r = patrols.start(clerk, k["route"].id, walker="保安老陈")
        points = patrols.checkpoints(clerk, k["route"].id)
        assert [p.name for p in points] == ["1栋大堂", "4栋楼梯间", "7栋周边", "地下车库"]
        patrols.check(clerk, r.id, checkpoint_id=points[0].id)
        with pytest.raises(ValidationError) as e:
            patrols.check(clerk, r.id, checkpoint_id=points[1].id, ok=False, what="", raise_repair=True)
        assert set(e.value.fields) == {"what", "category"}
        a = patrols.check(clerk, r.id, checkpoint_id=points[1].id, ok=False, what="楼道灯不亮", photo=photo,
                          facility_id=k["lights"].id, facility_faulty=1, raise_repair=True)
        b = patrols.check(clerk, r.id, checkpoint_id=points[2].id, ok=False, what="7栋旁排水沟堵塞", photo=photo,
                          raise_repair=True, category="water")
        c = patrols.check(clerk, r.id, checkpoint_id=points[2].id, ok=False, what="灭火器过期", photo=photo,
                          facility_id=k["ext"].id, facility_faulty=1, raise_repair=True)
        assert all(x.repair_id and x.photo_hash for x in (a, b, c))
        made = [repairs.Repair.get_by_id(x.repair_id) for x in (a, b, c)]
        assert [(m.channel, m.place) for m in made] == [("patrol", "4-2 楼梯间"), ("patrol", "7栋周边"),
                                                        ("patrol", "7栋各层")]
        assert made[0].what == "4栋2单元楼道灯：楼道灯不亮" and made[0].category == "electric"
        with pytest.raises(ValidationError) as e:  # the last checkpoint not reached: the note says why
            patrols.finish(clerk, r.id)
        assert "地下车库" in str(e.value.fields["note"][1])
        patrols.finish(clerk, r.id, "车库积水，未进入")
        with pytest.raises(OfficeError):
            patrols.check(clerk, r.id, checkpoint_id=points[3].id)
        assert not [t for t in today.lines(clerk) if t.what == "patrol"]
    rate = facilities.intact_rate(clerk)
    assert (rate.units, rate.faulty, rate.percent_text) == (52, 2, "96.2") and rate.below_target
    with clock.frozen(T(2026, 12, 2, 13)):
        lines = {t.what: t for t in today.lines(clerk)}
        assert lines["facilities"].number == "96.2%" and lines["facilities"].left.overdue
        assert lines["expired"].record_id == k["ext"].id  # the extinguishers' date has passed
    with clock.frozen(T(2026, 12, 2, 16)):
        facilities.fixed(clerk, k["lights"].id, repair_id=a.repair_id)
        facilities.fixed(clerk, k["ext"].id)
        with pytest.raises(ValidationError):
            facilities.fixed(clerk, k["ext"].id)  # none out of order now
    assert not facilities.intact_rate(clerk).below_target
    assert [e.kind for e in facilities.events(clerk, k["lights"].id)] == ["fixed", "fault"]


def test_facility_rules_and_maintenance_due(estate_kit, clerk, supervisor, admin):
    k = estate_kit
    with pytest.raises(ValidationError) as e:
        facilities.add(supervisor, kind="rocket", name="", place="", count=0, contractor_phone="123")
    assert set(e.value.fields) == {"kind", "name", "place", "count", "contractor_phone"}
    with pytest.raises(ValidationError):
        facilities.fault(clerk, k["pump"].id, what="漏水", count=3)  # only 2 pumps
    with clock.frozen(T(2026, 11, 30, 9)):
        assert not [t for t in today.lines(clerk) if t.what == "maintenance"]
    with clock.frozen(T(2026, 12, 1, 9)):  # 30 days after 11-01
        [line] = [t for t in today.lines(clerk) if t.what == "maintenance"]
        assert line.record_id == k["pump"].id
        facilities.maintained(clerk, k["pump"].id, what="月度保养")
        assert not [t for t in today.lines(clerk) if t.what == "maintenance"]
    settings.update({"target_facilities_intact_percent": 90}, user=admin)
    facilities.fault(clerk, k["lights"].id, what="灯不亮", count=3)  # 49 of 52: 94.2 % against 90
    assert not facilities.intact_rate(clerk).below_target


def test_a_lift_entrapment_timed_step_by_step_and_closed(house, clerk):
    with clock.frozen(T(2026, 12, 2, 19, 41)):
        with pytest.raises(ValidationError) as e:
            incidents.open_incident(clerk, kind="quake", happened_at=T(2026, 12, 2, 19, 50), place="", what="")
        assert set(e.value.fields) == {"kind", "happened_at", "place", "what"}
        i = incidents.open_incident(clerk, kind="lift", happened_at=T(2026, 12, 2, 19, 40), place="5栋2号电梯",
                                    what="一名住户被困电梯内", reported_by="住户家属")
        assert i.number_text == "SJ2026-0001"
        incidents.step(clerk, i.id, kind="called", at=T(2026, 12, 2, 19, 41), who="迅达电梯维保")
        with pytest.raises(ValidationError) as e:  # before it happened; who was told missing
            incidents.step(clerk, i.id, kind="reported", at=T(2026, 12, 2, 19, 30))
        assert set(e.value.fields) == {"at", "who"}
    with clock.frozen(T(2026, 12, 2, 19, 50)):
        [line] = [t for t in today.lines(clerk) if t.what == "incident"]
        assert (line.table, line.record_id, line.number) == ("incident", i.id, "SJ2026-0001")
        incidents.step(clerk, i.id, kind="reported", at=T(2026, 12, 2, 19, 43), who="经理")
        with pytest.raises(OfficeError):
            incidents.close(clerk, i.id, "困人解除")  # not over yet
    with clock.frozen(T(2026, 12, 2, 20, 10)):
        incidents.step(clerk, i.id, kind="resolved", at=T(2026, 12, 2, 20, 5), note="维保人员到场放人，住户无受伤")
        with pytest.raises(ValidationError):
            incidents.close(clerk, i.id, "  ")
        incidents.close(clerk, i.id, "电梯门机故障致困人，25 分钟解除；维保公司次日检修门机。")
        with pytest.raises(OfficeError):
            incidents.step(clerk, i.id, kind="action", at=T(2026, 12, 2, 20, 9), note="补记")
    assert not [t for t in today.lines(clerk) if t.what == "incident"]
    assert [s.kind for s in incidents.steps(clerk, i.id)] == ["called", "reported", "resolved"]
    from printing.registers import incident_report

    slip = incident_report(incidents.get(clerk, i.id), incidents.steps(clerk, i.id))
    rows = dict(slip.rows)
    assert rows["历时"] == "25 分钟" and "19:41 通知" in rows and "事发后 3 分钟" in rows["19:43 上报"]
