"""The dunning ladder (催缴) of a house that owes: a payment notice (缴款通知) first; if it
stays unpaid, a phone call, logged with its result and any date the owner promised; then
a dunning notice (催缴通知书) quoting the due day and the late-fee rule. Each step is kept
with what the house owed when it was taken. Notices are printed for one house or in a
batch (a building, the whole estate); a batch is recorded when it is printed or saved.

What a notice says is worked out here (NoticeData): the house's open charges by month and
item with the late fee to the day, and the office's wording filled in; printing/dunning.py
draws it."""
from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from fractions import Fraction

import peewee as pw

from models import audit, billing, cashier, clock, estate, money, settings, users
from models.billing import Charge
from models.db import BaseModel, atomic
from models.errors import NotFound, QT_TRANSLATE_NOOP, ValidationError
from models.estate import House
from models.fees import FeeItem
from models.users import User

KINDS = {
    "notice": QT_TRANSLATE_NOOP("Office", "Payment notice"),  # 缴款通知
    "call": QT_TRANSLATE_NOOP("Office", "Phone call"),  # 电话催缴
    "dunning": QT_TRANSLATE_NOOP("Office", "Dunning notice"),  # 催缴通知书
}
CALL_RESULTS = {
    "promised": QT_TRANSLATE_NOOP("Office", "Promised to pay"),  # 承诺缴费
    "reached": QT_TRANSLATE_NOOP("Office", "Reached, no promise"),  # 已接通,未承诺
    "refused": QT_TRANSLATE_NOOP("Office", "Refuses to pay"),  # 拒缴
    "no_answer": QT_TRANSLATE_NOOP("Office", "No answer"),  # 无人接听
    "wrong_number": QT_TRANSLATE_NOOP("Office", "Wrong or dead number"),  # 号码有误
}
NEXT = {
    "": QT_TRANSLATE_NOOP("Office", "Nothing owed"),
    "notice": QT_TRANSLATE_NOOP("Office", "Send a payment notice"),
    "call": QT_TRANSLATE_NOOP("Office", "Call the owner"),
    "wait": QT_TRANSLATE_NOOP("Office", "Wait for the promised date"),
    "dunning": QT_TRANSLATE_NOOP("Office", "Send a dunning notice"),
}


class DunningStep(BaseModel):
    house = pw.ForeignKeyField(House, on_delete="CASCADE", index=True)
    kind = pw.CharField(max_length=16)
    at = pw.DateTimeField()
    by = pw.ForeignKeyField(User, null=True, on_delete="SET NULL")
    result = pw.CharField(max_length=16, default="")
    promised_on = pw.DateField(null=True)
    owed = pw.BigIntegerField(default=0)
    months = pw.IntegerField(default=0)
    note = pw.CharField(max_length=256, default="")

    class Meta:
        table_name = "dunning_step"


@dataclass(frozen=True)
class Ladder:
    """Where a house stands: what it owes, the steps taken since its oldest open charge
    fell due, and the next step."""
    house_id: int
    owed: int  # fen: principal and late fee to the day
    months: int
    oldest_due: datetime.date | None
    steps: list[DunningStep]
    next: str  # a key of NEXT


def _open(house_id: int, on: datetime.date) -> list[cashier.Owed]:
    charges = list(Charge.select(Charge, FeeItem).join(FeeItem)
                   .where(Charge.house == house_id)
                   .order_by(Charge.due_date, Charge.period, FeeItem.sort_order, Charge.id))
    return cashier.owed_lines(charges, on)


def next_step(steps: list[DunningStep], owed: int, today: datetime.date) -> str:
    """The ladder: a payment notice, then a call, then a dunning notice; a promise to pay
    holds the ladder until its date; after a dunning notice, calls again. The month's
    payment notices, sent to every house that owes, never move a house back down."""
    if owed <= 0:
        return ""
    calls = [s for s in steps if s.kind == "call"]
    letters = [s for s in steps if s.kind == "dunning"]
    if not calls and not letters:
        return "notice" if not steps else "call"
    last_call = calls[-1] if calls else None
    if last_call and last_call.result == "promised" and last_call.promised_on and last_call.promised_on >= today:
        return "wait"
    if letters and (last_call is None or _after(letters[-1], last_call)):
        return "call"  # the dunning notice went out: follow it up
    return "dunning"


def _after(a: DunningStep, b: DunningStep) -> bool:
    return (a.at, a.id or 0) > (b.at, b.id or 0)


def ladder(user, house_id: int, on: datetime.date | None = None) -> Ladder:
    users.require(user, "fees.view")
    on = on or clock.today()
    lines = _open(house_id, on)
    owed = sum(o.total for o in lines)
    oldest = min((o.charge.due_date for o in lines), default=None)
    months = _months_behind(lines, on)
    since = {house_id: min(o.charge.posted_at for o in lines)} if lines else {}
    steps = _current_steps([house_id], since).get(house_id, [])
    return Ladder(house_id, owed, months, oldest, steps, next_step(steps, owed, on))


