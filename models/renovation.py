"""Renovation cases (装修): one case per renovation of a house, from the application to the
deposit's refund (DOMAIN.md, "Renovation"; issue 20).

The steps, in order:
- the application: the owner, the contractor and its licence, the workers with their ID
  numbers, the scope and its risky parts, the planned dates;
- approvals: the desk, the engineering side, the supervisor (by password); any may refuse;
- the agreement (装修管理协议) and the fire-safety pledge (防火责任书) printed and signed;
- the deposit (装修保证金, held, not income) and the debris fee taken at the counter, on one
  receipt, in the receipt's own transaction (`money_taken`);
- the permit (装修许可证) for the door and the workers' passes, which expire with it;
- during the works: inspections (debris taken away daily, seed 003; works outside the
  permitted hours), rectification notices (整改通知单) with a deadline, followed until
  checked; waterproofing tests (闭水/打压) of a set number of hours (office setting,
  default 48 h): read before its time is refused, a failed test must be done again;
- the final inspection, refused while a rectification is open or a test is missing, failed
  or still running;
- the refund of the deposit less deductions with their reasons, approved by a supervisor, on
  a refund document in the receipt series (models.cashier.refund).

What is due (a rectification's deadline, a test to read, works past their planned end)
reaches 今日 through models.due_now."""
from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

import peewee as pw

from models import audit, cashier, clock, documents, money, numbering, settings, users, validation
from models.db import BaseModel, atomic
from models.errors import Label, NotFound, OfficeError, QT_TRANSLATE_NOOP, ValidationError
from models.estate import House
from models.users import User

RISKS = {
    "walls": QT_TRANSLATE_NOOP("Office", "Walls"),  # 墙体
    "waterproofing": QT_TRANSLATE_NOOP("Office", "Waterproofing"),  # 防水
    "gas": QT_TRANSLATE_NOOP("Office", "Gas"),  # 燃气
    "electrics": QT_TRANSLATE_NOOP("Office", "Electrics"),  # 电路
}

STATES = {
    "applied": QT_TRANSLATE_NOOP("Office", "Applied"),  # 已申请
    "approved": QT_TRANSLATE_NOOP("Office", "Approved"),  # 已审批
    "working": QT_TRANSLATE_NOOP("Office", "Works going on"),  # 施工中
    "finished": QT_TRANSLATE_NOOP("Office", "Accepted"),  # 已验收
    "refunded": QT_TRANSLATE_NOOP("Office", "Deposit refunded"),  # 已退保证金
    "refused": QT_TRANSLATE_NOOP("Office", "Not approved"),  # 未批准
}
OPEN_STATES = ("applied", "approved", "working", "finished")

APPROVALS = {
    "desk": QT_TRANSLATE_NOOP("Office", "Service desk"),  # 客服中心
    "engineering": QT_TRANSLATE_NOOP("Office", "Engineering"),  # 工程部
    "supervisor": QT_TRANSLATE_NOOP("Office", "Supervisor"),  # 主管
}

TESTS = {
    "closed_water": QT_TRANSLATE_NOOP("Office", "Closed-water test"),  # 闭水试验
    "pressure": QT_TRANSLATE_NOOP("Office", "Pressure test"),  # 打压试验
}

STEPS = {  # what the case waits for, as its next step
    "desk": QT_TRANSLATE_NOOP("Office", "Approve at the service desk"),
    "engineering": QT_TRANSLATE_NOOP("Office", "Engineering's approval"),
    "supervisor": QT_TRANSLATE_NOOP("Office", "Supervisor's approval"),
    "sign": QT_TRANSLATE_NOOP("Office", "Agreement and fire pledge signed"),
    "money": QT_TRANSLATE_NOOP("Office", "Take the deposit and debris fee"),
    "permit": QT_TRANSLATE_NOOP("Office", "Issue the permit"),
    "rectify": QT_TRANSLATE_NOOP("Office", "Check the rectification"),
    "test": QT_TRANSLATE_NOOP("Office", "Read the waterproofing test"),
    "final": QT_TRANSLATE_NOOP("Office", "Final inspection"),
    "refund": QT_TRANSLATE_NOOP("Office", "Refund the deposit"),
}

MAX_WORKERS = 50
MAX_DAYS = 366  # planned works of more than a year are a typing error
MAX_RECTIFY_DAYS = 60


class Renovation(BaseModel):
    year = pw.IntegerField()
    number = pw.IntegerField()
    house = pw.ForeignKeyField(House, on_delete="RESTRICT", index=True)
    applicant = pw.CharField(max_length=64)
    phone = pw.CharField(max_length=32, default="")
    contractor = pw.CharField(max_length=64)
    licence = pw.CharField(max_length=64, default="")
    contractor_phone = pw.CharField(max_length=32, default="")
    scope = pw.TextField()
    risks = pw.CharField(max_length=64, default="")  # keys of RISKS, comma-separated
    planned_start = pw.DateField()
    planned_end = pw.DateField()
    state = pw.CharField(max_length=16, default="applied", index=True)
    applied_at = pw.DateTimeField()
    applied_by = pw.ForeignKeyField(User, null=True, on_delete="SET NULL", backref="+")
    desk_at = pw.DateTimeField(null=True)
    desk_by = pw.ForeignKeyField(User, null=True, on_delete="SET NULL", backref="+")
    engineering_at = pw.DateTimeField(null=True)
    engineering_name = pw.CharField(max_length=64, default="")  # the engineer who signed the form
    engineering_note = pw.CharField(max_length=256, default="")
    supervisor_at = pw.DateTimeField(null=True)
    supervisor_by = pw.ForeignKeyField(User, null=True, on_delete="SET NULL", backref="+")
    refused_reason = pw.CharField(max_length=256, default="")
    signed_at = pw.DateTimeField(null=True)
    signed_by = pw.ForeignKeyField(User, null=True, on_delete="SET NULL", backref="+")
    receipt = pw.ForeignKeyField(cashier.Receipt, null=True, on_delete="RESTRICT", backref="+")
    deposit = pw.BigIntegerField(default=0)  # fen held for this case
    debris_fee = pw.BigIntegerField(default=0)
    permit_at = pw.DateTimeField(null=True)
    permit_by = pw.ForeignKeyField(User, null=True, on_delete="SET NULL", backref="+")
    state_before = pw.CharField(max_length=16, default="")  # the house's state before the works
    final_at = pw.DateTimeField(null=True)
    final_by = pw.ForeignKeyField(User, null=True, on_delete="SET NULL", backref="+")
    final_note = pw.TextField(default="")
    refund = pw.ForeignKeyField(cashier.Receipt, null=True, on_delete="RESTRICT", backref="+")
    closed_at = pw.DateTimeField(null=True)

    class Meta:
        table_name = "renovation"
        indexes = ((("year", "number"), True),)

    @property
    def number_text(self) -> str:
        return f"ZX{self.year}-{self.number:04d}"

    @property
    def risk_list(self) -> list[str]:
        return [r for r in self.risks.split(",") if r]


