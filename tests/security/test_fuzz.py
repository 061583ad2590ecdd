"""Hostile input at every core entry point that takes money, dates, text or files (issue 16):
whatever arrives (a huge or negative amount, True for one fen, the year 1 or 9999, text
with control characters, emoji and right-to-left marks, a tracking number of 3,000
characters, random bytes or a truncated workbook as a file), the core either does it or
refuses it with an OfficeError in the clerk's words, never another Python error, and a
refusal writes nothing (every table but the audit log's as it was).

One office per test function (hypothesis runs its examples in it, derandomized, so a run
is the same every time); the office's fingerprint is taken around each example."""
from __future__ import annotations

import datetime
import hashlib
import io
import json
import zipfile

import pytest
from hypothesis import HealthCheck, given, settings as hsettings, strategies as st

from models import (announcements, audit, backup, cashier, clock, complaints, db, estate, fees, handbook, importing,
                    keys, lending, meters, owners, parcels, repairs, search, settings, users, visits)
from models.cashier import Pick
from models.errors import OfficeError
from models.keys import Borrower
from models.meters import Entry
from tests.conftest import _user

D = datetime.date
T = datetime.datetime
NOW = T(2026, 11, 23, 10, 0)
GOOD_ID = "11010519491231002X"
AUDIT_TABLES = {audit.AuditEntry._meta.table_name, audit.ChainHead._meta.table_name}

fuzz = hsettings(max_examples=40, deadline=None, derandomize=True, database=None,
                 suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                        HealthCheck.data_too_large])

# --- what arrives ------------------------------------------------------------------------------

NASTY = ["", " ", "\t\n", "\x00", "\x00abc", "\x1b[31m", "\u202e1201\u202c", "\u200f张三\u200e", "\ufeff3-2-1201",
         "😀🏠", "👨‍👩‍👧‍👦", "Z̤͔ͧ̑̓ä͖̭̈̇lͮ̒ͫǧ̗͚̚o̙̔ͮ̇͐̇", "' OR 1=1 --", "%s%s%n", "{reason}{0}", "\\", "<b>x</b>",
         "１２０１", "١٢٠١", "3-2-1201", "13900001111", "+86 139 0001 1111", "ＳＦ１２３４", "\ud7ff", "\uffff",
         "a" * 300, "长" * 3000, "\n" * 500, "1e308", "NaN", "-0", "0x10", "12.505", "9" * 40]
text = st.one_of(st.sampled_from(NASTY), st.text(max_size=60),
                 st.text(alphabet=st.characters(codec="utf-8"), min_size=200, max_size=2_000))
short_text = st.one_of(st.sampled_from(NASTY[:24]), st.text(max_size=24))
fen = st.one_of(st.integers(min_value=-10 ** 6, max_value=10 ** 6), st.integers(), st.booleans(), st.none(),
                st.sampled_from([0, 1, -1, 10 ** 14 - 1, 10 ** 14, 2 ** 63, -2 ** 63 - 1, 10 ** 40]),
                st.floats(allow_nan=True), st.text(max_size=8))
dates = st.one_of(st.dates(), st.sampled_from([D(1, 1, 1), D(9999, 12, 31), D(1970, 1, 1), NOW.date()]))
moments = st.one_of(st.datetimes(), st.sampled_from([T(1, 1, 1), T(9999, 12, 31, 23, 59), NOW]))
ids = st.one_of(st.integers(min_value=-3, max_value=50), st.sampled_from([0, 2 ** 31, 2 ** 63 - 1, -2 ** 63]))


# --- the office ----------------------------------------------------------------------------------

class Office(dict):
    def __getattr__(self, name):
        try:
            return self[name]
        except KeyError:
            raise AttributeError(name) from None


