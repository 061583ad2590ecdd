"""Who may do what (issue 16): every core function that checks a permission, called by
every role. Where the role lacks the permission (users.PERMISSIONS) the core refuses it
(PermissionDenied), writes nothing and logs the refusal ("permission.refused": the user,
the permission); where the role has it, the function is reached. The matrix is read from
the source: a public function of models/ that calls users.require (itself, or through a
helper of its module) and has no row here fails the suite, so a new office action cannot
ship without its row."""
from __future__ import annotations

import ast
import datetime
import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import pytest

from models import (announcements, arrears, audit, backup, billing, cashier, clock, complaints, db, documents,
                    due_now, dunning, estate, exporting, facilities, fees, handbook, history, importing, incidents, keys,
                    left_items, lending, messages, passes, patrols, visitors, meters, movein, owners,
                    parcels, pricelist, renovation, repairs, resale, search, settings, shifts, templates, users, vacant, visits)
from models.cashier import Pick
from models.errors import OfficeError, PermissionDenied
from models.keys import Borrower
from models.meters import Entry
from tests.conftest import PG_URL, _user

MODELS = Path(__file__).resolve().parents[2] / "models"
D = datetime.date
T = datetime.datetime
NOW = T(2026, 11, 23, 10, 0)  # a Monday morning; the 2026-11 bill posted, due on the 15th
GOOD_ID = "11010519491231002X"
ROLES = (users.CLERK, users.CASHIER, users.SUPERVISOR, users.ADMIN)
AUDIT_TABLES = {audit.AuditEntry._meta.table_name, audit.ChainHead._meta.table_name}


# --- what the source says ------------------------------------------------------------------