class Worker(BaseModel):
    renovation = pw.ForeignKeyField(Renovation, backref="workers", on_delete="CASCADE", index=True)
    seq = pw.IntegerField()
    name = pw.CharField(max_length=32)
    id_number = pw.CharField(max_length=32)
    phone = pw.CharField(max_length=32, default="")
    trade = pw.CharField(max_length=32, default="")

    class Meta:
        table_name = "renovation_worker"

    def pass_number(self, case: Renovation) -> str:
        return f"{case.number_text}-{self.seq:02d}"


class Inspection(BaseModel):
    renovation = pw.ForeignKeyField(Renovation, backref="inspections", on_delete="CASCADE", index=True)
    at = pw.DateTimeField()
    by = pw.ForeignKeyField(User, null=True, on_delete="SET NULL", backref="+")
    final = pw.BooleanField(default=False)
    findings = pw.TextField(default="")
    debris_ok = pw.BooleanField(default=True)
    after_hours = pw.BooleanField(default=False)
    passed = pw.BooleanField(default=True)

    class Meta:
        table_name = "renovation_inspection"


class Rectification(BaseModel):
    renovation = pw.ForeignKeyField(Renovation, backref="rectifications", on_delete="CASCADE", index=True)
    inspection = pw.ForeignKeyField(Inspection, null=True, on_delete="SET NULL")
    year = pw.IntegerField()
    number = pw.IntegerField()
    what = pw.TextField()
    issued_at = pw.DateTimeField()
    issued_by = pw.ForeignKeyField(User, null=True, on_delete="SET NULL", backref="+")
    deadline = pw.DateField()
    checked_at = pw.DateTimeField(null=True)
    checked_by = pw.ForeignKeyField(User, null=True, on_delete="SET NULL", backref="+")
    check_note = pw.CharField(max_length=256, default="")

    class Meta:
        table_name = "renovation_rectification"
        indexes = ((("year", "number"), True),)

    @property
    def number_text(self) -> str:
        return f"ZG{self.year}-{self.number:04d}"

    @property
    def due(self) -> datetime.datetime:
        """Due by the end of its deadline day."""
        from models.deadlines import END_OF_DAY

        return datetime.datetime.combine(self.deadline, END_OF_DAY)


class WaterTest(BaseModel):
    renovation = pw.ForeignKeyField(Renovation, backref="tests", on_delete="CASCADE", index=True)
    kind = pw.CharField(max_length=16)
    area = pw.CharField(max_length=32)  # 卫生间, 厨房, 阳台 …
    started_at = pw.DateTimeField()
    started_by = pw.ForeignKeyField(User, null=True, on_delete="SET NULL", backref="+")
    hours = pw.IntegerField()  # the office's setting when it started
    read_at = pw.DateTimeField(null=True)
    read_by = pw.ForeignKeyField(User, null=True, on_delete="SET NULL", backref="+")
    passed = pw.BooleanField(null=True)  # None: still running
    note = pw.CharField(max_length=256, default="")

    class Meta:
        table_name = "renovation_test"

    @property
    def ready_at(self) -> datetime.datetime:
        return self.started_at + datetime.timedelta(hours=self.hours)


# --- reading -----------------------------------------------------------------------------

def get(user, case_id: int) -> Renovation:
    users.require(user, "service.desk")
    case = (Renovation.select(Renovation, House).join(House).where(Renovation.id == case_id).first())
    if case is None:
        raise NotFound(QT_TRANSLATE_NOOP("Office", "This renovation no longer exists"))
    return case


def numbered(user, number_text: str) -> Renovation:
    m = re.fullmatch(r"(?i)\s*ZX(\d{4})-0*(\d+)\s*", number_text)
    case = Renovation.get_or_none(Renovation.year == int(m[1]), Renovation.number == int(m[2])) if m else None
    if case is None:
        raise NotFound(QT_TRANSLATE_NOOP("Office", "No renovation is numbered {number}"), number=number_text.strip())
    return get(user, case.id)


def workers(case: Renovation) -> list[Worker]:
    return list(Worker.select().where(Worker.renovation == case.id).order_by(Worker.seq))


def inspections(case: Renovation) -> list[Inspection]:
    return list(Inspection.select().where(Inspection.renovation == case.id).order_by(Inspection.at.desc(),
                                                                                      Inspection.id.desc()))


def rectifications(case: Renovation) -> list[Rectification]:
    return list(Rectification.select().where(Rectification.renovation == case.id)
                .order_by(Rectification.issued_at.desc(), Rectification.id.desc()))


def tests(case: Renovation) -> list[WaterTest]:
    return list(WaterTest.select().where(WaterTest.renovation == case.id)
                .order_by(WaterTest.started_at.desc(), WaterTest.id.desc()))


def open_rectifications(case: Renovation) -> list[Rectification]:
    return [r for r in rectifications(case) if r.checked_at is None]


def test_hours() -> int:
    return settings.office.renovation_test_hours


def permitted_hours() -> tuple[int, int]:
    """The hours of the day works are allowed, from and to (office settings)."""
    return settings.office.renovation_from_hour, settings.office.renovation_to_hour


def amounts() -> tuple[int, int]:
    """The deposit and the debris fee a renovation pays (office settings), in fen."""
    return settings.office.renovation_deposit_fen, settings.office.debris_fee_fen