@pytest.fixture
def office(database, tmp_path):
    """3-2-1201 (its owner 张三, a tenant, on the service fee and water, the 2026-11 bill
    posted, a 3,000-yuan deposit held) and 3-2-1202; a key, a lent item, the handbook; the
    four roles' users; the clock at NOW."""
    o = Office(tmp=tmp_path)
    o.update(admin=_user("admin", ["admin"]), clerk=_user("wang", ["clerk"]), cashier=_user("li", ["cashier"]),
             supervisor=_user("zhao", ["supervisor"]))
    admin, sup, clerk, li = o.admin, o.supervisor, o.clerk, o.cashier
    with clock.frozen(T(2026, 10, 20, 9)):
        o.building = estate.create_building(admin, "3")
        o.unit = estate.create_unit(admin, o.building.id, "2")
        o.house = estate.create_house(admin, o.unit.id, number="1201", area="89.50", state="owner_occupied",
                                      handover_date=D(2025, 1, 1))
        o.house2 = estate.create_house(admin, o.unit.id, number="1202", area="80", state="owner_occupied",
                                       handover_date=D(2025, 1, 1))
        o.owner = owners.add_owner(sup, o.house.id, name="张三", phone="13900001111", id_number=GOOD_ID)
        o.tenant = owners.add_resident(sup, o.house.id, kind="tenant", name="乐嘉", phone="13700004321")
        fees.update_item(sup, "service", unit_price="2.5000")
        fees.update_item(sup, "water", unit_price="5.0000")
        fees.subscribe(sup, o.house.id, "service", starts=D(2026, 1, 1))
        o.water = fees.subscribe(sup, o.house.id, "water", starts=D(2026, 1, 1))
        fees.subscribe(sup, o.house.id, "shared", starts=D(2026, 1, 1))
        cashier.take_payment(li, o.house.id, [], "wechat", deposit=300_000)
    with clock.frozen(T(2026, 11, 1, 9)):
        from models import billing

        billing.post(li, "2026-11")
    clock.set_now(NOW)
    [o.charge] = [line.charge for line in cashier.owed(li, o.house.id) if line.charge.item.code == "service"]
    o.key = keys.add_key(clerk, tag="K-12", name="3-2-1201 大门", kind="house", house_id=o.house.id, copies=99)
    o.item = lending.add_item(clerk, tag="T-01", name="人字梯")
    o.technician = repairs.save_technician(sup, name="刘师傅")
    yield o
    clock.set_now(None)


def fingerprint() -> str:
    """Every row of every table but the audit log's (row counts, highest ids and content)."""
    digest = hashlib.sha256()
    for table in sorted(set(db.database.get_tables()) - AUDIT_TABLES):
        rows = db.database.execute_sql(f'SELECT * FROM "{table}"').fetchall()
        digest.update(json.dumps([table, len(rows), sorted(map(repr, rows))], ensure_ascii=False).encode("utf-8"))
    return digest.hexdigest()


def attempt(action):
    """Do `action`: success, or an OfficeError that wrote nothing. Anything else is raised
    (hypothesis shows the input)."""
    before = fingerprint()
    try:
        return action()
    except OfficeError:
        after = fingerprint()
        assert after == before, "refused, yet the office's tables changed"
        return None


@st.composite
def vary(draw, good: dict, hostile: dict):
    """Arguments that work (`good`), with up to two of them replaced by hostile ones: a
    refusal for one field at a time reaches each check, and the good path runs too."""
    names = draw(st.lists(st.sampled_from(sorted(hostile)), max_size=2, unique=True))
    return {**good, **{n: draw(hostile[n]) for n in names}}


def each_of(*names):
    return st.one_of(st.sampled_from(names), short_text)


# --- the archive -------------------------------------------------------------------------------

_n = iter(range(1301, 10 ** 6))


@fuzz
@given(args=vary(dict(number="1501", area="90", floor=None, state="owner_occupied", handover_date=D(2025, 1, 1)),
                 dict(number=short_text, area=st.one_of(short_text, fen), floor=st.one_of(st.none(), st.integers()),
                      state=each_of(*estate.STATES), handover_date=st.one_of(st.none(), dates))))
