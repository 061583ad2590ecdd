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


def urgency(line: Line) -> tuple:
    """The order of today's list, what needs doing now first: the office's data at risk (a
    failed self-check, no backup ever made), then what is overdue, the latest first (a
    backup a day late before a repair an hour late), then what falls due later today,
    soonest first."""
    rank = 0 if line.at_risk else 1 if line.left.overdue else 2
    return rank, line.what != "integrity", not line.what.startswith("audit."), line.due, line.number