def completion_blocks(case: Renovation) -> list[tuple[str, dict]]:
    """Why the final inspection cannot be made yet: open rectifications, and for works
    touching waterproofing, a test missing, failed (not yet passed again) or still running."""
    out = []
    open_ones = open_rectifications(case)
    if open_ones:
        out.append((QT_TRANSLATE_NOOP("Office", "Rectification {number} is still open: check it first"),
                    {"number": open_ones[-1].number_text}))
    running = [t for t in tests(case) if t.passed is None]
    if running:
        out.append((QT_TRANSLATE_NOOP("Office", "The waterproofing test of the {area} is not read yet"),
                    {"area": running[-1].area}))
    by_area: dict[str, WaterTest] = {}
    for t in reversed(tests(case)):  # oldest first: the last read of each area stays
        if t.passed is not None:
            by_area[t.area] = t
    failed = [t for t in by_area.values() if not t.passed]
    if failed:  # a failed test blocks, whatever the works were said to touch
        out.append((QT_TRANSLATE_NOOP("Office", "The waterproofing test of the {area} failed: test it again"),
                    {"area": failed[0].area}))
    if "waterproofing" in case.risk_list:
        if not by_area and not running:
            out.append((QT_TRANSLATE_NOOP("Office", "The works touch waterproofing: a waterproofing test must pass"),
                        {}))
    return out


def next_step(case: Renovation, at: datetime.datetime | None = None) -> tuple[str, datetime.datetime | None]:
    """What the case waits for (a key of STEPS, "" when closed) and by when, if a deadline
    applies."""
    if case.state == "applied":
        for step in APPROVALS:
            if getattr(case, f"{step}_at") is None:
                return step, None
    if case.state == "approved":
        if case.signed_at is None:
            return "sign", None
        if case.receipt_id is None and any(amounts()):  # an office that takes neither: no money step
            return "money", None
        return "permit", None
    if case.state == "working":
        open_ones = open_rectifications(case)
        if open_ones:
            soonest = min(open_ones, key=lambda r: r.due)
            return "rectify", soonest.due
        running = [t for t in tests(case) if t.passed is None]
        if running:
            return "test", min(t.ready_at for t in running)
        return "final", datetime.datetime.combine(case.planned_end + datetime.timedelta(days=1), datetime.time())
    if case.state == "finished":
        return "refund", None
    return "", None


# --- the application ---------------------------------------------------------------------

@dataclass(frozen=True)
class NewWorker:
    name: str
    id_number: str
    phone: str = ""
    trade: str = ""


_text = validation.check_text


def _worker_refusals(errors: dict, people: list[NewWorker], known: set[str]) -> list[NewWorker]:
    clean = []
    seen = set(known)
    for n, w in enumerate(people, 1):
        name = str(w.name or "").strip()
        number = validation.normalize_id(str(w.id_number or ""))
        if not name:
            errors["workers"] = (QT_TRANSLATE_NOOP("Office", "Worker {n}: enter the name"), {"n": n})
            break
        if len(name) > 32:
            errors["workers"] = (QT_TRANSLATE_NOOP("Office", "Worker {n}: at most {most} characters in the name"),
                                 {"n": n, "most": 32})
            break
        if not number:
            errors["workers"] = (QT_TRANSLATE_NOOP(
                "Office", "Worker {n} ({name}): every worker shows an ID card: enter its number"), {"n": n, "name": name})
            break
        problem = validation.resident_id_error(number) if len(number) == 18 else (
            None if re.fullmatch(r"[0-9A-Z]{6,20}", number) else
            QT_TRANSLATE_NOOP("Office", "An ID document's number has at least 6 letters and digits"))
        if problem:
            errors["workers"] = (QT_TRANSLATE_NOOP("Office", "Worker {n} ({name}): {problem}"),
                                 {"n": n, "name": name, "problem": Label(problem)})
            break
        if number in seen:
            errors["workers"] = (QT_TRANSLATE_NOOP("Office", "Worker {n} ({name}): this ID number is on the list twice"),
                                 {"n": n, "name": name})
            break
        phone = validation.normalize_phone(str(w.phone or ""))
        if phone and validation.phone_error(phone):
            errors["workers"] = (QT_TRANSLATE_NOOP("Office", "Worker {n} ({name}): {problem}"),
                                 {"n": n, "name": name, "problem": Label(validation.phone_error(phone))})
            break
        seen.add(number)
        clean.append(NewWorker(name, number, phone, str(w.trade or "").strip()[:32]))
    return clean