def _month(charge) -> str:
    return charge.period or charge.due_date.strftime("%Y-%m")


def _months_behind(lines: list[cashier.Owed], on: datetime.date) -> int:
    """The months a house is behind on `on`: months with a charge past its due date (a
    charge is due on its due date: paid that day, it is on time). What is posted but not
    yet due is owed, and no month behind."""
    return len({_month(o.charge) for o in lines if billing.past_due(o.charge.due_date, on)})


def _current_steps(house_ids: list[int], since: dict | None = None) -> dict[int, list[DunningStep]]:
    """Each house's steps since its oldest open charge was posted (`since`, else worked
    out from the unpaid principal): steps about debts since paid are history, not the
    present ladder."""
    from models import arrears

    paid = arrears._paid_by_charge().alias("p")
    unpaid = arrears.unpaid_of(paid)
    out: dict[int, list[DunningStep]] = {}
    for start in range(0, len(house_ids), 900):
        chunk = house_ids[start:start + 900]
        if since is None:
            first_open = dict(Charge.select(Charge.house, pw.fn.MIN(Charge.posted_at))
                              .join(paid, pw.JOIN.LEFT_OUTER, on=(paid.c.charge_id == Charge.id))
                              .where(Charge.house.in_(chunk), unpaid > 0).group_by(Charge.house).tuples())
        else:
            first_open = since
        for s in (DunningStep.select().where(DunningStep.house.in_(chunk)).order_by(DunningStep.at, DunningStep.id)):
            first = first_open.get(s.house_id)
            if first is not None and s.at >= _as_datetime(first):
                out.setdefault(s.house_id, []).append(s)
    return out


def _as_datetime(value) -> datetime.datetime:
    if isinstance(value, str):  # SQLite hands back an aggregate's datetime as text
        return datetime.datetime.fromisoformat(value)
    return value


def history(user, house_id: int) -> list[DunningStep]:
    users.require(user, "fees.view")
    return list(DunningStep.select().where(DunningStep.house == house_id)
                .order_by(DunningStep.at.desc(), DunningStep.id.desc()))


def log_call(user, house_id: int, result: str, *, promised_on: datetime.date | None = None,
             note: str = "") -> DunningStep:
    """A dunning call and how it went; a promise needs its date, today or later."""
    users.require(user, "dunning.log")
    house = House.get_or_none(House.id == house_id)
    if house is None:
        raise NotFound(QT_TRANSLATE_NOOP("Office", "This house no longer exists"))
    errors = {}
    if result not in CALL_RESULTS:
        errors["result"] = (QT_TRANSLATE_NOOP("Office", "Choose how the call went"), {})
    today = clock.today()
    if result == "promised":
        if promised_on is None:
            errors["promised_on"] = (QT_TRANSLATE_NOOP("Office", "Enter the date the owner promised to pay"), {})
        elif promised_on < today:
            errors["promised_on"] = (QT_TRANSLATE_NOOP("Office", "The promised date cannot be in the past"), {})
    elif promised_on is not None:
        promised_on = None  # a date only goes with a promise
    if len(note.strip()) > 256:
        errors["note"] = (QT_TRANSLATE_NOOP("Office", "At most {n} characters"), {"n": 256})
    if errors:
        raise ValidationError(errors)
    state = ladder(user, house_id)
    with atomic():
        step = DunningStep.create(house=house, kind="call", at=clock.now(), by=user.id, result=result,
                                  promised_on=promised_on, owed=state.owed, months=state.months, note=note.strip())
        audit.record(user, "dunning.call", "house", house.id, house.label,
                     {"result": result, "promised_on": promised_on, "owed": state.owed})
    return step


# --- notices ---------------------------------------------------------------------------

@dataclass(frozen=True)
class NoticeLine:
    period: str
    item: str
    principal: int
    late_fee: int
    not_due: bool = False  # posted, its due date not passed: owed, not behind


@dataclass(frozen=True)
class NoticeData:
    """One printed notice (缴款通知 or 催缴通知书) for one house."""
    kind: str  # notice / dunning
    house_id: int
    house: str
    owner: str
    title: str
    greeting: str
    body: str
    lines: tuple[NoticeLine, ...]
    principal: int
    late_fee: int
    months: int  # months behind: with a charge past its due date
    date: datetime.date
    signature: str
    extra: dict = field(default_factory=dict, compare=False, hash=False)

    @property
    def total(self) -> int:
        return self.principal + self.late_fee


def rate_text(rate: Fraction) -> str:
    """0.001 a day → 千分之一 (0.1%), as contracts write it."""
    percent = rate * 100
    text = f"{float(percent):g}%"
    if rate.numerator == 1:
        words = {1000: "千分之一", 10000: "万分之一", 100: "百分之一"}
        if rate.denominator in words:
            return f"{words[rate.denominator]}（{text}）"
    if rate.denominator == 10000:
        return f"万分之{rate.numerator}（{text}）"
    return text