def test_a_house_is_created_or_refused(office, args):
    args = {**args, "number": str(next(_n))} if args["number"] == "1501" else args
    attempt(lambda: estate.create_house(office.admin, office.unit.id, **args))


@fuzz
@given(args=vary(dict(area="89.50", household_notes="业主在外地", state="rented", handover_date=D(2025, 1, 1)),
                 dict(area=st.one_of(short_text, fen), household_notes=text, state=each_of(*estate.STATES),
                      handover_date=st.one_of(st.none(), dates))))
def test_a_house_is_changed_or_refused(office, args):
    attempt(lambda: estate.update_house(office.admin, office.house.id, **args))


@fuzz
@given(args=vary(dict(name="李四", phone="13900002222", id_number="110105198001010016", since=D(2026, 1, 1)),
                 dict(name=text, phone=short_text, id_number=short_text, since=st.one_of(st.none(), dates))))
def test_an_owner_is_added_or_refused(office, args):
    attempt(lambda: owners.add_owner(office.supervisor, office.house2.id, **args))


@fuzz
@given(args=vary(dict(name="张三", phone="13900001111", id_number=GOOD_ID, occupation="医生"),
                 dict(name=text, phone=short_text, id_number=short_text, occupation=text)))
def test_an_owner_is_changed_or_refused(office, args):
    attempt(lambda: owners.update_owner(office.supervisor, office.owner.id, **args))


@fuzz
@given(args=vary(dict(kind="tenant", name="张飞", phone="13700001234", moved_in=D(2026, 3, 1), age=30),
                 dict(kind=each_of("tenant", "family"), name=text, phone=short_text,
                      moved_in=st.one_of(st.none(), dates), age=st.one_of(st.integers(), short_text))))
def test_a_resident_is_added_or_refused(office, args):
    attempt(lambda: owners.add_resident(office.supervisor, office.house.id, **args))


@fuzz
@given(query=text, limit=st.integers(min_value=-5, max_value=10 ** 6))
def test_the_search_box_takes_anything(office, query, limit):
    attempt(lambda: search.search(office.clerk, query, limit))
    attempt(lambda: owners.find_owners(office.clerk, query))
    attempt(lambda: parcels.waiting(office.clerk, text=query))
    attempt(lambda: handbook.contacts(office.clerk, query))


# --- the front desk ------------------------------------------------------------------------------

_tracking = iter(range(10 ** 11, 10 ** 12))


@fuzz
@given(args=vary(dict(tracking="SF", phone="13900001111", recipient="张三", shelf="A3", courier="顺丰", note=""),
                 dict(tracking=text, phone=short_text, recipient=text, shelf=short_text, courier=short_text,
                      note=text)))
def test_a_parcel_is_taken_in_or_refused(office, args):
    if args["tracking"] == "SF":
        args["tracking"] = f"SF{next(_tracking)}"
    attempt(lambda: parcels.receive(office.clerk, house_id=office.house.id, safe=True, **args))
    attempt(lambda: parcels.refuse(office.clerk, tracking=args["tracking"], reason=args["note"] or "易碎",
                                   courier=args["courier"], recipient=args["recipient"]))


@fuzz
@given(args=vary(dict(kind="delegate", name="王师傅", phone="13900003333", id_number=GOOD_ID,
                      confirmed_at=NOW - datetime.timedelta(hours=1), purpose="装修"),
                 dict(kind=each_of("owner", "delegate", "staff", "tenant"), name=text, phone=short_text,
                      id_number=st.one_of(short_text, st.sampled_from([GOOD_ID.lower(), " 11010519491231002x ",
                                                                      "A1234567", "110105194912310021"])),
                      confirmed_at=st.one_of(st.none(), moments), purpose=text)))