def apply(user, house_id: int, *, applicant: str, contractor: str, licence: str, scope: str,
          planned_start: datetime.date, planned_end: datetime.date, workers: list[NewWorker],
          risks: list[str] = (), phone: str = "", contractor_phone: str = "") -> Renovation:
    """A renovation applied for: refused by its field when the office cannot accept it (no
    contractor licence, a worker without an ID number, dates out of order, a house already
    renovating under another case), nothing written."""
    users.require(user, "service.desk")
    errors: dict = {}
    house = House.get_or_none(House.id == house_id)
    if house is None:
        raise NotFound(QT_TRANSLATE_NOOP("Office", "This house no longer exists"))
    if house.state == "undelivered":
        errors["house"] = (QT_TRANSLATE_NOOP("Office", "{house} is not handed over yet: no renovation before the "
                                                       "move-in"), {"house": house.label})
    else:
        other = Renovation.get_or_none(Renovation.house == house.id, Renovation.state.in_(OPEN_STATES))
        if other is not None:
            errors["house"] = (QT_TRANSLATE_NOOP("Office", "{house} already has renovation {number} open"),
                               {"house": house.label, "number": other.number_text})
    applicant = _text(errors, "applicant", applicant, 64, QT_TRANSLATE_NOOP("Office", "Enter who applies"))
    phone = validation.normalize_phone(str(phone or ""))
    if phone and validation.phone_error(phone):
        errors["phone"] = (validation.phone_error(phone), {})
    contractor = _text(errors, "contractor", contractor, 64, QT_TRANSLATE_NOOP("Office", "Enter the contractor"))
    licence = _text(errors, "licence", licence, 64, QT_TRANSLATE_NOOP(
        "Office", "Enter the contractor's licence number (营业执照/资质证书)"))
    contractor_phone = validation.normalize_phone(str(contractor_phone or ""))
    if contractor_phone and validation.phone_error(contractor_phone):
        errors["contractor_phone"] = (validation.phone_error(contractor_phone), {})
    scope = _text(errors, "scope", scope, 2000, QT_TRANSLATE_NOOP("Office", "Say what the works are"))
    risks = list(dict.fromkeys(risks))
    if any(r not in RISKS for r in risks):
        errors["risks"] = (QT_TRANSLATE_NOOP("Office", "Choose one of the list"), {})
    validation.check_date(errors, "planned_start", planned_start)
    validation.check_date(errors, "planned_end", planned_end)
    if "planned_start" not in errors and "planned_end" not in errors:
        if planned_start is None:
            errors["planned_start"] = (QT_TRANSLATE_NOOP("Office", "Enter a date"), {})
        elif planned_start < clock.today():
            errors["planned_start"] = (QT_TRANSLATE_NOOP("Office", "The works cannot start before today"), {})
        if planned_end is None:
            errors["planned_end"] = (QT_TRANSLATE_NOOP("Office", "Enter a date"), {})
        elif planned_start is not None and planned_end < planned_start:
            errors["planned_end"] = (QT_TRANSLATE_NOOP("Office", "The works cannot end before they start"), {})
        elif planned_start is not None and (planned_end - planned_start).days >= MAX_DAYS:
            errors["planned_end"] = (QT_TRANSLATE_NOOP("Office", "Works of more than a year: check the dates"), {})
    people = list(workers or [])
    if not people:
        errors["workers"] = (QT_TRANSLATE_NOOP("Office", "Add the workers with their ID numbers"), {})
    elif len(people) > MAX_WORKERS:
        errors["workers"] = (QT_TRANSLATE_NOOP("Office", "At most {n} workers"), {"n": MAX_WORKERS})
    else:
        people = _worker_refusals(errors, people, set())
    if errors:
        raise ValidationError(errors)
    now = clock.now()
    with atomic():
        case = Renovation.create(year=now.year, number=numbering.take(f"renovation-{now.year}"), house=house,
                                 applicant=applicant, phone=phone, contractor=contractor, licence=licence,
                                 contractor_phone=contractor_phone, scope=scope, risks=",".join(risks),
                                 planned_start=planned_start, planned_end=planned_end, applied_at=now,
                                 applied_by=user.id)
        for n, w in enumerate(people, 1):
            Worker.create(renovation=case, seq=n, name=w.name, id_number=w.id_number, phone=w.phone, trade=w.trade)
        audit.record(user, "renovation.apply", "renovation", case.id, f"{case.number_text} {house.label}",
                     {"contractor": contractor, "workers": len(people), "start": planned_start.isoformat(),
                      "end": planned_end.isoformat(), "risks": risks})
    return get(user, case.id)


def add_workers(user, case_id: int, people: list[NewWorker]) -> list[Worker]:
    """More workers on a case not yet closed; their passes expire with the permit."""
    users.require(user, "service.desk")
    errors: dict = {}
    with atomic():
        case = _open_case(case_id)
        known = {w.id_number for w in workers(case)}
        if not people:
            errors["workers"] = (QT_TRANSLATE_NOOP("Office", "Add the workers with their ID numbers"), {})
        elif len(known) + len(people) > MAX_WORKERS:
            errors["workers"] = (QT_TRANSLATE_NOOP("Office", "At most {n} workers"), {"n": MAX_WORKERS})
        else:
            people = _worker_refusals(errors, people, known)
        if errors:
            raise ValidationError(errors)
        last = Worker.select(pw.fn.MAX(Worker.seq)).where(Worker.renovation == case.id).scalar() or 0
        added = [Worker.create(renovation=case, seq=last + n, name=w.name, id_number=w.id_number, phone=w.phone,
                               trade=w.trade) for n, w in enumerate(people, 1)]
        audit.record(user, "renovation.workers", "renovation", case.id, case.number_text,
                     {"added": [w.name for w in added]})
    return added


def _open_case(case_id: int, *states: str) -> Renovation:
    case = Renovation.get_or_none(Renovation.id == case_id)
    if case is None:
        raise NotFound(QT_TRANSLATE_NOOP("Office", "This renovation no longer exists"))
    if states and case.state not in states:
        raise OfficeError(QT_TRANSLATE_NOOP("Office", "Renovation {number} is {state}: this step is not open"),
                          number=case.number_text, state=Label(STATES[case.state]))
    if not states and case.state not in OPEN_STATES:
        raise OfficeError(QT_TRANSLATE_NOOP("Office", "Renovation {number} is {state}: this step is not open"),
                          number=case.number_text, state=Label(STATES[case.state]))
    return case


# --- approvals, papers, money, permit ----------------------------------------------------

def approve(user, case_id: int, step: str, *, engineer: str = "", note: str = "",
            approver: users.Approval | None = None, refuse: bool = False) -> Renovation:
    """One approval of the application, in order: the desk (the clerk signed in), the
    engineering side (the engineer's name as signed on the form), the supervisor (her
    password, users.approve with service.manage). `refuse` with a reason ends the case."""
    users.require(user, "service.desk")
    if step not in APPROVALS:
        raise ValidationError({"step": (QT_TRANSLATE_NOOP("Office", "Choose one of the list"), {})})
    errors: dict = {}
    note = _text(errors, "note", note, 256, QT_TRANSLATE_NOOP("Office", "Say why it is not approved") if refuse else "")
    engineer = _text(errors, "engineer", engineer, 64,
                     QT_TRANSLATE_NOOP("Office", "Enter the engineer who signed") if step == "engineering" else "")
    if step == "supervisor" and approver is None:
        errors["approver"] = (QT_TRANSLATE_NOOP("Office", "The supervisor approves with her password"), {})
    if errors:
        raise ValidationError(errors)
    by = users.redeem(approver, "service.manage") if step == "supervisor" else None
    now = clock.now()
    with atomic():
        case = _open_case(case_id, "applied")
        wanted, _ = next_step(case)
        if wanted != step:
            raise OfficeError(QT_TRANSLATE_NOOP("Office", "First: {step}"), step=Label(STEPS[wanted]))
        if refuse:
            case.state, case.refused_reason, case.closed_at = "refused", note, now
        elif step == "desk":
            case.desk_at, case.desk_by = now, user.id
        elif step == "engineering":
            case.engineering_at, case.engineering_name, case.engineering_note = now, engineer, note
        else:
            case.supervisor_at, case.supervisor_by = now, by.id
            case.state = "approved"
        case.save()
        audit.record(user, "renovation.refuse" if refuse else "renovation.approve", "renovation", case.id,
                     case.number_text, {"step": step, "engineer": engineer, "note": note,
                                        "approved_by": by.username if by else ""})
    return get(user, case_id)