def guarded_functions() -> dict[str, set[str]]:
    """Every public function of models/*.py that calls users.require, itself or through
    another function of its module, with the permissions its own calls name (literal
    strings; empty where the permission is computed)."""
    found: dict[str, set[str]] = {}
    for path in sorted(MODELS.glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        funcs = {n.name: n for n in tree.body if isinstance(n, ast.FunctionDef)}
        calls: dict[str, set[str]] = {}
        perms: dict[str, set[str]] = {}
        for name, node in funcs.items():
            calls[name], perms[name] = set(), set()
            for sub in ast.walk(node):
                if not isinstance(sub, ast.Call):
                    continue
                f = sub.func
                gates = ("require", "require_any")
                is_require = ((isinstance(f, ast.Attribute) and f.attr in gates
                               and isinstance(f.value, ast.Name) and f.value.id == "users")
                              or (path.stem == "users" and isinstance(f, ast.Name) and f.id in gates))
                if is_require:
                    calls[name].add("<require>")
                    for arg in sub.args[1:]:
                        perms[name] |= {c.value for c in ast.walk(arg)
                                        if isinstance(c, ast.Constant) and isinstance(c.value, str)}
                elif isinstance(f, ast.Name) and f.id in funcs:
                    calls[name].add(f.id)
        guarded = {n for n, c in calls.items() if "<require>" in c}
        while more := {n for n, c in calls.items() if n not in guarded and c & guarded}:
            guarded |= more
        for name in guarded:
            if not name.startswith("_"):
                found[f"{path.stem}.{name}"] = perms[name]
    return found


GUARDED = guarded_functions()

_WRITES = {"create", "save", "insert", "insert_many", "update", "delete", "delete_instance"}


def unguarded_writers() -> set[str]:
    """Public functions of models/*.py that take the acting user first (user, actor) and
    write (a row, an audit entry), with no users.require in their module: each must either
    be checked by the core function of another module it calls first (its matrix row says
    `via`), or have its reason in NOT_IN_MATRIX."""
    found = set()
    for path in sorted(MODELS.glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        funcs = {n.name: n for n in tree.body if isinstance(n, ast.FunctionDef)}
        calls = {name: {(getattr(s.func.value, "id", None), s.func.attr) if isinstance(s.func, ast.Attribute)
                        else (None, getattr(s.func, "id", None))
                        for s in ast.walk(node) if isinstance(s, ast.Call)} for name, node in funcs.items()}

        def reach(name, seen):
            out = set(calls[name])
            for owner, callee in calls[name]:
                if owner is None and callee in funcs and callee not in seen:
                    out |= reach(callee, seen | {callee})
            return out
        for name, node in funcs.items():
            if name.startswith("_") or not node.args.args or node.args.args[0].arg not in ("user", "actor"):
                continue
            c = reach(name, {name})
            if any(callee == "require" for _, callee in c):
                continue
            if ("audit", "record") in c or any(callee in _WRITES for owner, callee in c if owner is not None):
                found.add(f"{path.stem}.{name}")
    return found


WRITERS = unguarded_writers()


# --- the office every case runs in -----------------------------------------------------------

class World(dict):
    """The office's rows the cases act on, by name (w.house, w.receipt …)."""

    def __getattr__(self, name):
        try:
            return self[name]
        except KeyError:
            raise AttributeError(name) from None


@pytest.fixture
def world(database, tmp_path):
    """A small office with one of everything: houses, an owner and a tenant, the 2026-11
    bill, a payment and a deposit, a closed day, a parcel, keys and a loan, a lent item,
    a repair and a complaint, visits and a survey, the handbook, a workbook to import
    and a backup. Each role has its user (the fixtures' names, password secret1)."""
    w = World(tmp=tmp_path)
    w.update(admin=_user("admin", ["admin"]), clerk=_user("wang", ["clerk"]), cashier=_user("li", ["cashier"]),
             supervisor=_user("zhao", ["supervisor"]), other=_user("sun", ["clerk"]))
    admin, sup, clerk, li = w.admin, w.supervisor, w.clerk, w.cashier
    with clock.frozen(T(2026, 10, 20, 9)):
        w.building = estate.create_building(admin, "3")
        w.unit = estate.create_unit(admin, w.building.id, "2")
        w.house = estate.create_house(admin, w.unit.id, number="1201", area="89.50", state="owner_occupied",
                                      handover_date=D(2025, 1, 1))
        w.house2 = estate.create_house(admin, w.unit.id, number="1202", area="80", state="owner_occupied",
                                       handover_date=D(2025, 1, 1))
        w.empty = estate.create_house(admin, w.unit.id, number="1203", area="80", state="vacant",
                                      handover_date=D(2025, 1, 1))
        w.owner = owners.add_owner(sup, w.house.id, name="张三", phone="13900001111", id_number=GOOD_ID)
        w.ownership = owners.Ownership.get(owners.Ownership.owner == w.owner.id)
        w.tenant = owners.add_resident(sup, w.house.id, kind="tenant", name="乐嘉", phone="13700004321")
        fees.update_item(sup, "service", unit_price="2.5000")
        fees.update_item(sup, "water", unit_price="5.0000")
        w.service = fees.subscribe(sup, w.house.id, "service", starts=D(2026, 1, 1))
        w.water = fees.subscribe(sup, w.house.id, "water", starts=D(2026, 1, 1))
        fees.subscribe(sup, w.house.id, "shared", starts=D(2026, 1, 1))
        w.deposit = cashier.take_payment(li, w.house.id, [], "wechat", deposit=300_000)
        cashier.close_day(li, 0)
        w.closed_day = D(2026, 10, 20)
    with clock.frozen(T(2026, 11, 1, 9)):
        billing.post(li, "2026-11")
    with clock.frozen(T(2026, 11, 5, 9)):  # before the due day: the late fee is still to come
        [w.line] = [o for o in cashier.owed(li, w.house.id) if o.charge.item.code == "service"]
        w.receipt = cashier.take_payment(li, w.house.id, [Pick(w.line.charge.id, 1_000)], "cash", tendered=1_000)
    clock.set_now(NOW)
    [w.line] = [o for o in cashier.owed(li, w.house.id) if o.charge.item.code == "service"]
    w.charge = w.line.charge
    w.parcel = parcels.receive(clerk, house_id=w.house.id, tracking="SF1234567890", recipient="张三",
                              shelf="A3", safe=True)
    w.key = keys.add_key(clerk, tag="K-12", name="3-2-1201 大门", kind="house", house_id=w.house.id,
                         position="A柜3号", copies=4)
    w.loans = [keys.lend(clerk, w.key.id, Borrower("owner", "张三", id_number=GOOD_ID)) for _ in range(3)]
    w.authorisation = keys.authorise(clerk, w.house.id, name="王师傅", id_number=GOOD_ID, letter_received=True,
                                     confirmed_how="phone", confirmed_at=NOW - datetime.timedelta(hours=1))
    w.item = lending.add_item(clerk, tag="T-01", name="人字梯")
    w.item_loan = lending.lend(clerk, w.item.id, borrower="张三", condition="完好")
    w.item2 = lending.add_item(clerk, tag="T-03", name="电钻")
    w.technician = repairs.save_technician(sup, name="刘师傅", phone="13912345678")
    w.repair = repairs.report(clerk, reporter="张三", what="水管漏水", category="water", house_id=w.house.id,
                              phone="13900001111")
    w.complaint = complaints.record(clerk, name="张三", what="楼上装修噪音", house_id=w.house.id)
    w.closed_complaint = complaints.record(clerk, name="李四", what="垃圾未清", house_id=w.house2.id)
    complaints.close(clerk, w.closed_complaint.id, "已清理")
    w.dispatched = repairs.report(clerk, reporter="李四", what="灯不亮", category="electric", house_id=w.house2.id)
    repairs.dispatch(clerk, w.dispatched.id, w.technician.id, NOW + datetime.timedelta(hours=1))
    w.done = repairs.report(clerk, reporter="李四", what="门锁坏", category="other", house_id=w.house2.id)
    repairs.dispatch(clerk, w.done.id, w.technician.id, NOW + datetime.timedelta(hours=1))
    repairs.complete(clerk, w.done.id, done_at=NOW)
    w.plan = visits.plan(sup, clerk.id, w.building.id, "2026-11")
    w.visit = visits.record(clerk, w.house.id, opinion="楼道灯坏了", problem="repairs", follow_up="报修")
    w.survey = visits.set_survey(sup, 2026, "2026年业主意见征询表", [("总体满意度", "score")])
    w.question = visits.SurveyQuestion.get(visits.SurveyQuestion.survey == w.survey.id)
    w.contact = handbook.save_contact(sup, category="water", name="自来水公司客服", phone="96116")
    w.price = handbook.save_price(sup, name="更换水龙头", price="20", unit="个", category="水电维修")
    w.draft = announcements.draft(clerk, kind="general", reason="小区将于周六清洗外墙")
    w.announcement = announcements.create(clerk, kind="general", reason="本周五停车场划线")
    csv = tmp_path / "houses.csv"
    csv.write_text("房号,建筑面积\n3-2-1301,90\n", encoding="utf-8")
    w.sheet = importing.read(csv)
    w.workbook = csv
    w.readings = tmp_path / "readings.xlsx"
    _readings_workbook(w.readings)
    w.form = templates.Template("receipt", "三联收据", 241, 93.1, continuous=True,
                                items=(templates.Item("field", 24, 28, 52, 5.5, name="house"),))
    templates.save(admin, w.form)
    w.form_file = tmp_path / "总部收据.json"
    templates.export_file(templates.Template("receipt", "总部收据", 241, 93.1, items=w.form.items), w.form_file)
    yield w
    clock.set_now(None)


RENO_IDS = {"wang": "110101199003077571", "li": "110101199003070513", "zhao": "110101198001010037",
            "admin": "110101199001010015"}


def _renovations(w: World) -> None:
    """Renovation cases at each step: applied, approved, paid, working (a rectification open
    and a test ready to read), ready for the final inspection, and accepted (its deposit held)."""
    admin, sup, clerk, li = w.admin, w.supervisor, w.clerk, w.cashier

    def case(number, until):
        house = estate.create_house(admin, w.unit.id, number=number, area="90", state="owner_occupied",
                                    handover_date=D(2025, 1, 1))
        c = renovation.apply(clerk, house.id, applicant="张三", contractor="顺达装饰", licence="91110000MA01ABCD3X",
                             scope="厨卫翻新", planned_start=D(2026, 11, 6), planned_end=D(2026, 12, 31),
                             workers=[renovation.NewWorker("李四", "11010119850306123X")])
        steps = ["desk", "engineering", "supervisor", "sign", "money", "permit", "final"]
        for step in steps[:steps.index(until)]:
            if step == "sign":
                renovation.sign(clerk, c.id)
            elif step == "money":
                cashier.take_payment(li, house.id, [], "cash", tendered=None, deposit=200_000,
                                     extras=[renovation_extra()],
                                     also=lambda r, case_id=c.id: renovation.money_taken(li, case_id, r))
            elif step == "permit":
                renovation.issue_permit(clerk, c.id)
            elif step == "final":
                renovation.final_inspection(clerk, c.id, passed=True)
            else:
                renovation.approve(clerk, c.id, step, engineer="刘工",
                                   approver=users.approve(sup.username, "secret1", "service.manage"))
        return c

    with clock.frozen(T(2026, 11, 5, 10)):
        w.reno = case("1206", "desk")
        w.reno_approved = case("1207", "sign")
        w.reno_paid = case("1208", "permit")
        w.reno_final = case("1209", "final")
        w.reno_work = case("1210", "final")
        w.reno_done = case("1211", "final")
        renovation.final_inspection(clerk, w.reno_done.id, passed=True)
        w.rectification = renovation._issue(clerk, renovation.Renovation.get_by_id(w.reno_work.id), None, "恢复原状",
                                            D(2026, 11, 30))
        w.water_test = renovation.start_test(clerk, w.reno_work.id, area="卫生间")


def _moveins(w: World) -> None:
    """Move-ins at each step: papers to check, the inspection, the keys, the handover, the money."""
    admin, clerk = w.admin, w.clerk

    def case(number, until):
        house = estate.create_house(admin, w.unit.id, number=number, area="90", state="undelivered")
        owners.add_owner(admin, house.id, name="赵六")
        keys.add_key(clerk, tag=f"H-{number}", name=f"{number} 入户门", kind="house", house_id=house.id, copies=2)
        c = movein.start(clerk, house.id, planned=NOW.date())
        steps = ["papers", "inspection", "keys", "handover"]
        for step in steps[:steps.index(until)] if until in steps else steps:
            if step == "papers":
                movein.receive_papers(clerk, c.id, list(movein.PAPERS))
            elif step == "inspection":
                movein.inspected(clerk, c.id)
            elif step == "keys":
                movein.hand_keys(clerk, c.id, count=2, which="入户门钥匙2把")
            else:
                movein.set_handover(clerk, c.id, on=NOW.date())
        return c, house

    w.mi_papers, w.mi_house = case("1301", "papers")
    w.mi_inspect, _ = case("1302", "inspection")
    w.mi_keys, _ = case("1303", "keys")
    w.mi_handover, _ = case("1304", "handover")
    w.mi_money, _ = case("1305", "money")


def _desk_registers(w: World) -> None:
    """One entry of each desk register, made by a clerk who is no role's user (sun)."""
    sun, sup = w.other, w.supervisor
    w.visitor = visitors.come_in(sun, name="刘备", house_id=w.house.id, confirmed_by="张三")
    w.release_pass = passes.issue(sun, house_id=w.house.id, applicant="张三", items="旧沙发")
    w.left_item = left_items.leave(sun, kind="letter", what="信件", for_whom="张三")
    w.facility = facilities.add(sup, kind="stair_light", name="楼道灯", place="3栋", count=30)
    w.route = patrols.save_route(sup, "日巡", ["大堂", "车库"])
    w.checkpoint = patrols.checkpoints(sup, w.route.id)[0]
    w.patrol = patrols.start(sun, w.route.id, "保安老陈")
    w.incident = incidents.open_incident(sun, kind="lift", happened_at=NOW - datetime.timedelta(minutes=10),
                                         place="5栋电梯", what="困人")
    incidents.step(sun, w.incident.id, kind="resolved", at=NOW, note="已放人")
    facilities.fault(sun, w.facility.id, what="不亮", count=2)


def renovation_extra():
    from models.pricelist import Extra

    return Extra("debris", 30_000, "")


def _readings_workbook(path):
    from openpyxl import Workbook

    book = Workbook()
    book.active.append(["房号", "本月读数"])
    book.active.append(["3-2-1201", 12])
    book.save(path)


# --- the cases -----------------------------------------------------------------------------

@dataclass
class Case:
    """One call of a guarded function: `call(world, user)`; `perms`: what it needs, all of
    them (by default the permission its source names); `any_of`: instead, at least one of
    these; `refused_as`: the permissions a refusal may name (default: those)."""
    name: str  # module.function
    call: Callable[[World, users.User], object]
    perms: set[str] | None = None
    label: str = ""
    marks: tuple = field(default_factory=tuple)
    any_of: set[str] = field(default_factory=set)
    refused_as: set[str] = field(default_factory=set)
    via: str = ""  # the guarded function of another module it is checked by

    @property
    def needs(self) -> set[str]:
        if self.perms is not None or self.any_of:
            return self.perms or set()
        named = GUARDED.get(self.via or self.name, set())
        assert len(named) == 1, f"{self.name} names {sorted(named) or 'no'} permissions: give the case its perms"
        return set(named)

    def may(self, role: str) -> bool:
        have = users.PERMISSIONS[role]
        return self.needs <= have and (not self.any_of or bool(self.any_of & have))

    @property
    def named(self) -> set[str]:
        """The permissions a refusal may name."""
        return self.refused_as or self.needs | self.any_of

    @property
    def id(self) -> str:
        return self.name + (f"[{self.label}]" if self.label else "")


def ok(permission="cash.approve"):
    """A fresh approval by the supervisor zhao (users.approve, single use)."""
    return users.approve("zhao", "secret1", permission)


def _restore(w, u):
    target = None if PG_URL else db.database.database
    return backup.restore(w.backup, target, username=u.username, user_password="secret1",
                          safety_dir=w.tmp / "safety")


DESK = {"cash.take", "cash.desk"}  # the front desk has cash.desk only: refused at one or the other

CASES = [
    # announcements
    Case("announcements.draft", lambda w, u: announcements.draft(u, kind="general", reason="停车场划线")),
    Case("announcements.record", lambda w, u: announcements.record(u, w.draft, "print")),
    Case("announcements.create", lambda w, u: announcements.create(u, kind="general", reason="停车场划线"),
         {"notice.edit"}),
    Case("announcements.history", lambda w, u: announcements.history(u)),
    Case("announcements.get", lambda w, u: announcements.get(u, w.announcement.id)),
    # arrears
    Case("arrears.by_house", lambda w, u: arrears.by_house(u)),
    Case("arrears.collection", lambda w, u: arrears.collection(u, "2026-11")),
    Case("arrears.floor_plan", lambda w, u: arrears.floor_plan(u, w.building.id)),
    # audit
    Case("audit.browse", lambda w, u: list(audit.browse(u))),
    Case("audit.browse_page", lambda w, u: audit.browse_page(u), {"audit.view"}),
    # backup: an administrator's name and password; the others' refused before anything is replaced
    Case("backup.restore", _restore, {"backup.restore"}),
    # billing
    Case("billing.plan", lambda w, u: billing.plan(u, "2026-12")),
    Case("billing.post", lambda w, u: billing.post(u, "2026-12")),
    # a one-off charge posted straight through the core: any user object (a clerk's, None) posts one
    Case("billing.post_charge", lambda w, u: billing.post_charge(u, w.house.id, "repair", 2_000, description="换锁"),
         {"billing.run"}),
    # cashier
    Case("cashier.owed", lambda w, u: cashier.owed(u, w.house.id)),
    Case("cashier.set_next_number", lambda w, u: cashier.set_next_number(u, 1201)),
    Case("cashier.receipts_of", lambda w, u: cashier.receipts_of(u, w.house.id)),
    Case("cashier.money_held", lambda w, u: cashier.money_held(u, w.house.id)),
    Case("cashier.receipt_numbered", lambda w, u: cashier.receipt_numbered(u, w.receipt.number_text)),
    Case("cashier.recent_spoiled", lambda w, u: cashier.recent_spoiled(u, cashier.active_series()),
         any_of={"cash.take", "cash.desk"}),
    Case("billing.recent_runs", lambda w, u: billing.recent_runs(u)),
    Case("billing.run_size", lambda w, u: billing.run_size(u)),
    Case("cashier.spoil_next", lambda w, u: cashier.spoil_next(u, "卡纸"), any_of={"cash.take", "cash.desk"}),
    Case("cashier.take_payment", lambda w, u: cashier.take_payment(u, w.house.id, [Pick(w.charge.id, 500)], "cash",
                                                                   tendered=500), {"cash.take"},
         refused_as=DESK),
    Case("cashier.take_payment", lambda w, u: cashier.take_payment(u, w.house.id, [], "cash", prepay=500,
                                                                   tendered=500), {"cash.take"}, "prepay",
         refused_as=DESK),
    Case("cashier.take_payment", lambda w, u: cashier.take_payment(
        u, w.house.id, [Pick(w.charge.id, 500)], "cash", tendered=500, business_date=D(2026, 11, 20),
        approver=ok()), {"cash.take"}, "back-dated", refused_as=DESK),
    Case("cashier.void", lambda w, u: cashier.void(u, w.receipt.id, "收错金额", ok()), {"cash.take"}),
    # the cashier's receipt: the desk clerk (cash.desk) reprints only her own
    Case("cashier.reprint", lambda w, u: cashier.reprint(u, w.receipt.id), perms={"cash.take"}),
    Case("cashier.set_invoice", lambda w, u: cashier.set_invoice(u, w.receipt.id, "044001234567")),
    Case("cashier.waive", lambda w, u: cashier.waive(u, w.charge.id, None, "业主住院", approver=ok()),
         {"cash.take"}),
    Case("cashier.refund", lambda w, u: cashier.refund(u, w.house.id, "deposit", 1_000, ok(),
                                                       item_code="renovation_deposit", reason="装修完毕"),
         {"cash.take"}),
    Case("cashier.day_summary", lambda w, u: cashier.day_summary(u, u.id, NOW.date()), {"cash.desk"}, "own day"),
    Case("cashier.day_summary", lambda w, u: cashier.day_summary(u, w.other.id, NOW.date()), {"cash.approve"},
         "another's day"),
    Case("cashier.close_day", lambda w, u: cashier.close_day(u, 0)),
    Case("cashier.reopen_day", lambda w, u: cashier.reopen_day(u, w.cashier.id, w.closed_day, "补录漏收")),
    Case("cashier.statement", lambda w, u: cashier.statement(u, w.house.id, D(2026, 1, 1), NOW.date())),
    # complaints
    Case("complaints.record", lambda w, u: complaints.record(u, name="李四", what="电梯异响", house_id=w.house.id)),
    Case("complaints.classify", lambda w, u: complaints.classify(u, w.complaint.id, "minor")),
    Case("complaints.answer", lambda w, u: complaints.answer(u, w.complaint.id, "已联系施工方"), {"service.desk"}),
    Case("complaints.handle", lambda w, u: complaints.handle(u, w.complaint.id, "已要求停工"), {"service.desk"}),
    Case("complaints.follow_up", lambda w, u: complaints.follow_up(u, w.complaint.id, "告知明日处理"),
         {"service.desk"}),
    Case("complaints.escalate", lambda w, u: complaints.escalate(u, w.complaint.id, "工程部 王经理")),
    Case("complaints.close", lambda w, u: complaints.close(u, w.complaint.id, "已处理")),
    Case("complaints.summarise", lambda w, u: complaints.summarise(u, w.closed_complaint.id, "夜间施工巡查")),
    Case("complaints.open_complaints", lambda w, u: complaints.open_complaints(u)),
    Case("complaints.day_review", lambda w, u: complaints.day_review(u, NOW.date())),
    Case("complaints.week_summary", lambda w, u: complaints.week_summary(u, NOW.date())),
    Case("complaints.get", lambda w, u: complaints.get(u, w.complaint.id)),
    Case("complaints.history", lambda w, u: complaints.history(u)),
    # documents
    Case("documents.set_document", lambda w, u: documents.set_document(u, w.house.id, "covenant", received=True)),
    Case("documents.missing_by_building", lambda w, u: documents.missing_by_building(u)),
    Case("due_now.due_now", lambda w, u: due_now.due_now(u)),
    # dunning
    Case("dunning.ladder", lambda w, u: dunning.ladder(u, w.house.id)),
    Case("dunning.history", lambda w, u: dunning.history(u, w.house.id)),
    Case("dunning.log_call", lambda w, u: dunning.log_call(u, w.house.id, "promised", promised_on=D(2026, 11, 30))),
    Case("dunning.notices", lambda w, u: dunning.notices(u, "notice", [w.house.id])),
    Case("dunning.record_sent", lambda w, u: dunning.record_sent(u, "notice", w.notices, "print")),
    Case("dunning.next_steps", lambda w, u: dunning.next_steps(u, [w.house.id], {w.house.id: 1_000})),
    Case("dunning.dunning_batch", lambda w, u: dunning.dunning_batch(u), {"fees.view"}),
    # estate
    Case("estate.update_profile", lambda w, u: estate.update_profile(u, name="翠湖花园")),
    Case("estate.create_building", lambda w, u: estate.create_building(u, "5")),
    Case("estate.create_unit", lambda w, u: estate.create_unit(u, w.building.id, "3")),
    Case("estate.create_house", lambda w, u: estate.create_house(u, w.unit.id, number="1501", area="90")),
    Case("estate.update_house", lambda w, u: estate.update_house(u, w.house.id, household_notes="业主在外地"),
         {"archive.edit"}),
    Case("estate.update_house", lambda w, u: estate.update_house(u, w.house.id, area="90.00"),
         {"archive.edit", "estate.edit"}, "area"),
    Case("estate.house_page", lambda w, u: estate.house_page(u)),
    Case("estate.house_ids", lambda w, u: estate.house_ids(u)),
    Case("exporting.houses", lambda w, u: exporting.houses(u, w.tmp / f"houses-{u.username}.xlsx")),
    Case("exporting.arrears_report", lambda w, u: exporting.arrears_report(u, w.tmp / f"arrears-{u.username}.xlsx"),
         via="arrears.by_house"),
    Case("exporting.collection_report", lambda w, u: exporting.collection_report(
        u, w.tmp / f"collection-{u.username}.xlsx", "2026-11"), via="arrears.collection"),
    Case("exporting.day_close_report", lambda w, u: exporting.day_close_report(
        u, w.tmp / f"day-{u.username}.xlsx", w.other.id, NOW.date()), {"cash.approve"}, via="cashier.day_summary"),
    # fees
    Case("fees.update_item", lambda w, u: fees.update_item(u, "service", unit_price="2.6000")),
    Case("pricelist.save", lambda w, u: pricelist.save(u, name=f"装灯-{u.username}", item_code="service_paid",
                                                       pricing="unit", price="10.00", unit="个")),
    Case("fees.subscribe", lambda w, u: fees.subscribe(u, w.house2.id, "service", starts=D(2026, 12, 1))),
    Case("fees.end_subscription", lambda w, u: fees.end_subscription(u, w.water.id, D(2026, 12, 31))),
    Case("fees.subscribe_many", lambda w, u: fees.subscribe_many(u, "waste", [w.house.id, w.house2.id])),
    # handbook
    Case("handbook.contacts", lambda w, u: handbook.contacts(u)),
    Case("handbook.save_contact", lambda w, u: handbook.save_contact(u, category="locksmith", name="平安开锁",
                                                                     phone="13912345678")),
    Case("handbook.delete_contact", lambda w, u: handbook.delete_contact(u, w.contact.id), {"estate.edit"}),
    Case("handbook.price_list", lambda w, u: handbook.price_list(u)),
    Case("handbook.save_price", lambda w, u: handbook.save_price(u, name="疏通下水道", price="50", unit="次")),
    Case("handbook.delete_price", lambda w, u: handbook.delete_price(u, w.price.id), {"estate.edit"}),
    # importing: the permission follows the kind of rows
    Case("importing.check", lambda w, u: importing.check(u, "houses", w.sheet, importing.guess(
        "houses", w.sheet.headers)), {"estate.edit"}, "houses"),
    Case("importing.check", lambda w, u: importing.check(u, "residents", w.sheet, {}), {"archive.edit"},
         "residents"),
    Case("importing.check", lambda w, u: importing.check(u, "balances", w.sheet, {}), {"fees.setup"}, "balances"),
    Case("importing.run", lambda w, u: importing.run(u, "houses", w.sheet, importing.guess(
        "houses", w.sheet.headers)), {"estate.edit"}),
    # keys
    Case("keys.get_loan", lambda w, u: keys.get_loan(u, w.loans[0].id)),
    Case("keys.add_key", lambda w, u: keys.add_key(u, tag="P-01", name="水泵房", kind="public",
                                                   responsible="工程部 刘工")),
    Case("keys.register", lambda w, u: keys.register(u)),
    Case("keys.lend", lambda w, u: keys.lend(u, w.key.id, Borrower("owner", "张三", id_number=GOOD_ID))),
    Case("keys.authorise", lambda w, u: keys.authorise(u, w.house.id, name="李师傅", id_number="44030519900101123X",
                                                       letter_received=True, confirmed_how="phone",
                                                       confirmed_at=NOW - datetime.timedelta(hours=1))),
    Case("keys.withdraw", lambda w, u: keys.withdraw(u, w.authorisation.id, "业主收回委托")),
    Case("keys.authorisations", lambda w, u: keys.authorisations(u, w.house.id)),
    Case("keys.give_back", lambda w, u: keys.give_back(u, w.loans[0].id), {"desk.keys"}),
    Case("keys.lost", lambda w, u: keys.lost(u, w.loans[1].id, "业主告知遗失"), {"desk.keys"}),
    Case("keys.hand_back_for_good", lambda w, u: keys.hand_back_for_good(u, w.loans[2].id, "业主领回"),
         {"desk.keys"}),
    Case("keys.loans_out", lambda w, u: keys.loans_out(u)),
    Case("keys.overdue", lambda w, u: keys.overdue(u), {"desk.keys"}),
    Case("keys.count_sheet", lambda w, u: keys.count_sheet(u)),
    Case("keys.record_check", lambda w, u: keys.record_check(u, "客服主管 赵", {w.key.id: 0})),
    # lending
    Case("lending.add_item", lambda w, u: lending.add_item(u, tag="T-02", name="推车")),
    Case("lending.items", lambda w, u: lending.items(u)),
    Case("lending.lend", lambda w, u: lending.lend(u, w.item2.id, borrower="李四", condition="完好")),
    Case("lending.take_back", lambda w, u: lending.take_back(u, w.item_loan.id, condition="完好")),
    Case("lending.loans_out", lambda w, u: lending.loans_out(u)),
    Case("lending.get_loan", lambda w, u: lending.get_loan(u, w.item_loan.id)),
    Case("lending.overdue", lambda w, u: lending.overdue(u), {"desk.keys"}),
    # meters
    Case("meters.grid", lambda w, u: meters.grid(u, "water", "2026-11")),
    Case("meters.save", lambda w, u: meters.save(u, "2026-11", [Entry(w.water.id, 12)])),
    Case("meters.set_meter", lambda w, u: meters.set_meter(u, w.water.id, serial="W-0001", digits=5, initial=0)),
    Case("meters.import_workbook", lambda w, u: meters.import_workbook(u, "water", "2026-11", w.readings,
                                                                       write=True)),
    Case("meters.set_share", lambda w, u: meters.set_share(u, "shared", "2026-11", 10_000, building_id=w.building.id)),
    # owners
    Case("owners.add_owner", lambda w, u: owners.add_owner(u, w.house2.id, name="李四")),
    Case("owners.link_owner", lambda w, u: owners.link_owner(u, w.house2.id, w.owner.id)),
    Case("owners.end_ownership", lambda w, u: owners.end_ownership(u, w.ownership.id, NOW.date())),
    Case("owners.update_owner", lambda w, u: owners.update_owner(u, w.owner.id, occupation="医生")),
    Case("owners.add_resident", lambda w, u: owners.add_resident(u, w.house.id, kind="tenant", name="张飞")),
    Case("owners.update_resident", lambda w, u: owners.update_resident(u, w.tenant.id, phone="13700001234")),
    Case("owners.move_out", lambda w, u: owners.move_out(u, w.tenant.id)),
    Case("owners.house_archive", lambda w, u: owners.house_archive(u, w.house.id)),
    Case("owners.archives_for_cards", lambda w, u: list(owners.archives_for_cards(u, [w.house.id]))),
    Case("owners.cards_handed_out", lambda w, u: owners.cards_handed_out(u, "3栋", 1, "print")),
    Case("owners.owner_archive", lambda w, u: owners.owner_archive(u, w.owner.id)),
    Case("owners.reveal", lambda w, u: owners.reveal(u, "owner", w.owner.id, "id_number")),
    Case("owners.find_owners", lambda w, u: owners.find_owners(u, "张")),
    # parcels
    Case("parcels.receive", lambda w, u: parcels.receive(u, house_id=w.house.id, tracking="YT9876543210",
                                                         shelf="A1", safe=True)),
    Case("parcels.refuse", lambda w, u: parcels.refuse(u, tracking="JD0001", reason="电视机,易碎")),
    Case("parcels.waiting", lambda w, u: parcels.waiting(u)),
    Case("parcels.waiting_by_age", lambda w, u: parcels.waiting_by_age(u), {"desk.parcels"}),
    Case("parcels.by_code", lambda w, u: parcels.by_code(u, w.parcel.code)),
    Case("parcels.get", lambda w, u: parcels.get(u, w.parcel.id)),
    Case("parcels.pick_up", lambda w, u: parcels.pick_up(u, w.parcel.id), {"desk.parcels"}, "free"),
    Case("parcels.pick_up", lambda w, u: parcels.pick_up(u, w.late_parcel.id, tendered=1_000),
         {"desk.parcels", "cash.desk"}, "fee"),
    Case("parcels.mark_called", lambda w, u: parcels.mark_called(u, [w.parcel.id])),
    Case("parcels.of_house", lambda w, u: parcels.of_house(u, w.house.id)),
    Case("parcels.day_list", lambda w, u: parcels.day_list(u, NOW.date())),
    # repairs
    Case("repairs.save_technician", lambda w, u: repairs.save_technician(u, name="陈师傅")),
    Case("repairs.report", lambda w, u: repairs.report(u, reporter="李四", what="灯不亮", category="electric",
                                                       house_id=w.house.id)),
    Case("repairs.answer", lambda w, u: repairs.answer(u, w.repair.id, "师傅十分钟内到")),
    Case("repairs.dispatch", lambda w, u: repairs.dispatch(u, w.repair.id, w.technician.id,
                                                           NOW + datetime.timedelta(hours=2))),
    Case("repairs.complete", lambda w, u: repairs.complete(u, w.dispatched.id, done_at=NOW)),
    Case("repairs.visit", lambda w, u: repairs.visit(u, w.done.id, ok=True)),
    Case("repairs.cancel", lambda w, u: repairs.cancel(u, w.repair.id, "业主自行修好")),
    Case("repairs.get", lambda w, u: repairs.get(u, w.repair.id)),
    Case("repairs.numbered", lambda w, u: repairs.numbered(u, w.repair.number_text)),
    Case("repairs.history", lambda w, u: repairs.history(u, house_id=w.house.id)),
    Case("repairs.open_repairs", lambda w, u: repairs.open_repairs(u)),
    Case("repairs.month_figures", lambda w, u: repairs.month_figures(u, "2026-11")),
    Case("search.search", lambda w, u: search.search(u, "1201")),
    Case("arrears.page", lambda w, u: arrears.page(u)),
    Case("arrears.owing", lambda w, u: arrears.owing(u)),
    Case("arrears.owing_ids", lambda w, u: arrears.owing_ids(u)),
    Case("search.the_house", lambda w, u: search.the_house(u, "3-2-1201")),
    Case("settings.update", lambda w, u: settings.update({"key_due_days": 3}, user=u)),
    # the office's printed forms (套打 templates)
    Case("templates.save", lambda w, u: templates.save(u, templates.Template("receipt", f"表-{u.username}", 241, 93.1,
                                                                             items=w.form.items))),
    Case("templates.import_file", lambda w, u: templates.import_file(u, w.form_file, name=f"导入-{u.username}"),
         {"settings.edit"}),
    Case("templates.delete", lambda w, u: templates.delete(u, "receipt", "三联收据")),
    # users
    Case("users.unlock", lambda w, u: users.unlock(u, w.other.id)),
    Case("users.create_user", lambda w, u: users.create_user(u, f"new-{u.username}", "s3cret-pass", ["clerk"])),
    Case("users.update_user", lambda w, u: users.update_user(u, w.other.id, full_name="孙")),
    Case("users.approve", lambda w, u: users.approve(u.username, "secret1", "cash.approve"), {"cash.approve"}),
    # a house's history
    Case("history.of_house", lambda w, u: history.of_house(u, w.house.id)),
    # move-in
    Case("messages.take", lambda w, u: messages.take(u, caller="张三", for_whom="经理", about="回电")),
    Case("messages.get", lambda w, u: messages.get(u, w.message.id)),
    Case("messages.done", lambda w, u: messages.done(u, w.message.id, "已转告")),
    Case("messages.to_repair", lambda w, u: messages.to_repair(u, w.message.id, category="water"),
         {"desk.parcels", "service.desk"}),
    Case("messages.to_complaint", lambda w, u: messages.to_complaint(u, w.message.id),
         {"desk.parcels", "service.desk"}),
    Case("messages.open_messages", lambda w, u: messages.open_messages(u)),
    Case("messages.search", lambda w, u: messages.search(u, "张三")),
    Case("shifts.hand_over", lambda w, u: shifts.hand_over(u, "secret1", note="无事", cash=10_000)),
    Case("shifts.confirm", lambda w, u: shifts.confirm(u, w.handover.id, "secret1")),
    Case("shifts.get", lambda w, u: shifts.get(u, w.handover.id)),
    Case("shifts.items_of", lambda w, u: shifts.items_of(u, w.handover.id)),
    Case("shifts.history", lambda w, u: shifts.history(u)),
    Case("shifts.desk_clerks", lambda w, u: shifts.desk_clerks(u)),
    Case("visitors.come_in", lambda w, u: visitors.come_in(u, name="刘备", house_id=w.house.id, confirmed_by="张三")),
    Case("visitors.go_out", lambda w, u: visitors.go_out(u, w.visitor.id)),
    Case("visitors.inside", lambda w, u: visitors.inside(u)),
    Case("visitors.search", lambda w, u: visitors.search(u, "刘")),
    Case("visitors.still_inside", lambda w, u: visitors.still_inside(u), {"desk.parcels"}),
    Case("passes.people_of", lambda w, u: passes.people_of(u, w.house.id)),
    Case("passes.owed_now", lambda w, u: passes.owed_now(u, w.house.id)),
    Case("passes.issue", lambda w, u: passes.issue(u, house_id=w.house.id, applicant="张三", items="旧沙发"),
         {"desk.parcels", "fees.view"}),
    Case("passes.get", lambda w, u: passes.get(u, w.release_pass.id)),
    Case("passes.numbered", lambda w, u: passes.numbered(u, w.release_pass.number_text)),
    Case("passes.used", lambda w, u: passes.used(u, w.release_pass.id, "已出")),
    Case("passes.void", lambda w, u: passes.void(u, w.release_pass.id, "改期")),
    Case("passes.search", lambda w, u: passes.search(u, "沙发")),
    Case("left_items.leave", lambda w, u: left_items.leave(u, kind="letter", what="信件", for_whom="张三")),
    Case("left_items.collect", lambda w, u: left_items.collect(u, w.left_item.id, collected_by="张三")),
    Case("left_items.search", lambda w, u: left_items.search(u)),
    Case("facilities.add", lambda w, u: facilities.add(u, kind="lift", name="1号电梯", place="1栋")),
    Case("facilities.update", lambda w, u: facilities.update(u, w.facility.id, count=40)),
    Case("facilities.get", lambda w, u: facilities.get(u, w.facility.id)),
    Case("facilities.register", lambda w, u: facilities.register(u)),
    Case("facilities.fault", lambda w, u: facilities.fault(u, w.facility.id, what="灯不亮")),
    Case("facilities.fixed", lambda w, u: facilities.fixed(u, w.facility.id)),
    Case("facilities.maintained", lambda w, u: facilities.maintained(u, w.facility.id)),
    Case("facilities.events", lambda w, u: facilities.events(u, w.facility.id)),
    Case("facilities.intact_rate", lambda w, u: facilities.intact_rate(u)),
    Case("facilities.due", lambda w, u: facilities.due(u, NOW)),
    Case("patrols.save_route", lambda w, u: patrols.save_route(u, "夜巡", ["大门", "车库"])),
    Case("patrols.routes", lambda w, u: patrols.routes(u)),
    Case("patrols.checkpoints", lambda w, u: patrols.checkpoints(u, w.route.id)),
    Case("patrols.start", lambda w, u: patrols.start(u, w.route.id, "保安老陈")),
    Case("patrols.get", lambda w, u: patrols.get(u, w.patrol.id)),
    Case("patrols.check", lambda w, u: patrols.check(u, w.patrol.id, checkpoint_id=w.checkpoint.id)),
    Case("patrols.checks", lambda w, u: patrols.checks(u, w.patrol.id)),
    Case("patrols.unchecked", lambda w, u: patrols.unchecked(u, w.patrol.id), {"service.desk"}),
    Case("patrols.finish", lambda w, u: patrols.finish(u, w.patrol.id, "车库未去")),
    Case("patrols.rounds", lambda w, u: patrols.rounds(u)),
    Case("patrols.missing_today", lambda w, u: patrols.missing_today(u)),
    Case("incidents.open_incident", lambda w, u: incidents.open_incident(
        u, kind="flood", happened_at=NOW - datetime.timedelta(minutes=5), place="地下车库", what="积水")),
    Case("incidents.get", lambda w, u: incidents.get(u, w.incident.id)),
    Case("incidents.step", lambda w, u: incidents.step(u, w.incident.id, kind="called", at=NOW, who="电梯公司")),
    Case("incidents.steps", lambda w, u: incidents.steps(u, w.incident.id)),
    Case("incidents.close", lambda w, u: incidents.close(u, w.incident.id, "已解除")),
    Case("incidents.search", lambda w, u: incidents.search(u)),
    Case("movein.get", lambda w, u: movein.get(u, w.mi_papers.id)),
    Case("movein.open_case", lambda w, u: movein.open_case(u, w.mi_house.id)),
    Case("movein.start", lambda w, u: movein.start(u, w.house.id, planned=NOW.date())),
    Case("movein.notice_printed", lambda w, u: movein.notice_printed(u, w.mi_papers.id)),
    Case("movein.receive_papers", lambda w, u: movein.receive_papers(u, w.mi_papers.id, ["covenant"]),
         {"service.desk", "archive.edit"}),
    Case("movein.add_defect", lambda w, u: movein.add_defect(u, w.mi_inspect.id, place="厨房", what="地砖开裂")),
    Case("movein.inspected", lambda w, u: movein.inspected(u, w.mi_inspect.id), {"service.desk", "archive.edit"}),
    Case("movein.hand_keys", lambda w, u: movein.hand_keys(u, w.mi_keys.id, count=2, which="入户门钥匙2把"),
         {"service.desk", "desk.keys"}),
    Case("movein.set_handover", lambda w, u: movein.set_handover(u, w.mi_handover.id, on=NOW.date()),
         {"service.desk", "archive.edit"}),
    Case("movein.counter_amount", lambda w, u: movein.counter_amount(u, w.mi_money.id), {"service.desk"}),
    Case("movein.finish_without_charges", lambda w, u: movein.finish_without_charges(u, w.mi_money.id, "开发商代缴")),
    Case("movein.waiting", lambda w, u: movein.waiting(u)),
    Case("keys.hand_over_house_keys", lambda w, u: keys.hand_over_house_keys(u, w.mi_house.id, "赵六", "入住移交")),
    # a house sold
    Case("resale.standing", lambda w, u: resale.standing(u, w.house.id), {"archive.edit", "fees.view"}),
    Case("resale.transfer", lambda w, u: resale.transfer(u, w.house.id, on=NOW.date(), arrears="carried",
                                                         new_owner=dict(name=f"新业主{u.username}")),
         {"archive.edit", "fees.view"}),
    # renovations
    Case("renovation.get", lambda w, u: renovation.get(u, w.reno.id)),
    Case("renovation.numbered", lambda w, u: renovation.numbered(u, w.reno.number_text), {"service.desk"}),
    Case("renovation.apply", lambda w, u: renovation.apply(
        u, w.empty.id, applicant="张三", contractor="顺达装饰", licence="91110000MA01ABCD3X", scope="刷墙",
        planned_start=D(2026, 11, 24), planned_end=D(2026, 11, 30), workers=[renovation.NewWorker("李四", GOOD_ID)])),
    Case("renovation.add_workers", lambda w, u: renovation.add_workers(
        u, w.reno.id, [renovation.NewWorker("王五", RENO_IDS[u.username])])),
    Case("renovation.approve", lambda w, u: renovation.approve(u, w.reno.id, "desk")),
    Case("renovation.sign", lambda w, u: renovation.sign(u, w.reno_approved.id), {"service.desk", "archive.edit"}),
    Case("renovation.counter_lines", lambda w, u: renovation.counter_lines(u, w.reno_approved.id), {"service.desk"}),
    Case("renovation.issue_permit", lambda w, u: renovation.issue_permit(u, w.reno_paid.id)),
    Case("renovation.extend", lambda w, u: renovation.extend(u, w.reno_work.id, D(2027, 1, 31), "延期")),
    Case("renovation.inspect", lambda w, u: renovation.inspect(u, w.reno_work.id, findings="正常")),
    Case("renovation.check_rectification", lambda w, u: renovation.check_rectification(u, w.rectification.id)),
    Case("renovation.start_test", lambda w, u: renovation.start_test(u, w.reno_work.id, area="厨房")),
    Case("renovation.read_test", lambda w, u: renovation.read_test(u, w.water_test.id, passed=True)),
    Case("renovation.final_inspection", lambda w, u: renovation.final_inspection(u, w.reno_final.id, passed=True)),
    Case("renovation.refund", lambda w, u: renovation.refund(
        u, w.reno_done.id, [], users.approve("zhao", "secret1", "cash.approve"))),
    Case("renovation.cases", lambda w, u: renovation.cases(u)),
    Case("renovation.month", lambda w, u: renovation.month(u, 2026, 11)),
    Case("renovation.due", lambda w, u: renovation.due(u)),
    # visits
    Case("vacant.houses", lambda w, u: vacant.houses(u)),
    Case("vacant.due", lambda w, u: vacant.due(u)),
    Case("vacant.record", lambda w, u: vacant.record(u, w.empty.id, doors_ok=True, water_power_ok=True, no_leaks=True,
                                                     no_smells=True)),
    Case("vacant.history", lambda w, u: vacant.history(u, w.empty.id)),
    Case("visits.get", lambda w, u: visits.get(u, w.visit.id)),
    Case("visits.plan", lambda w, u: visits.plan(u, w.clerk.id, w.building.id, "2026-12")),
    Case("visits.plans", lambda w, u: visits.plans(u, "2026-11")),
    Case("visits.record", lambda w, u: visits.record(u, w.house2.id, opinion="满意")),
    Case("visits.followed_up", lambda w, u: visits.followed_up(u, w.visit.id)),
    Case("visits.month_stats", lambda w, u: visits.month_stats(u, "2026-11")),
    Case("visits.set_survey", lambda w, u: visits.set_survey(u, 2027, "2027年业主意见征询表", [("总体满意度", "score")])),
    Case("visits.enter_answers", lambda w, u: visits.enter_answers(u, w.survey.id, w.house.id, {w.question.id: 4})),
    Case("visits.tally", lambda w, u: visits.tally(u, w.survey.id)),
    Case("visits.of_month", lambda w, u: visits.of_month(u, "2026-11")),
    Case("visits.clerks", lambda w, u: visits.clerks(u)),
    Case("visits.buildings", lambda w, u: visits.buildings(u)),
    Case("visits.survey_of", lambda w, u: visits.survey_of(u, 2026)),
]

# guarded functions no role × action row can call: why, and where they are kept so
NOT_IN_MATRIX = {
    "billing.charge_for": "posted only inside an action that checked its own permission (parcels.pick_up, "
                          "repairs.complete: their rows); by hand a one-off charge goes through "
                          "billing.post_charge",
    "users.redeem": "takes an Approval that only users.approve gives (its row is users.approve); "
                    "a redeemed approval's refusals: tests/security/test_money_paths.py",
    "users.change_own_password": "a signed-in user's own password, checked against the current one "
                                 "(tests/models/test_users_and_audit.py)",
    "audit.record": "the audit log itself, written inside each guarded action",
    "movein.money_taken": "called only inside cashier.take_payment's transaction (its `also`); its rule: "
                          "tests/models/test_movein.py",
    "fees.start_fee": "started only by a move-in's handover (movein.set_handover: its row), which checked its "
                      "own permission",
    "renovation.receipt_voided": "called only inside cashier.void's transaction (its row checks cash.take and a "
                                 "supervisor's approval); its rules: tests/models/test_renovation.py",
    "movein.receipt_voided": "called only inside cashier.void's transaction; its rule: tests/models/test_movein.py",
    "renovation.money_taken": "called only inside cashier.take_payment's transaction (its `also`), after the "
                              "payment's own checks; its refusals: tests/models/test_renovation.py",
    "audit.refused": "the audit log itself: the entry of a refusal (checked by every row here)",
}


# --- the checks ----------------------------------------------------------------------------

def fingerprint() -> str:
    """Every row of every table but the audit log's, hashed: a refusal leaves it as it was."""
    digest = hashlib.sha256()
    for table in sorted(set(db.database.get_tables()) - AUDIT_TABLES):
        rows = db.database.execute_sql(f'SELECT * FROM "{table}"').fetchall()
        digest.update(json.dumps([table, sorted(map(repr, rows))], ensure_ascii=False).encode("utf-8"))
    return digest.hexdigest()


def _refused_in_log(user, permission: str) -> list[dict]:
    return [json.loads(e.detail) for e in audit.AuditEntry.select().where(
        audit.AuditEntry.action == "permission.refused", audit.AuditEntry.user_id == user.id)
        if json.loads(e.detail).get("permission") == permission]


def _prepare(w: World, case: Case) -> None:
    """What a case needs beyond the world (made only for it: the fingerprint is taken after)."""
    if case.name == "backup.restore":
        (w.tmp / "backups").mkdir()
        w.backup = backup.create(w.tmp / "backups", keep=False)
    if case.name == "users.unlock":  # sun typed wrong passwords until locked
        with db.atomic():
            audit.record(w.other, "login.locked", "user", w.other.id, w.other.username,
                         {"failures": 5, "until": (NOW + datetime.timedelta(minutes=15)).isoformat(sep=" ")})
    if case.name.startswith("renovation."):  # each step's case: made only for these rows
        _renovations(w)
    if case.name.startswith("movein.") or case.name == "keys.hand_over_house_keys":
        _moveins(w)
    if case.name.startswith(("messages.", "shifts.")):
        w.message = messages.take(w.other, caller="张三", for_whom="经理", about="厨房漏水，请回电", house_id=w.house.id,
                                  phone="13900001111")
        w.handover = shifts.hand_over(w.other, "secret1", note="两把钥匙未还", cash=125_000)
    if case.name.startswith(("visitors.", "passes.", "left_items.", "facilities.", "patrols.", "incidents.")):
        _desk_registers(w)
    if case.name == "dunning.record_sent":
        w.notices = dunning.notices(w.supervisor, "notice", [w.house.id])
    if case.id == "parcels.pick_up[fee]":
        with clock.frozen(NOW - datetime.timedelta(days=3)):
            w.late_parcel = parcels.receive(w.clerk, house_id=w.house2.id, tracking="ZT5550001111", courier="中通",
                                               shelf="B2", safe=True)


def _may(role: str, case: Case) -> bool:
    return case.may(role)


@pytest.mark.parametrize("case", [pytest.param(c, id=c.id, marks=c.marks) for c in CASES])
def test_each_role_may_do_what_its_permissions_say_and_no_more(world, case):
    _prepare(world, case)
    role_user = {users.CLERK: world.clerk, users.CASHIER: world.cashier, users.SUPERVISOR: world.supervisor,
                 users.ADMIN: world.admin}
    refused = [r for r in ROLES if not _may(r, case)]
    allowed = [r for r in ROLES if _may(r, case)]
    problems = []
    for role in refused:  # first, while the office is as the world made it
        u = role_user[role]
        before = fingerprint()
        logged = {p: len(_refused_in_log(u, p)) for p in case.named}
        try:
            case.call(world, u)
        except PermissionDenied as e:
            if e.permission not in case.named:
                problems.append(f"{role}: refused for {e.permission}, not for {sorted(case.named)}")
        except Exception as e:  # noqa: BLE001 - the matrix reports every outcome but the refusal
            problems.append(f"{role}: {type(e).__name__}: {e} instead of PermissionDenied")
            continue
        else:
            problems.append(f"{role}: allowed without {sorted(case.named - users.PERMISSIONS[role])}")
            continue
        if fingerprint() != before:
            problems.append(f"{role}: the refusal wrote to the office's tables")
        if not any(len(_refused_in_log(u, p)) > logged[p] for p in case.named):
            problems.append(f"{role}: the refusal is not in the audit log as permission.refused")
    if allowed:  # deactivated at another PC after signing in: the open window's user object is refused
        role = allowed[0]
        u = role_user[role]
        users.User.update(active=False).where(users.User.id == u.id).execute()
        try:
            before = fingerprint()
            try:
                case.call(world, u)
            except PermissionDenied:
                if fingerprint() != before:
                    problems.append(f"{role} deactivated: the refusal wrote to the office's tables")
            except OfficeError as e:  # their own name and password, as a deactivated user's: refused
                if e.template != "Wrong user name or password":
                    problems.append(f"{role} deactivated: {type(e).__name__}: {e} instead of PermissionDenied")
                elif fingerprint() != before:
                    problems.append(f"{role} deactivated: the refusal wrote to the office's tables")
            except Exception as e:  # noqa: BLE001
                problems.append(f"{role} deactivated: {type(e).__name__}: {e} instead of PermissionDenied")
            else:
                problems.append(f"{role} deactivated after signing in: allowed all the same")
        finally:
            users.User.update(active=True).where(users.User.id == u.id).execute()
    done, reasons = [], []
    for role in allowed:
        u = role_user[role]
        logged = {p: len(_refused_in_log(u, p)) for p in case.named}
        try:
            case.call(world, u)
            done.append(role)
        except PermissionDenied as e:
            if e.permission in case.named:
                problems.append(f"{role}: refused {e.permission}, which {role} has")
        except OfficeError as e:  # reached: refused by the office's rules (done by another role …)
            reasons.append(f"{role}: {e}")
        except Exception as e:  # noqa: BLE001
            problems.append(f"{role}: {type(e).__name__}: {e}")
        if any(len(_refused_in_log(u, p)) > logged[p] for p in case.named & users.PERMISSIONS[role]):
            problems.append(f"{role}: logged as refused {sorted(case.named)}, which {role} has")
    if allowed and not done:  # the row's arguments are right: the one who may, does
        problems.append(f"none of {allowed} got it done: {reasons}")
    assert not problems, "\n".join(problems)


def test_the_matrix_holds_every_guarded_function_of_the_core():
    """A new office action that checks a permission needs its row: here, or (with the reason
    nobody can call it as a role) in NOT_IN_MATRIX."""
    assert len(GUARDED) > 100  # the source was read (a broken scan would pass everything)
    in_matrix = {c.name for c in CASES}
    missing = sorted(set(GUARDED) - in_matrix - set(NOT_IN_MATRIX))
    assert not missing, f"guarded functions without a row in the role matrix: {missing}"
    unchecked = sorted(WRITERS - in_matrix - set(NOT_IN_MATRIX))
    assert not unchecked, f"core functions that write with no permission check and no matrix row: {unchecked}"
    for case in CASES:
        if case.via:
            assert case.via in GUARDED and case.name not in GUARDED, case.id
    stale = sorted((in_matrix | set(NOT_IN_MATRIX)) - set(GUARDED) - WRITERS)
    assert not stale, f"rows for functions that no longer check a permission: {stale}"


def test_each_row_needs_permissions_its_module_names():
    """A row's permissions are ones its function names, or its module (a permission by kind,
    as importing's): the matrix cannot drift from the code to made-up permissions."""
    known = set().union(*users.PERMISSIONS.values())
    for case in CASES:
        module = (case.via or case.name).split(".")[0]
        source = (MODELS / f"{module}.py").read_text(encoding="utf-8")
        in_module = {c.value for c in ast.walk(ast.parse(source))
                     if isinstance(c, ast.Constant) and c.value in known}
        assert case.named and case.named <= in_module, (case.id, sorted(case.named), sorted(in_module))


def test_every_role_is_refused_something_and_the_roles_are_the_four_of_the_office():
    assert set(users.PERMISSIONS) == set(ROLES)
    for role in ROLES:
        assert any(not _may(role, c) for c in CASES), f"{role} may do everything"


def test_every_permission_is_named_in_the_clerks_words_when_it_is_refused():
    from models.errors import PermissionDenied

    every = set().union(*users.PERMISSIONS.values())
    for permission in sorted(every):
        said = str(PermissionDenied(permission))
        assert permission not in said, said  # "You may not service.desk" said nothing to a clerk