def test_a_key_is_lent_or_refused(office, args):
    borrower = Borrower(letter_received=True, confirmed_how="phone", **args)
    loan = attempt(lambda: keys.lend(office.clerk, office.key.id, borrower))
    if loan is not None:
        attempt(lambda: keys.give_back(office.clerk, loan.id, returned_by=args["name"]))
    attempt(lambda: keys.authorise(office.clerk, office.house.id, name=args["name"], id_number=args["id_number"],
                                   letter_received=True, confirmed_how="phone", confirmed_at=args["confirmed_at"]))


@fuzz
@given(args=vary(dict(borrower="张三", condition="完好", phone="13900001111", signature=None),
                 dict(borrower=text, condition=text, phone=short_text,
                      signature=st.one_of(st.none(), st.binary(max_size=2_000)))))
def test_an_item_is_lent_or_refused(office, args):
    loan = attempt(lambda: lending.lend(office.clerk, office.item.id, **args))
    if loan is not None:
        attempt(lambda: lending.take_back(office.clerk, loan.id, condition=args["condition"],
                                          signature=args["signature"]))


@fuzz
@given(args=vary(dict(reporter="张三", what="厨房水管漏水", category="water", phone="13900001111", place="厨房",
                      urgency="normal"),
                 dict(reporter=text, what=text, category=each_of(*repairs.CATEGORIES), phone=short_text, place=text,
                      urgency=each_of("normal", "urgent"))),
       appointment=st.one_of(st.just(NOW + datetime.timedelta(hours=2)), moments),
       labour=st.one_of(st.just(30), st.integers()), materials=text)
def test_a_repair_is_taken_in_or_refused(office, args, appointment, labour, materials):
    repair = attempt(lambda: repairs.report(office.clerk, house_id=office.house.id, **args))
    if repair is not None:
        attempt(lambda: repairs.dispatch(office.clerk, repair.id, office.technician.id, appointment))
        with clock.frozen(NOW + datetime.timedelta(hours=3)):
            attempt(lambda: repairs.complete(office.clerk, repair.id, materials=materials, labour_minutes=labour))


@fuzz
@given(args=vary(dict(name="张三", what="楼上装修噪音", phone="13900001111", happened_at=NOW - datetime.timedelta(hours=2),
                      asks="停止夜间施工", asked_by=None),
                 dict(name=text, what=text, phone=short_text, happened_at=st.one_of(st.none(), moments), asks=text,
                      asked_by=st.one_of(st.none(), moments))),
       result=st.one_of(st.just("已处理"), text))
def test_a_complaint_is_recorded_or_refused(office, args, result):
    c = attempt(lambda: complaints.record(office.clerk, house_id=office.house.id, **args))
    if c is not None:
        attempt(lambda: complaints.answer(office.clerk, c.id, result))
        attempt(lambda: complaints.close(office.clerk, c.id, result))


@fuzz
@given(args=vary(dict(opinion="满意", follow_up="", at=None), dict(opinion=text, follow_up=text,
                                                                  at=st.one_of(st.none(), moments))),
       answer=st.one_of(st.integers(), st.booleans(), text))
def test_a_visit_and_survey_answers_are_recorded_or_refused(office, args, answer):
    attempt(lambda: visits.record(office.clerk, office.house.id, problem="none", **args))
    survey = office.get("survey") or office.setdefault("survey", visits.set_survey(
        office.supervisor, 2026, "意见征询", [("满意度", "score"), ("是否续约", "yes_no"), ("建议", "text")]))
    questions = list(visits.SurveyQuestion.select().where(visits.SurveyQuestion.survey == survey.id))
    attempt(lambda: visits.enter_answers(office.clerk, survey.id, office.house.id, {q.id: answer for q in questions}))


@fuzz
@given(args=vary(dict(kind="water", reason="二次供水水箱清洗", buildings="3栋", starts=NOW + datetime.timedelta(days=1),
                      ends=NOW + datetime.timedelta(days=1, hours=6), phone="0755-88886666", title=""),
                 dict(kind=each_of(*announcements.KINDS), reason=text, buildings=text,
                      starts=st.one_of(st.none(), moments), ends=st.one_of(st.none(), moments), phone=short_text,
                      title=text)))