PAPERS = ("reno_application", "reno_agreement", "reno_notes", "fire_pledge")


def sign(user, case_id: int) -> Renovation:
    """The application form, the agreement, the rules and the fire-safety pledge come back
    signed: noted on the case and ticked on the house's archive checklist."""
    users.require(user, "service.desk")
    users.require(user, "archive.edit")
    with atomic():
        case = _open_case(case_id, "approved")
        if case.signed_at is not None:
            raise OfficeError(QT_TRANSLATE_NOOP("Office", "The papers of {number} are signed already"),
                              number=case.number_text)
        case.signed_at, case.signed_by = clock.now(), user.id
        case.save()
        for item in PAPERS:
            documents.set_document(user, case.house_id, item, received=True)
        audit.record(user, "renovation.sign", "renovation", case.id, case.number_text, {})
    return get(user, case_id)


def counter_lines(user, case_id: int) -> tuple[int, int]:
    """What the counter takes for the case: the deposit and the debris fee, in fen."""
    case = get(user, case_id)
    if case.state != "approved" or case.receipt_id is not None:
        raise OfficeError(QT_TRANSLATE_NOOP("Office", "Renovation {number} has nothing to pay now"),
                          number=case.number_text)
    return amounts()


def money_taken(user, case_id: int, receipt: cashier.Receipt) -> None:
    """Called by the counter inside the payment's transaction (cashier.take_payment `also`):
    the receipt must carry the renovation's deposit and its debris fee, or nothing is taken."""
    users.require(user, "cash.take")
    case = _open_case(case_id, "approved")
    if case.receipt_id is not None:
        raise OfficeError(QT_TRANSLATE_NOOP("Office", "The money of {number} is taken already, on {receipt}"),
                          number=case.number_text, receipt=case.receipt.number_text)
    if receipt.house_id != case.house_id:
        raise OfficeError(QT_TRANSLATE_NOOP("Office", "This payment is not for {house}"), house=case.house.label)
    deposit = int(cashier.BalanceEntry.select(pw.fn.COALESCE(pw.fn.SUM(cashier.BalanceEntry.amount), 0))
               .join(cashier.FeeItem).where(cashier.BalanceEntry.receipt == receipt.id,
                                            cashier.BalanceEntry.kind == "deposit",
                                            cashier.FeeItem.code == "renovation_deposit").scalar() or 0)
    debris = int(cashier.Settlement.select(pw.fn.COALESCE(pw.fn.SUM(cashier.Settlement.principal), 0))
              .join(cashier.Charge).join(cashier.FeeItem)
              .where(cashier.Settlement.receipt == receipt.id, cashier.FeeItem.code == "debris").scalar() or 0)
    want_deposit, want_debris = amounts()
    if want_deposit and deposit <= 0:
        raise ValidationError({"amount": (QT_TRANSLATE_NOOP(
            "Office", "The renovation's deposit is not on this payment: tick its line"), {})})
    if want_debris and debris <= 0:
        raise ValidationError({"amount": (QT_TRANSLATE_NOOP(
            "Office", "The debris removal fee is not on this payment: tick its line"), {})})
    if (deposit, debris) != (want_deposit, want_debris):
        raise ValidationError({"amount": (QT_TRANSLATE_NOOP(
            "Office", "A renovation pays a deposit of {deposit} and a debris fee of {debris} (Settings); this payment "
                      "has {paid_deposit} and {paid_debris}"),
            {"deposit": money.fmt(want_deposit), "debris": money.fmt(want_debris),
             "paid_deposit": money.fmt(deposit), "paid_debris": money.fmt(debris)})})
    case.receipt, case.deposit, case.debris_fee = receipt.id, deposit, debris
    case.save()
    audit.record(user, "renovation.money", "renovation", case.id, f"{case.number_text} {receipt.number_text}",
                 {"deposit": deposit, "debris": debris})


def receipt_voided(user, receipt: cashier.Receipt) -> None:
    """Called by cashier.void inside its transaction. The deposit's receipt of a case not yet
    under way is voided: the case waits for its money again. Once the works began the
    deposit is the case's: it is refunded through the case, never voided. A refund document
    voided puts its case back to waiting for the refund."""
    case = Renovation.get_or_none(Renovation.receipt == receipt.id)
    if case is not None:
        if case.state != "approved":
            raise OfficeError(QT_TRANSLATE_NOOP(
                "Office", "Receipt {receipt} holds the deposit of renovation {number}, whose works have begun: "
                          "refund it through the renovation instead"), receipt=receipt.number_text,
                number=case.number_text)
        case.receipt, case.deposit, case.debris_fee = None, 0, 0
        case.save()
        audit.record(user, "renovation.money_voided", "renovation", case.id,
                     f"{case.number_text} {receipt.number_text}", {})
    case = Renovation.get_or_none(Renovation.refund == receipt.id)
    if case is not None:
        case.refund, case.state, case.closed_at = None, "finished", None
        case.save()
        audit.record(user, "renovation.refund_voided", "renovation", case.id,
                     f"{case.number_text} {receipt.number_text}", {})


def issue_permit(user, case_id: int) -> Renovation:
    """The permit (装修许可证) issued once the case is approved, its papers signed and its
    money taken: the works begin, the house is marked renovating."""
    users.require(user, "service.desk")
    with atomic():
        case = _open_case(case_id, "approved")
        step, _ = next_step(case)
        if step != "permit":
            raise OfficeError(QT_TRANSLATE_NOOP("Office", "First: {step}"), step=Label(STEPS[step]))
        if case.receipt_id is not None and case.receipt.void:
            raise OfficeError(QT_TRANSLATE_NOOP("Office", "Receipt {receipt} of the deposit is voided: take the money "
                                                          "again"), receipt=case.receipt.number_text)
        house = House.get_by_id(case.house_id)
        case.state, case.permit_at, case.permit_by, case.state_before = "working", clock.now(), user.id, house.state
        case.save()
        if house.state != "renovating":
            House.update(state="renovating").where(House.id == house.id).execute()
        audit.record(user, "renovation.permit", "renovation", case.id, f"{case.number_text} {house.label}",
                     {"until": case.planned_end.isoformat(), "house_state_before": case.state_before})
    return get(user, case_id)