def dunning_batch(user, building_id: int | None = None) -> tuple[list[int], int]:
    """The houses a batch of dunning notices goes to: those owing the office's number of
    months or more, less those still inside a date they promised to pay. Returns (houses,
    how many were left out for a promise)."""
    from models import arrears

    months = settings.office.dunning_months
    behind = [a for a in arrears.by_house(user, building_id=building_id) if a.months >= months]
    steps = next_steps(user, [a.house_id for a in behind], {a.house_id: a.owed for a in behind})
    ids = [a.house_id for a in behind if steps[a.house_id] != "wait"]
    return ids, len(behind) - len(ids)


def notices(user, kind: str, house_ids: list[int], on: datetime.date | None = None) -> list[NoticeData]:
    """What each house's notice says on `on` (default today); houses that owe nothing get
    none."""
    users.require(user, "fees.view")
    if kind not in ("notice", "dunning"):
        raise ValueError(kind)
    on = on or clock.today()
    values = settings.all_values()
    profile = estate.profile()
    office = profile.office_name or (profile.name + "物业服务中心" if profile.name else "物业服务中心")
    deadline = on + datetime.timedelta(days=values["dunning_days_to_pay"])
    rate = values["late_fee_rate_per_day"]
    template = values["dunning_payment_text" if kind == "notice" else "dunning_letter_text"]
    title = "缴 款 通 知" if kind == "notice" else "催 缴 通 知 书"
    houses = {h.id: h for h in House.select().where(House.id.in_(house_ids))} if house_ids else {}
    out = []
    for house_id in house_ids:
        house = houses.get(house_id)
        if house is None:
            continue
        lines = [o for o in _open(house_id, on)]
        if not lines:
            continue
        # a charge not yet due is listed with what is owed, marked so (DOMAIN: due on its due date)
        printed = tuple(NoticeLine(_month(o.charge), o.charge.item.name + ("" if billing.past_due(o.charge.due_date, on)
                                                                           else "（未到期）"),
                                   o.principal, o.late_fee, not billing.past_due(o.charge.due_date, on))
                        for o in lines)
        principal = sum(x.principal for x in printed)
        late = sum(x.late_fee for x in printed)
        months = _months_behind(lines, on)
        not_due = [o for o in lines if not billing.past_due(o.charge.due_date, on)]
        overdue = principal + late - sum(o.total for o in not_due)
        owner = (house.owner_names.split("、")[0] if house.owner_names else "") or "业主"
        body = template.format(
            house=house.label, owner=owner, date=f"{on.year}年{on.month}月{on.day}日",
            # a dunning letter's sum is what is behind; a payment notice's, all that is owed
            total=money.fmt(overdue if kind == "dunning" else principal + late, grouping=True),
            late_fee=money.fmt(late, grouping=True), months=months,
            due_day=values["due_day"], rate=rate_text(rate),
            deadline=f"{deadline.year}年{deadline.month}月{deadline.day}日", phone=profile.office_phone or "")
        if not_due and kind == "dunning":
            first = min(o.charge.due_date for o in not_due)
            body += (f"另有{money.fmt(sum(o.total for o in not_due), grouping=True)}元尚未到期"
                     f"（{first.year}年{first.month}月{first.day}日到期），一并列于下表。")
        out.append(NoticeData(kind, house_id, house.label, house.owner_names, title,
                              f"{house.label} {owner}{'' if owner == '业主' else ' 业主'}：", body, printed, principal,
                              late, months, on, office))
    return out


def record_sent(user, kind: str, sent: list[NoticeData], how: str) -> int:
    """The notices were printed or saved (`how`): one ladder step per house, one audit
    entry for the batch."""
    users.require(user, "dunning.log")
    if kind not in ("notice", "dunning"):
        raise ValueError(kind)
    if not sent:
        return 0
    now = clock.now()
    with atomic():
        rows = [dict(house=n.house_id, kind=kind, at=now, by=user.id, result="", promised_on=None, owed=n.total,
                     months=n.months, note=how[:256]) for n in sent]
        for start in range(0, len(rows), 500):
            DunningStep.insert_many(rows[start:start + 500]).execute()
        audit.record(user, "dunning.notice" if kind == "notice" else "dunning.letter", "house",
                     sent[0].house_id if len(sent) == 1 else None,
                     sent[0].house if len(sent) == 1 else f"× {len(sent)}",
                     {"houses": len(sent), "total": sum(n.total for n in sent), "how": how})
    return len(sent)


def next_steps(user, house_ids: list[int], owed: dict[int, int]) -> dict[int, str]:
    """The next step of each house (for the arrears list), given what each owes."""
    users.require(user, "fees.view")
    today = clock.today()
    steps = _current_steps(house_ids)
    return {h: next_step(steps.get(h, []), owed.get(h, 0), today) for h in house_ids}
