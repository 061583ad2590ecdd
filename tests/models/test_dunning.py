"""The dunning ladder (催缴): payment notice → logged call → dunning notice, a promise that
holds the ladder until its date, the notices' figures and wording (due day, late-fee rule),
their printing, and the floor plan of a building by what its houses owe."""
import datetime

import pytest
from pypdf import PdfReader

from models import arrears, audit, billing, cashier as desk, clock, dunning, estate, fees, settings
from models.cashier import Pick
from models.errors import PermissionDenied, ValidationError

D = datetime.date


def on(y, m, d, h=10):
    return clock.frozen(datetime.datetime(y, m, d, h, 0))


@pytest.fixture
def owing(admin, supervisor, cashier, house):
    """3-2-1201 (89.50 m² at 2.50) billed September to November, nothing paid."""
    fees.update_item(supervisor, "service", unit_price="2.5000")
    fees.subscribe(supervisor, house.id, "service", starts=D(2026, 1, 1))
    for period, posted in (("2026-09", (2026, 9, 1)), ("2026-10", (2026, 10, 1)), ("2026-11", (2026, 11, 1))):
        with on(*posted):
            billing.post(cashier, period)
    return house


def test_the_ladder_goes_notice_call_dunning_and_a_promise_holds_it(clerk, owing):
    with on(2026, 11, 20):
        ladder = dunning.ladder(clerk, owing.id)
        # 3 × 223.75 and the late fee to the day on each month (0.1 % a day from the 16th)
        assert ladder.months == 3 and ladder.next == "notice" and ladder.owed > 3 * 22375
        notes = dunning.notices(clerk, "notice", [owing.id])
        dunning.record_sent(clerk, "notice", notes, "print")
        assert dunning.ladder(clerk, owing.id).next == "call"
    with on(2026, 11, 21):
        dunning.log_call(clerk, owing.id, "promised", promised_on=D(2026, 11, 25), note="月底前来交")
        assert dunning.ladder(clerk, owing.id).next == "wait"
    with on(2026, 11, 25):
        assert dunning.ladder(clerk, owing.id).next == "wait"  # the promised day itself
    with on(2026, 11, 26):
        assert dunning.ladder(clerk, owing.id).next == "dunning"  # the promise was broken
        letters = dunning.notices(clerk, "dunning", [owing.id])
        dunning.record_sent(clerk, "dunning", letters, "print")
        assert dunning.ladder(clerk, owing.id).next == "call"  # and then calls again
        kinds = [(s.kind, s.result) for s in dunning.ladder(clerk, owing.id).steps]
    assert kinds == [("notice", ""), ("call", "promised"), ("dunning", "")]
    assert [e.action for e in audit.AuditEntry.select().where(audit.AuditEntry.action.startswith("dunning"))
            .order_by(audit.AuditEntry.id)] == ["dunning.notice", "dunning.call", "dunning.letter"]


def test_the_months_payment_notices_never_move_a_house_down_the_ladder(clerk, owing):
    with on(2026, 11, 20):
        dunning.log_call(clerk, owing.id, "promised", promised_on=D(2026, 11, 30))
        dunning.record_sent(clerk, "notice", dunning.notices(clerk, "notice", [owing.id]), "print")
        assert dunning.ladder(clerk, owing.id).next == "wait"  # the promise still holds
    with on(2026, 12, 1):
        assert dunning.ladder(clerk, owing.id).next == "dunning"
        dunning.record_sent(clerk, "dunning", dunning.notices(clerk, "dunning", [owing.id]), "print")
        dunning.record_sent(clerk, "notice", dunning.notices(clerk, "notice", [owing.id]), "print")
        assert dunning.ladder(clerk, owing.id).next == "call"


def test_a_call_is_refused_without_its_result_or_with_a_past_promise(clerk, owing):
    with on(2026, 11, 20):
        with pytest.raises(ValidationError) as e:
            dunning.log_call(clerk, owing.id, "promised")
        assert "promised_on" in e.value.fields
        with pytest.raises(ValidationError):
            dunning.log_call(clerk, owing.id, "promised", promised_on=D(2026, 11, 19))
        with pytest.raises(ValidationError):
            dunning.log_call(clerk, owing.id, "maybe")
        step = dunning.log_call(clerk, owing.id, "no_answer", promised_on=D(2026, 12, 1))
    assert step.promised_on is None  # a date only goes with a promise
    assert dunning.DunningStep.select().count() == 1


def test_only_the_desk_logs_dunning(admin, owing):
    with pytest.raises(PermissionDenied):
        dunning.log_call(admin, owing.id, "no_answer")


def test_steps_about_debts_since_paid_are_history(clerk, cashier, owing):
    with on(2026, 11, 20):
        dunning.record_sent(clerk, "notice", dunning.notices(clerk, "notice", [owing.id]), "print")
        dunning.log_call(clerk, owing.id, "refused")
        lines = desk.owed(cashier, owing.id)
        desk.take_payment(cashier, owing.id, [Pick(o.charge.id) for o in lines], "cash",
                          tendered=sum(o.total for o in lines))
        assert dunning.ladder(clerk, owing.id).next == ""  # nothing owed, nothing to do
    with on(2026, 12, 1):
        billing.post(cashier, "2026-12")
        ladder = dunning.ladder(clerk, owing.id)
    assert ladder.next == "notice" and ladder.steps == [] and len(dunning.history(clerk, owing.id)) == 2