def extend(user, case_id: int, new_end: datetime.date, reason: str) -> Renovation:
    """The works given more time: the permit and the workers' passes run to the new end."""
    users.require(user, "service.desk")
    errors: dict = {}
    reason = _text(errors, "reason", reason, 256, QT_TRANSLATE_NOOP("Office", "Say why the works need more time"))
    validation.check_date(errors, "planned_end", new_end)
    if errors:
        raise ValidationError(errors)
    with atomic():
        case = _open_case(case_id, "approved", "working")
        if new_end is None or new_end <= case.planned_end:
            raise ValidationError({"planned_end": (QT_TRANSLATE_NOOP(
                "Office", "The new end comes after {end}"), {"end": case.planned_end.isoformat()})})
        if (new_end - case.planned_start).days >= MAX_DAYS:
            raise ValidationError({"planned_end": (QT_TRANSLATE_NOOP(
                "Office", "Works of more than a year: check the dates"), {})})
        before = case.planned_end
        case.planned_end = new_end
        case.save()
        audit.record(user, "renovation.extend", "renovation", case.id, case.number_text,
                     {"from": before.isoformat(), "to": new_end.isoformat(), "reason": reason})
    return get(user, case_id)


def pass_expiry(case: Renovation) -> datetime.date:
    """Workers' passes expire with the permit: the works' planned end."""
    return case.planned_end


# --- during the works ----------------------------------------------------------------------

def inspect(user, case_id: int, *, findings: str = "", debris_ok: bool = True, after_hours: bool = False,
            rectify: str = "", days: int = 3, at: datetime.datetime | None = None) -> Inspection:
    """An inspection during the works. Debris not taken away, works found going on outside
    the permitted hours, or a finding to put right (`rectify`) need what was found; `rectify`
    issues a rectification notice (整改通知单) due in `days`, in the same transaction."""
    users.require(user, "service.desk")
    at = at or clock.now()
    errors: dict = {}
    findings = _text(errors, "findings", findings, 1000)
    rectify = _text(errors, "rectify", rectify, 500)
    if not isinstance(debris_ok, bool) or not isinstance(after_hours, bool):
        errors["debris_ok"] = (QT_TRANSLATE_NOOP("Office", "Tick it or leave it unticked"), {})
    elif (not debris_ok or after_hours) and not findings:
        errors["findings"] = (QT_TRANSLATE_NOOP("Office", "Say what you found"), {})
    if after_hours:
        start, end = permitted_hours()
        if start <= at.hour < end:
            errors["after_hours"] = (QT_TRANSLATE_NOOP(
                "Office", "{time} is within the permitted hours ({start}:00–{end}:00)"),
                {"time": at.strftime("%H:%M"), "start": start, "end": end})
    if rectify:
        days = validation.check_int(errors, "days", days, 0, MAX_RECTIFY_DAYS)
    if at > clock.now():
        errors["at"] = (QT_TRANSLATE_NOOP("Office", "The date cannot be in the future"), {})
    if errors:
        raise ValidationError(errors)
    with atomic():
        case = _open_case(case_id, "working")
        if case.permit_at is not None and at < case.permit_at:
            raise ValidationError({"at": (QT_TRANSLATE_NOOP(
                "Office", "The works began at {when}: an inspection is after that"),
                {"when": case.permit_at.strftime("%Y-%m-%d %H:%M")})})
        row = Inspection.create(renovation=case, at=at, by=user.id, findings=findings, debris_ok=debris_ok,
                                after_hours=after_hours, passed=not rectify)
        detail = {"findings": findings, "debris_ok": debris_ok, "after_hours": after_hours}
        if rectify:
            notice = _issue(user, case, row, rectify, at.date() + datetime.timedelta(days=days))
            detail["rectification"] = notice.number_text
        audit.record(user, "renovation.inspect", "renovation", case.id, case.number_text, detail)
    return row


def _issue(user, case: Renovation, inspection: Inspection | None, what: str, deadline: datetime.date) -> Rectification:
    now = clock.now()
    return Rectification.create(renovation=case, inspection=inspection, year=now.year,
                                number=numbering.take(f"rectification-{now.year}"), what=what, issued_at=now,
                                issued_by=user.id, deadline=deadline)


def check_rectification(user, rectification_id: int, note: str = "") -> Rectification:
    """A rectification found put right: checked, off the case's open list."""
    users.require(user, "service.desk")
    errors: dict = {}
    note = _text(errors, "note", note, 256)
    if errors:
        raise ValidationError(errors)
    with atomic():
        row = Rectification.get_or_none(Rectification.id == rectification_id)
        if row is None:
            raise NotFound(QT_TRANSLATE_NOOP("Office", "This rectification no longer exists"))
        if row.checked_at is not None:
            raise OfficeError(QT_TRANSLATE_NOOP("Office", "{number} is checked already"), number=row.number_text)
        _open_case(row.renovation_id, "working")
        row.checked_at, row.checked_by, row.check_note = clock.now(), user.id, note
        row.save()
        audit.record(user, "renovation.rectified", "renovation", row.renovation_id, row.number_text, {"note": note})
    return row


def start_test(user, case_id: int, *, area: str, kind: str = "closed_water") -> WaterTest:
    """A waterproofing test begun now: it runs the office's hours (default 48) before it is read."""
    users.require(user, "service.desk")
    errors: dict = {}
    area = _text(errors, "area", area, 32, QT_TRANSLATE_NOOP("Office", "Say where: the bathroom, the kitchen …"))
    if kind not in TESTS:
        errors["kind"] = (QT_TRANSLATE_NOOP("Office", "Choose one of the list"), {})
    if errors:
        raise ValidationError(errors)
    with atomic():
        case = _open_case(case_id, "working")
        if any(t.passed is None and t.area == area for t in tests(case)):
            raise ValidationError({"area": (QT_TRANSLATE_NOOP(
                "Office", "A test of the {area} is running already"), {"area": area})})
        row = WaterTest.create(renovation=case, kind=kind, area=area, started_at=clock.now(), started_by=user.id,
                               hours=test_hours())
        audit.record(user, "renovation.test_start", "renovation", case.id, f"{case.number_text} {area}",
                     {"kind": kind, "hours": row.hours})
    return row


