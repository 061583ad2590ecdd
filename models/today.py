"""What needs the clerk today, on one list (scenario 1): keys and lent items past their due
time, parcels waiting past their free time, and the service desk's deadlines (repairs
waiting for the dispatch answer, appointments, return visits, complaints' answers), each
with its time left or overdue, most urgent first. Each line names its record."""
from __future__ import annotations

import datetime
from dataclasses import dataclass

from models import clock, deadlines, due_now, keys, lending, parcels, users
from models.errors import QT_TRANSLATE_NOOP

WHAT = {
    "key": QT_TRANSLATE_NOOP("Office", "Key not back"),
    "item": QT_TRANSLATE_NOOP("Office", "Lent item not back"),
    "parcel": QT_TRANSLATE_NOOP("Office", "Parcel waiting past the free time"),
    "message": QT_TRANSLATE_NOOP("Office", "Message to answer"),
    "handover": QT_TRANSLATE_NOOP("Office", "Shift handover to take over"),
    "visitor": QT_TRANSLATE_NOOP("Office", "Visitor still inside"),
    "patrol": QT_TRANSLATE_NOOP("Office", "Today's patrol"),
    "facilities": QT_TRANSLATE_NOOP("Office", "Facilities intact below the target"),
    "maintenance": QT_TRANSLATE_NOOP("Office", "Facility maintenance due"),
    "expired": QT_TRANSLATE_NOOP("Office", "Facility past its date"),
    "incident": QT_TRANSLATE_NOOP("Office", "Incident open"),
    "backup": QT_TRANSLATE_NOOP("Office", "Back up the office"),
    "backup.missed": QT_TRANSLATE_NOOP("Office", "Last night's backup did not come"),
    "integrity": QT_TRANSLATE_NOOP("Office", "The database failed its daily self-check: back it up and call for help"),
    # the audit log's chain broken (models/audit.verify), for the administrator; No. and About name the entry
    "audit.deleted": QT_TRANSLATE_NOOP("Office", "Audit entries deleted by hand"),
    "audit.changed": QT_TRANSLATE_NOOP("Office", "An audit entry changed by hand"),
    "audit.reordered": QT_TRANSLATE_NOOP("Office", "Audit entries moved out of order"),
    "audit.inserted": QT_TRANSLATE_NOOP("Office", "A forged audit entry added"),
    **due_now.WHAT,
}


@dataclass(frozen=True)
class Line:
    what: str  # a key of WHAT
    due: datetime.datetime
    number: str  # a key's tag, a parcel's code, a repair's or complaint's number
    about: str
    table: str  # key_loan / item_loan / parcel / repair / complaint / backup / audit
    record_id: int
    left: deadlines.Left
    at_risk: bool = False  # the office's data unprotected: no backup ever, a failed self-check
    labels: tuple[str, ...] = ()  # English labels the window adds to `about`, translated (the papers missing)


def lines(user, at: datetime.datetime | None = None) -> list[Line]:
    """Everything the user's work has due by the end of today, in the order of `urgency`."""
    at = at or clock.now()
    out: list[Line] = []
    if users.has(user, "desk.keys"):
        for o in keys.overdue(user, at):
            loan = o.loan
            out.append(Line("key", loan.due_at, loan.key.tag, f"{loan.key.name} {loan.borrower}", "key_loan", loan.id,
                            deadlines.left(loan.due_at, at)))
        for loan in lending.overdue(user, at):
            out.append(Line("item", loan.due_at, loan.item.tag, f"{loan.item.name} {loan.borrower}", "item_loan",
                            loan.id, deadlines.left(loan.due_at, at)))
    if users.has(user, "desk.parcels"):
        free = datetime.timedelta(hours=parcels.FeeRule.from_settings().free_hours)
        for aged in parcels.waiting_by_age(user, at):
            if aged.overdue:
                p = aged.parcel
                house = p.house.label if p.house_id else ""
                out.append(Line("parcel", p.received_at + free, p.code, f"{house} {p.recipient} {p.shelf}".strip(),
                                "parcel", p.id, deadlines.left(p.received_at + free, at)))
    if users.has(user, "desk.parcels"):
        out += _registers(user, at)
    if users.has(user, "backup.run"):
        from models import backup

        due = backup.reminder_due(at)
        if due is not None and due <= deadlines.same_day(at):
            done = backup.last()
            about = f"{done[0]:%Y-%m-%d %H:%M}  {done[1]}" if done else ""
            from models import schedule

            scheduled = schedule.current()
            if scheduled is not None:  # a night missed: the last good one's time, where they should be
                about = " → ".join(part for part in (f"{done[0]:%Y-%m-%d %H:%M}" if done else "", scheduled.folder)
                                   if part)
                out.append(Line("backup.missed", due, scheduled.at, about, "backup", 0, deadlines.left(due, at),
                                at_risk=True))
            else:
                out.append(Line("backup", due, "", about, "backup", 0, deadlines.left(due, at),
                                at_risk=done is None))
        checked = backup.last_check()
        if checked is not None and not checked[1]:
            out.append(Line("integrity", checked[0], "", "", "backup", 0, deadlines.left(checked[0], at),
                            at_risk=True))
    if users.has(user, "users.manage"):  # the administrator
        from models import audit

        checked = audit.last_check()
        if checked is not None and checked[1] is not None:
            b = checked[1]
            out.append(Line(f"audit.{b.kind}", checked[0], f"#{b.entry_id}" if b.entry_id is not None else "",
                            f"{b.at:%Y-%m-%d %H:%M:%S}" if b.at else "", "audit", b.entry_id or 0,
                            deadlines.left(checked[0], at), at_risk=True))
    if users.has(user, "service.desk"):
        out += [Line(d.what, d.due, d.number, d.about, d.table, d.record_id, d.left, labels=d.labels)
                for d in due_now.due_now(user, at)]
    out.sort(key=urgency)
    return out