def test_an_announcement_is_drafted_or_refused(office, args):
    a = attempt(lambda: announcements.draft(office.clerk, **args))
    if a is not None:
        attempt(lambda: announcements.record(office.clerk, a))


@fuzz
@given(args=vary(dict(name="更换水龙头", price="20", unit="个"),
                 dict(name=text, price=st.one_of(short_text, st.sampled_from(["-5", "1e9", "0.001", "９９", "1,000"])),
                      unit=short_text)),
       phone=st.one_of(st.just("96116"), short_text))
def test_the_handbook_takes_prices_and_contacts_or_refuses_them(office, args, phone):
    attempt(lambda: handbook.save_price(office.supervisor, **args))
    attempt(lambda: handbook.save_contact(office.supervisor, category="water", name=args["name"], phone=phone))


# --- money ---------------------------------------------------------------------------------------

@fuzz
@given(unit_price=st.one_of(short_text, fen, st.sampled_from(["2.5", "-1", "0.00001", "1e3", "9" * 20, "2.6000"])),
       name=st.one_of(st.just("垃圾费"), short_text))
def test_a_fee_item_price_is_changed_or_refused(office, unit_price, name):
    attempt(lambda: fees.update_item(office.supervisor, "service", unit_price=unit_price))
    attempt(lambda: fees.update_item(office.supervisor, "waste", name=name))


@fuzz
@given(args=vary(dict(code="parking", quantity=1, unit_price=None, starts=D(2026, 12, 1), ends=None, note=""),
                 dict(code=each_of("service", "waste", "water", "parking", "repair"), quantity=fen, unit_price=fen,
                      starts=st.one_of(st.none(), dates), ends=st.one_of(st.none(), dates), note=text)))
def test_a_subscription_is_made_or_refused(office, args):
    attempt(lambda: fees.subscribe(office.supervisor, office.house2.id, **args))


@fuzz
@given(entry=vary(dict(reading=12, status="normal", old_final=None, new_start=None),
                  dict(reading=fen, status=each_of(*sorted(meters.STATUSES)), old_final=fen, new_start=fen)),
       period=st.one_of(st.just("2026-11"), st.sampled_from(["2026-13", "0000-01", "9999-12", "11月"]), short_text),
       read_on=st.one_of(st.none(), dates), total=st.one_of(st.just(10_000), fen),
       meter=vary(dict(serial="W-0001", digits=5, initial=0), dict(serial=short_text, digits=fen, initial=fen)))
def test_meter_readings_and_shared_totals_are_saved_or_refused(office, entry, period, read_on, total, meter):
    attempt(lambda: meters.set_meter(office.supervisor, office.water.id, **meter))
    attempt(lambda: meters.save(office.cashier, period, [Entry(office.water.id, **entry)], read_on=read_on))
    attempt(lambda: meters.set_share(office.supervisor, "shared", period, total, building_id=office.building.id))


@fuzz
@given(args=vary(dict(tendered=2_000, prepay=0, deposit=0, method="cash", business_date=None, payer="张三", note=""),
                 dict(tendered=fen, prepay=fen, deposit=fen, method=each_of(*cashier.METHODS),
                      business_date=st.one_of(st.none(), dates), payer=text, note=text)),
       amount=st.one_of(st.just(1_000), fen))
def test_a_payment_is_taken_or_refused(office, args, amount):
    attempt(lambda: cashier.take_payment(office.cashier, office.house.id, [Pick(office.charge.id, amount)], **args))


@fuzz
@given(amount=st.one_of(st.just(1_000), fen), kind=each_of("deposit", "prepay"),
       method=st.one_of(st.just("cash"), each_of(*cashier.METHODS)), reason=st.one_of(st.just("装修完毕"), text),
       waive=st.one_of(st.just(None), fen), counted=st.one_of(st.just(0), fen))