def read_test(user, test_id: int, *, passed: bool, note: str = "") -> WaterTest:
    """The test's result, read once its hours have run (not a minute before); a failed test
    needs what was seen, and the area is tested again before the final inspection."""
    users.require(user, "service.desk")
    errors: dict = {}
    note = _text(errors, "note", note, 256, "" if passed else QT_TRANSLATE_NOOP("Office", "Say what leaked and where"))
    if not isinstance(passed, bool):
        errors["passed"] = (QT_TRANSLATE_NOOP("Office", "Choose one of the list"), {})
    if errors:
        raise ValidationError(errors)
    with atomic():
        row = WaterTest.get_or_none(WaterTest.id == test_id)
        if row is None:
            raise NotFound(QT_TRANSLATE_NOOP("Office", "This test no longer exists"))
        if row.passed is not None:
            raise OfficeError(QT_TRANSLATE_NOOP("Office", "This test is read already"))
        _open_case(row.renovation_id, "working")
        now = clock.now()
        if now < row.ready_at:
            gone = now - row.started_at
            raise OfficeError(QT_TRANSLATE_NOOP(
                "Office", "The test has run {h} h {m} min of its {hours} h: read it from {ready}"),
                h=int(gone.total_seconds() // 3600), m=int(gone.total_seconds() % 3600 // 60), hours=row.hours,
                ready=row.ready_at.strftime("%Y-%m-%d %H:%M"))
        row.read_at, row.read_by, row.passed, row.note = now, user.id, passed, note
        row.save()
        audit.record(user, "renovation.test_read", "renovation", row.renovation_id, row.area,
                     {"passed": passed, "note": note})
    return row


def final_inspection(user, case_id: int, *, passed: bool, findings: str = "") -> Renovation:
    """The completion inspection: refused while a rectification is open or a needed test is
    missing, failed or running. Passed, the case waits for the refund; the house goes back to
    the state it had before the works. Not passed, the findings stand and the works go on."""
    users.require(user, "service.desk")
    errors: dict = {}
    findings = _text(errors, "findings", findings, 1000,
                     "" if passed else QT_TRANSLATE_NOOP("Office", "Say what is not accepted"))
    if errors:
        raise ValidationError(errors)
    with atomic():
        case = _open_case(case_id, "working")
        blocks = completion_blocks(case)
        if blocks:
            text, args = blocks[0]
            raise OfficeError(text, **args)
        now = clock.now()
        Inspection.create(renovation=case, at=now, by=user.id, final=True, findings=findings, passed=passed)
        if passed:
            case.state, case.final_at, case.final_by, case.final_note = "finished", now, user.id, findings
            case.save()
            house = House.get_by_id(case.house_id)
            if house.state == "renovating":
                back = case.state_before if case.state_before and case.state_before != "renovating" else "owner_occupied"
                House.update(state=back).where(House.id == house.id).execute()
        audit.record(user, "renovation.final", "renovation", case.id, case.number_text,
                     {"passed": passed, "findings": findings})
    return get(user, case_id)


# --- the refund ------------------------------------------------------------------------------

@dataclass(frozen=True)
class Deduction:
    amount: int  # fen kept from the deposit
    reason: str


def refund(user, case_id: int, deductions: list[Deduction], approver: users.Approval, *,
           method: str = "cash") -> cashier.Receipt:
    """The deposit paid back after the final inspection, less the deductions (each with its
    reason, kept as the office's income), approved by a supervisor: a refund document in the
    receipt series. Refused while a rectification is open; never more than the case holds."""
    users.require(user, "cash.take")
    errors: dict = {}
    clean = []
    for n, d in enumerate(deductions or [], 1):
        reason = str(d.reason or "").strip()
        if money.amount_problem(d.amount):
            errors["deductions"] = money.amount_problem(d.amount)
            break
        if not reason:
            errors["deductions"] = (QT_TRANSLATE_NOOP("Office", "Deduction {n}: say what it is for"), {"n": n})
            break
        if len(reason) > 64:
            errors["deductions"] = (QT_TRANSLATE_NOOP("Office", "Deduction {n}: at most {most} characters"),
                                    {"n": n, "most": 64})
            break
        clean.append(Deduction(d.amount, reason))
    if errors:
        raise ValidationError(errors)
    case = Renovation.get_or_none(Renovation.id == case_id)
    if case is None:
        raise NotFound(QT_TRANSLATE_NOOP("Office", "This renovation no longer exists"))
    if case.state == "working" and open_rectifications(case):
        raise OfficeError(QT_TRANSLATE_NOOP(
            "Office", "Rectification {number} is still open: nothing is refunded until it is checked"),
            number=open_rectifications(case)[-1].number_text)
    if case.state != "finished":
        raise OfficeError(QT_TRANSLATE_NOOP("Office", "The deposit is refunded after the final inspection"))
    kept = sum(d.amount for d in clean)
    if kept > case.deposit:
        raise ValidationError({"deductions": (QT_TRANSLATE_NOOP(
            "Office", "The deductions come to {kept}, more than the {held} deposit"),
            {"kept": money.fmt(kept), "held": money.fmt(case.deposit)})})

    def also(receipt: cashier.Receipt) -> None:
        row = _open_case(case_id, "finished")
        if row.refund_id is not None:
            raise OfficeError(QT_TRANSLATE_NOOP("Office", "The deposit of {number} is refunded already"),
                              number=row.number_text)
        row.refund, row.state, row.closed_at = receipt.id, "refunded", clock.now()
        row.save()
        audit.record(user, "renovation.refund", "renovation", row.id, f"{row.number_text} {receipt.number_text}",
                     {"deposit": row.deposit, "kept": kept, "deductions": [(d.amount, d.reason) for d in clean]})

    return cashier.refund(user, case.house_id, "deposit", case.deposit, approver, method=method,
                          item_code="renovation_deposit", reason=f"装修保证金 {case.number_text}",
                          deductions=[(d.amount, d.reason) for d in clean], also=also)


def deductions_of(case: Renovation) -> list[Deduction]:
    """What was kept from the deposit, with the reasons, once refunded."""
    if case.refund_id is None:
        return []
    rows = (cashier.Settlement.select(cashier.Settlement.principal, cashier.Charge.description)
            .join(cashier.Charge).where(cashier.Settlement.receipt == case.refund_id,
                                        cashier.Settlement.void == False).tuples())  # noqa: E712
    return [Deduction(amount, reason) for amount, reason in rows]


# --- lists -----------------------------------------------------------------------------------

@dataclass(frozen=True)
class CaseRow:
    id: int
    number: str
    house_id: int
    house: str
    building: str
    applicant: str
    contractor: str
    state: str
    planned_end: datetime.date
    step: str  # a key of STEPS
    due: datetime.datetime | None
    overdue: bool


def cases(user, *, open_only: bool = True, building_id: int | None = None, house_id: int | None = None,
          at: datetime.datetime | None = None) -> list[CaseRow]:
    """Renovations with their next step and its deadline, by building and house; the open
    ones alone unless asked."""
    users.require(user, "service.desk")
    from models.estate import Building, Unit

    at = at or clock.now()
    q = (Renovation.select(Renovation, House, Unit, Building).join(House).join(Unit).join(Building))
    if open_only:
        q = q.where(Renovation.state.in_(OPEN_STATES))
    if building_id is not None:
        q = q.where(Building.id == building_id)
    if house_id is not None:
        q = q.where(Renovation.house == house_id)
    out = []
    for case in q.order_by(Building.sort_key, House.sort_code, Renovation.id.desc()):
        step, due = next_step(case, at)
        out.append(CaseRow(case.id, case.number_text, case.house_id, case.house.label, case.house.unit.building.code,
                           case.applicant, case.contractor, case.state, case.planned_end, step, due,
                           due is not None and due <= at))
    return out


@dataclass(frozen=True)
class Month:
    started: int  # permits issued in the month
    finished: int  # final inspections passed in the month
    refunded: int  # deposits refunded in the month
    held_count: int  # cases holding a deposit at the month's end
    held: int  # fen held at the month's end
    applied: int


def month(user, year: int, month_: int) -> Month:
    """The month's counts for the head-office report (装修统计): started, finished, refunded,
    and the deposits held at the month's end."""
    users.require(user, "service.desk")
    start = datetime.datetime(year, month_, 1)
    end = datetime.datetime(year + (month_ == 12), month_ % 12 + 1, 1)

    def count(field) -> int:
        return Renovation.select().where(field >= start, field < end).count()

    held = (Renovation.select(pw.fn.COUNT(Renovation.id), pw.fn.COALESCE(pw.fn.SUM(Renovation.deposit), 0))
            .join(cashier.Receipt, on=(Renovation.receipt == cashier.Receipt.id))
            .where(cashier.Receipt.created_at < end, cashier.Receipt.void == False,  # noqa: E712
                   Renovation.refund.is_null() | Renovation.refund.in_(
                       cashier.Receipt.select(cashier.Receipt.id).where(cashier.Receipt.created_at >= end)))
            .tuples().get())
    refunded = (Renovation.select().join(cashier.Receipt, on=(Renovation.refund == cashier.Receipt.id))
                .where(cashier.Receipt.created_at >= start, cashier.Receipt.created_at < end).count())
    return Month(count(Renovation.permit_at), count(Renovation.final_at), refunded, int(held[0]), int(held[1] or 0),
                 count(Renovation.applied_at))


@dataclass(frozen=True)
class DueItem:
    what: str  # "rectify" / "test" / "overrun"
    due: datetime.datetime
    number: str
    about: str
    case_id: int


def due(user, at: datetime.datetime | None = None, horizon: datetime.datetime | None = None) -> list[DueItem]:
    """What the renovations owe the desk by `horizon`: rectifications to check by their
    deadline, tests to read once their hours have run, works past their planned end."""
    from models import deadlines

    users.require(user, "service.desk")
    at = at or clock.now()
    horizon = horizon or deadlines.same_day(at)
    out = []
    working = {c.id: c for c in Renovation.select(Renovation, House).join(House).where(Renovation.state == "working")}
    if not working:
        return out
    for r in Rectification.select().where(Rectification.renovation.in_(list(working)),
                                          Rectification.checked_at.is_null()):
        if r.due <= horizon:
            case = working[r.renovation_id]
            out.append(DueItem("rectify", r.due, r.number_text, f"{case.house.label} {r.what}", case.id))
    for t in WaterTest.select().where(WaterTest.renovation.in_(list(working)), WaterTest.passed.is_null()):
        if t.ready_at <= horizon:
            case = working[t.renovation_id]
            out.append(DueItem("test", t.ready_at, case.number_text, f"{case.house.label} {t.area}", case.id))
    day = datetime.datetime.combine(at.date(), datetime.time())
    # seed 003: debris bagged and taken away every day; each case with works going on is looked
    # at for it by the office's hour, unless an inspection today found it so
    checked = {i.renovation_id for i in Inspection.select(Inspection.renovation).where(
        Inspection.renovation.in_(list(working)), Inspection.at >= day, Inspection.debris_ok == True)}  # noqa: E712
    by = day + datetime.timedelta(hours=settings.office.renovation_debris_hour)
    for case in working.values():
        if case.id not in checked and by <= horizon and case.permit_at is not None and case.permit_at < by:
            out.append(DueItem("debris", by, case.number_text, f"{case.house.label} {case.contractor}", case.id))
    for i in (Inspection.select().where(Inspection.renovation.in_(list(working)), Inspection.after_hours == True,  # noqa: E712
                                        Inspection.at >= day)):
        case = working[i.renovation_id]
        out.append(DueItem("after_hours", i.at, case.number_text, f"{case.house.label} {i.findings}", case.id))
    for case in working.values():
        end = datetime.datetime.combine(case.planned_end + datetime.timedelta(days=1), datetime.time())
        if end <= at:  # past the planned end: on the list from the next morning
            out.append(DueItem("overrun", end, case.number_text, f"{case.house.label} {case.contractor}", case.id))
    return out
