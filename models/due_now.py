"""What is due at the desk now: repairs waiting for the dispatch answer, appointments
promised, return visits, and complaints' first answers, reports up, a major one's clear
answer and resolutions; each
with its deadline, computed from the rules and the clock, soonest (most overdue) first."""
from __future__ import annotations

import datetime
from dataclasses import dataclass

import peewee as pw

from models import clock, complaints, deadlines, repairs, users
from models.errors import QT_TRANSLATE_NOOP

WHAT = {
    "dispatch": QT_TRANSLATE_NOOP("Office", "Answer about dispatch"),
    "appointment": QT_TRANSLATE_NOOP("Office", "Repair promised"),
    "visit": QT_TRANSLATE_NOOP("Office", "Return visit"),
    "first_answer": QT_TRANSLATE_NOOP("Office", "First answer to the complaint"),
    "escalate": QT_TRANSLATE_NOOP("Office", "Report the complaint up"),
    "answer": QT_TRANSLATE_NOOP("Office", "Clear answer to the complaint"),
    "resolve": QT_TRANSLATE_NOOP("Office", "Resolve the complaint"),
    "vacant": QT_TRANSLATE_NOOP("Office", "Inspect the vacant house"),
    "rectify": QT_TRANSLATE_NOOP("Office", "Renovation: check the rectification"),
    "test": QT_TRANSLATE_NOOP("Office", "Read the waterproofing test"),
    "overrun": QT_TRANSLATE_NOOP("Office", "Renovation past its end"),
    "after_hours": QT_TRANSLATE_NOOP("Office", "Works out of hours"),
    "movein": QT_TRANSLATE_NOOP("Office", "Move-in waiting"),
    "debris": QT_TRANSLATE_NOOP("Office", "Renovation: debris taken away?"),
}


@dataclass(frozen=True)
class Due:
    what: str  # a key of WHAT
    due: datetime.datetime
    number: str  # WX2026-0012, TS2026-0003
    about: str  # the house or place and what it is about
    table: str  # repair / complaint / vacant (a house) / renovation
    record_id: int
    left: deadlines.Left
    labels: tuple[str, ...] = ()  # English labels the window adds to `about`, translated


def due_now(user, at: datetime.datetime | None = None, horizon: datetime.datetime | None = None) -> list[Due]:
    """Every deadline not yet met that falls by `horizon` (default: the end of today),
    overdue ones included."""
    users.require(user, "service.desk")
    at = at or clock.now()
    horizon = horizon or deadlines.same_day(at)
    out: list[Due] = []
    from models.estate import House

    rows = (repairs.Repair.select(repairs.Repair, House.id, House.label).join(House, pw.JOIN.LEFT_OUTER)
            .where(repairs.Repair.state.in_(("waiting", "dispatched", "done"))))
    for r in rows:
        item = repairs.next_deadline(r)
        if item is not None and item[1] <= horizon:
            about = " ".join(x for x in (r.house.label if r.house_id else "", r.place, r.what) if x)
            out.append(Due(item[0], item[1], r.number_text, about, "repair", r.id, deadlines.left(item[1], at)))
    calendar = deadlines.Calendar.from_settings()
    for c in (complaints.Complaint.select(complaints.Complaint, House.id, House.label)
              .join(House, pw.JOIN.LEFT_OUTER)
              .where(complaints.Complaint.closed_at.is_null(), complaints.Complaint.kind == "complaint")):
        about = " ".join(x for x in (c.house.label if c.house_id else "", c.what) if x)
        for d in complaints.pending(c, calendar):
            if d.due <= horizon:
                out.append(Due(d.what, d.due, c.number_text, about, "complaint", c.id, deadlines.left(d.due, at)))
    from models import vacant

    for v in vacant.due(user, at, horizon):  # how late it is says the weeks missed
        out.append(Due("vacant", v.due, v.label, v.owner_names, "vacant", v.house_id, deadlines.left(v.due, at)))
    from models import renovation

    for r in renovation.due(user, at, horizon):
        out.append(Due(r.what, r.due, r.number, r.about, "renovation", r.case_id, deadlines.left(r.due, at)))
    from models import documents, movein

    for m in movein.waiting(user, at):
        if m.due <= horizon:
            names = tuple(documents.ITEMS[i][1] for i in m.missing) or (movein.STEPS[m.step],)
            out.append(Due("movein", m.due, m.label, m.owner, "movein", m.case_id, deadlines.left(m.due, at), names))
    out.sort(key=lambda d: (d.due, d.number))
    return out