def test_a_refund_waiver_and_day_close_are_done_or_refused(office, amount, kind, method, reason, waive, counted):
    approval = users.approve("zhao", "secret1", "cash.approve")
    attempt(lambda: cashier.refund(office.cashier, office.house.id, kind, amount, approval, method=method,
                                   item_code="renovation_deposit" if kind == "deposit" else None, reason=reason))
    approval = users.approve("zhao", "secret1", "cash.approve")
    attempt(lambda: cashier.waive(office.cashier, office.charge.id, waive, reason, approver=approval))
    attempt(lambda: cashier.close_day(office.cashier, counted, reason))
    attempt(lambda: cashier.reopen_day(office.supervisor, office.cashier.id, NOW.date(), reason))


SETTING_VALUES = st.one_of(st.integers(), st.booleans(), st.none(), short_text, st.floats(),
                           st.lists(short_text, max_size=3), st.lists(dates.map(str), max_size=3), fen)


@fuzz
@given(key=st.sampled_from(sorted(settings.SETTINGS)), value=SETTING_VALUES)
def test_an_office_setting_is_changed_or_refused(office, key, value):
    attempt(lambda: settings.update({key: value}, user=office.admin))
    assert set(settings.all_values()) == set(settings.SETTINGS)  # every setting still reads


# --- files -------------------------------------------------------------------------------------

def _workbook_bytes() -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    book.active.append(["房号", "建筑面积", "业主姓名", "联系电话"])
    for n in range(20):
        book.active.append([f"3-2-{1301 + n}", 90, "张三", "13900001111"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


WORKBOOK = _workbook_bytes()


def _hostile_workbooks():
    cut = st.integers(min_value=0, max_value=len(WORKBOOK)).map(lambda n: WORKBOOK[:n])
    flipped = st.tuples(st.integers(min_value=0, max_value=len(WORKBOOK) - 1), st.integers(1, 255)).map(
        lambda p: WORKBOOK[:p[0]] + bytes([WORKBOOK[p[0]] ^ p[1]]) + WORKBOOK[p[0] + 1:])
    return st.one_of(cut, flipped, st.binary(max_size=4_000))


def _zip_of(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for name, data in members.items():
            z.writestr(name, data)
    return out.getvalue()


gbk_rows = st.lists(st.lists(st.one_of(st.sampled_from(["房号", "建筑面积", "业主", "3-2-1301", "张三", "90", "，", '"']),
                                       st.text(max_size=12)), min_size=1, max_size=6), max_size=12)


@fuzz
@given(data=st.one_of(_hostile_workbooks(), gbk_rows.map(
    lambda rows: "\n".join(",".join(r) for r in rows).encode("gbk", errors="replace"))),
       suffix=st.sampled_from([".xlsx", ".csv", ".xls", ".ods", ".txt", ".html"]),
       kind=st.sampled_from(["houses", "residents", "balances"]))
def test_a_workbook_is_read_and_checked_or_refused(office, data, suffix, kind):
    path = office.tmp / f"upload{suffix}"
    path.write_bytes(data)
    sheet = attempt(lambda: importing.read(path))
    if sheet is not None:
        mapping = importing.guess(kind, sheet.headers)
        attempt(lambda: importing.run(office.supervisor, kind, sheet, mapping, source=str(path)))


@fuzz
@given(data=st.one_of(st.binary(max_size=4_000), st.builds(_zip_of, st.dictionaries(
    st.sampled_from(["manifest.json", "estatedesk.sqlite", "office.sqlite", "scans/a.pdf", "../evil"]),
    st.one_of(st.binary(max_size=500), st.sampled_from([b"{}", b'{"format": 1}', b"SQLite format 3\x00"])),
    max_size=4))), password=st.one_of(st.none(), short_text))
def test_a_backup_file_of_random_bytes_is_refused(office, data, password):
    path = office.tmp / "nightly.zip"
    path.write_bytes(data)
    before = fingerprint()
    with pytest.raises(OfficeError):
        backup.verify(path, password)
    assert fingerprint() == before