def _registers(user, at: datetime.datetime) -> list[Line]:
    """The desk's registers' open items: messages not yet answered (all of them, until
    done), handovers waiting for this clerk."""
    from models import messages, shifts

    out = []
    for m in messages.open_messages(user):
        house = m.house.label if m.house_id else ""
        about = " ".join(x for x in (f"{m.for_whom}:", house, m.caller, m.about) if x)
        out.append(Line("message", m.due, m.number_text, about[:120], "desk_message", m.id, deadlines.left(m.due, at)))
    for h in shifts.pending_for(user):
        about = users.display_name_of(h.by_id) + (f"  {h.note.splitlines()[0][:60]}" if h.note else "")
        out.append(Line("handover", h.at, f"{h.at:%H:%M}", about, "shift_handover", h.id, deadlines.left(h.at, at)))
    from models import visitors

    for v, due in visitors.still_inside(user, at):
        about = f"{v.house.label} {v.name}" + (f" {v.plate}" if v.plate else "")
        out.append(Line("visitor", due, f"{v.in_at:%m-%d %H:%M}", about, "visitor", v.id, deadlines.left(due, at)))
    if users.has(user, "service.desk"):
        out += _safety(user, at)
    return out


def _safety(user, at: datetime.datetime) -> list[Line]:
    """Today's patrol not yet walked; the intact rate below its target; facilities due for
    maintenance or past their date; incidents not yet closed."""
    from models import facilities, incidents, patrols

    out = []
    due = patrols.missing_today(user, at)
    if due is not None:
        out.append(Line("patrol", due, f"{due:%H:%M}", "", "patrol", 0, deadlines.left(due, at)))
    rate = facilities.intact_rate(user)
    if rate.below_target:
        faulty = facilities.register(user, faulty_only=True)
        about = "、".join(f"{f.name} {f.faulty}" for f in faulty[:4])
        since = facilities.last_fault_at() or at
        out.append(Line("facilities", since, f"{rate.percent_text}%", about, "facility", faulty[0].id if faulty else 0,
                        deadlines.left(since, at)))
    for what, f, when in facilities.due(user, at):
        out.append(Line(what, when, f.name, f"{f.place} {f.contractor}".strip(), "facility", f.id,
                        deadlines.left(when, at)))
    for i in incidents.search(user, open_only=True, limit=50):
        out.append(Line("incident", i.opened_at, i.number_text, f"{i.place} {i.what}"[:120], "incident", i.id,
                        deadlines.left(i.opened_at, at)))
    return out


def urgency(line: Line) -> tuple:
    """The order of today's list, what needs doing now first: the office's data at risk (a
    failed self-check, no backup ever made), then what is overdue, the latest first (a
    backup a day late before a repair an hour late), then what falls due later today,
    soonest first."""
    rank = 0 if line.at_risk else 1 if line.left.overdue else 2
    return rank, line.what != "integrity", not line.what.startswith("audit."), line.due, line.number