def test_a_dunning_notice_quotes_the_due_day_the_late_fee_rule_and_the_figures(supervisor, admin, clerk, owing):
    estate.update_profile(admin, office_name="幸福里物业服务中心", office_phone="0571-88886666")
    with on(2026, 11, 20):
        [n] = dunning.notices(clerk, "dunning", [owing.id])
    assert n.months == 3 and [x.period for x in n.lines] == ["2026-09", "2026-10", "2026-11"]
    assert all(x.principal == 22375 for x in n.lines)
    # September: due 15 September, 66 days late by 20 November: 223.75 × 0.1 % × 66 = 14.7675 → 14.77
    assert n.lines[0].late_fee == 1477
    assert n.lines[2].late_fee == 112  # November: 5 days, 1.11875 → 1.12
    assert "每月15日前" in n.body and "千分之一" in n.body and "欠缴3个月" in n.body
    assert "0571-88886666" in n.body and "2026年11月27日前" in n.body  # 7 days to pay (the office's rule)
    assert n.signature == "幸福里物业服务中心"
    settings.update({"due_day": 10, "dunning_days_to_pay": 10}, user=admin)
    with on(2026, 11, 20):
        [n2] = dunning.notices(clerk, "dunning", [owing.id])
    assert "每月10日前" in n2.body and "2026年11月30日前" in n2.body


def test_the_wording_settings_refuse_unknown_fields(admin):
    with pytest.raises(ValidationError):
        settings.update({"dunning_letter_text": "请于{when}前缴清"}, user=admin)
    with pytest.raises(ValidationError):
        settings.update({"dunning_payment_text": ""}, user=admin)
    settings.update({"dunning_payment_text": "{house}欠费{total}元"}, user=admin)


def test_notices_print_one_page_a_house_with_capitals(clerk, owing, admin):
    from printing import dunning as paper
    from printing.furniture import Letterhead

    other = estate.create_house(admin, owing.unit_id, number="1202", area="75.00")  # owes nothing
    with on(2026, 11, 20):
        notes = dunning.notices(clerk, "notice", [owing.id, other.id])
    assert [n.house for n in notes] == ["3-2-1201"]
    pdf = paper.render_many(notes * 2, Letterhead("幸福里物业服务中心"))
    import io

    pages = PdfReader(io.BytesIO(pdf)).pages
    assert len(pages) == 2
    text = pages[0].extract_text()
    assert "缴 款 通 知" in text and "3-2-1201" in text and "2026-09" in text and "人民币" in text
    assert "合计" in text and f"{notes[0].total // 100}" in text.replace(",", "")


def test_the_floor_plan_shows_every_house_with_its_months_owed(admin, clerk, owing):
    estate.create_house(admin, owing.unit_id, number="1202", area="75.00")
    estate.create_house(admin, owing.unit_id, number="1101", area="75.00")
    with on(2026, 11, 20):
        cells = {c.label: c for c in arrears.floor_plan(clerk, owing.unit.building_id)}
    assert set(cells) == {"3-2-1201", "3-2-1202", "3-2-1101"}
    assert (cells["3-2-1201"].months, cells["3-2-1201"].owed) == (3, 3 * 22375)
    assert (cells["3-2-1201"].floor, cells["3-2-1201"].position) == (12, "01")
    assert cells["3-2-1202"].months == 0 and cells["3-2-1101"].position == "01"


def test_a_month_not_yet_due_is_owed_but_no_month_behind(admin, supervisor, cashier, clerk, owing):
    """December posted on 1 December is due on the 15th: until then it is owed, listed as
    not yet due, and counts for neither the months behind nor the dunning threshold."""
    later = estate.create_house(admin, owing.unit_id, number="1202", area="89.50")
    fees.subscribe(supervisor, later.id, "service", starts=D(2026, 10, 1))
    with on(2026, 11, 2):  # the months again: only what 1202 lacks is posted, due 15 November
        billing.post(cashier, "2026-10")
        billing.post(cashier, "2026-11")
    with on(2026, 12, 1):
        billing.post(cashier, "2026-12")
    with on(2026, 12, 2):
        rows = {a.label: a for a in arrears.by_house(clerk)}
        assert (rows["3-2-1201"].months, rows["3-2-1201"].owed, rows["3-2-1201"].not_due) == (3, 4 * 22375, 22375)
        assert dunning.ladder(clerk, owing.id).months == 3
        [n] = dunning.notices(clerk, "dunning", [owing.id])
        ids, _promised = dunning.dunning_batch(clerk)
        assert rows["3-2-1202"].months == 2  # October and November behind, December not yet due
    assert n.months == 3 and "欠缴3个月" in n.body
    assert [(x.period, x.not_due) for x in n.lines][-1] == ("2026-12", True) and "未到期" in n.lines[-1].item
    assert n.total == sum(x.principal + x.late_fee for x in n.lines)  # the table still lists all that is owed
    assert "尚未到期" in n.body and "2026年12月15日到期" in n.body
    assert later.id not in ids and owing.id in ids
    with on(2026, 12, 15):  # paying on the due day is on time: still not behind
        assert {a.label: a.months for a in arrears.by_house(clerk)}["3-2-1201"] == 3
    with on(2026, 12, 16):
        assert {a.label: a.months for a in arrears.by_house(clerk)}["3-2-1201"] == 4
        assert dunning.ladder(clerk, owing.id).months == 4
        assert later.id in dunning.dunning_batch(clerk)[0]
