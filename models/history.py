"""A house's story in one list (issue 20): owners over time, residents moving in and out,
repairs, complaints, return visits, parcels, keys and items lent, renovations, vacant-house
inspections, charges posted and receipts (refunds and voids among them), newest first.
Each event names the record it opens (its table and id), so the house page can take the
clerk to it."""
from __future__ import annotations

import datetime
from dataclasses import dataclass

from models import money, users
from models.errors import NotFound, QT_TRANSLATE_NOOP
from models.estate import House

KINDS = {
    "owner": QT_TRANSLATE_NOOP("Office", "Owner"),
    "resident": QT_TRANSLATE_NOOP("Office", "Resident"),
    "repair": QT_TRANSLATE_NOOP("Office", "Repair"),
    "complaint": QT_TRANSLATE_NOOP("Office", "Complaint"),
    "visit": QT_TRANSLATE_NOOP("Office", "Return visit"),
    "parcel": QT_TRANSLATE_NOOP("Office", "Parcel"),
    "key_loan": QT_TRANSLATE_NOOP("Office", "Key lent"),
    "item_loan": QT_TRANSLATE_NOOP("Office", "Item lent"),
    "renovation": QT_TRANSLATE_NOOP("Office", "Renovation"),
    "vacant": QT_TRANSLATE_NOOP("Office", "Vacant-house inspection"),
    "charge": QT_TRANSLATE_NOOP("Office", "Charge"),
    "receipt": QT_TRANSLATE_NOOP("Office", "Receipt"),
}


ACTIONS = {
    "owner_since": QT_TRANSLATE_NOOP("Office", "became the owner"),
    "owner_until": QT_TRANSLATE_NOOP("Office", "no longer the owner"),
    "moved_in": QT_TRANSLATE_NOOP("Office", "moved in"),
    "moved_out": QT_TRANSLATE_NOOP("Office", "moved out"),
    "reported": QT_TRANSLATE_NOOP("Office", "reported"),
    "recorded": QT_TRANSLATE_NOOP("Office", "recorded"),
    "visited": QT_TRANSLATE_NOOP("Office", "visited"),
    "waiting": QT_TRANSLATE_NOOP("Office", "taken in, waiting"),
    "picked_up": QT_TRANSLATE_NOOP("Office", "taken in, picked up"),
    "lent": QT_TRANSLATE_NOOP("Office", "lent"),
    "handed_over": QT_TRANSLATE_NOOP("Office", "handed over for good"),
    "applied": QT_TRANSLATE_NOOP("Office", "applied"),
    "inspected": QT_TRANSLATE_NOOP("Office", "inspected"),
    "posted": QT_TRANSLATE_NOOP("Office", "posted"),
    "paid": QT_TRANSLATE_NOOP("Office", "paid"),
    "refunded": QT_TRANSLATE_NOOP("Office", "paid back"),
    "voided": QT_TRANSLATE_NOOP("Office", "voided"),
}


@dataclass(frozen=True)
class Event:
    at: datetime.datetime
    kind: str  # a key of KINDS
    action: str  # a key of ACTIONS
    number: str  # the record's number where it has one (WX2026-0012, 2026-000123)
    text: str  # what it is about, as the office wrote it (a name, a repair's words, an amount)
    table: str  # the record it opens: repair, complaint, parcel, key_loan, renovation, receipt …
    record_id: int


def _at(value) -> datetime.datetime | None:
    """A stored date or time as a datetime; None for text that is no date (an old import's)."""
    if isinstance(value, datetime.datetime):
        return value
    if isinstance(value, datetime.date):
        return datetime.datetime.combine(value, datetime.time())
    try:
        return datetime.datetime.fromisoformat(str(value))
    except ValueError:
        return None


def of_house(user, house_id: int, *, since: datetime.datetime | None = None) -> list[Event]:
    """Everything the office recorded of the house (since `since`, default all), newest
    first. Money needs fees.view; the rest the archive's archive.view."""
    users.require(user, "archive.view")
    from models import (billing, cashier, complaints, keys, lending, owners, parcels, renovation, repairs, vacant,
                        visits)

    house = House.get_or_none(House.id == house_id)
    if house is None:
        raise NotFound(QT_TRANSLATE_NOOP("Office", "This house no longer exists"))
    out: list[Event] = []

    def add(at, kind, action, number, text, table, record_id):
        if at is None:
            return
        at = _at(at)
        if at is not None and (since is None or at >= since):
            out.append(Event(at, kind, action, number, text, table, record_id))

    for o in (owners.Ownership.select(owners.Ownership, owners.Owner).join(owners.Owner)
              .where(owners.Ownership.house == house_id)):
        add(o.since, "owner", "owner_since", "", o.owner.name, "house", house_id)
        add(o.until, "owner", "owner_until", "", o.owner.name, "house", house_id)
    for r in owners.Resident.select().where(owners.Resident.house == house_id):
        add(r.moved_in, "resident", "moved_in", "", r.name, "house", house_id)
        add(r.moved_out, "resident", "moved_out", "", r.name, "house", house_id)
    for r in (repairs.Repair.select(repairs.Repair.id, repairs.Repair.year, repairs.Repair.number,
                                    repairs.Repair.reported_at, repairs.Repair.what, repairs.Repair.state)
              .where(repairs.Repair.house == house_id)):
        add(r.reported_at, "repair", "reported", r.number_text, r.what, "repair", r.id)
    for c in (complaints.Complaint.select(complaints.Complaint.id, complaints.Complaint.year,
                                          complaints.Complaint.number, complaints.Complaint.recorded_at,
                                          complaints.Complaint.what, complaints.Complaint.kind)
              .where(complaints.Complaint.house == house_id)):
        add(c.recorded_at, "complaint", "recorded", c.number_text, c.what, "complaint", c.id)
    for v in visits.Visit.select().where(visits.Visit.house == house_id):
        add(v.visited_at, "visit", "visited", "", v.opinion, "visit", v.id)
    for p in (parcels.Parcel.select(parcels.Parcel.id, parcels.Parcel.tracking, parcels.Parcel.courier,
                                    parcels.Parcel.received_at, parcels.Parcel.picked_up_at)
              .where(parcels.Parcel.house == house_id)):
        add(p.received_at, "parcel", "picked_up" if p.picked_up_at else "waiting", p.tracking, p.courier, "parcel",
            p.id)
    for k in (keys.KeyLoan.select(keys.KeyLoan, keys.DeskKey).join(keys.DeskKey)
              .where(keys.DeskKey.house == house_id)):
        handed = k.state == "handed_back" and k.closed_at == k.lent_at  # a move-in's keys, to the owner for good
        add(k.lent_at, "key_loan", "handed_over" if handed else "lent", k.key.tag, f"{k.key.name} → {k.borrower}",
            "key_loan", k.id)
    for i in (lending.ItemLoan.select(lending.ItemLoan, lending.LendItem).join(lending.LendItem)
              .where(lending.ItemLoan.house == house_id)):
        add(i.lent_at, "item_loan", "lent", i.item.tag, f"{i.item.name} → {i.borrower}", "item_loan", i.id)
    for r in renovation.Renovation.select().where(renovation.Renovation.house == house_id):
        add(r.applied_at, "renovation", "applied", r.number_text, f"{r.contractor} {r.scope}", "renovation", r.id)
    for v in vacant.VacantInspection.select().where(vacant.VacantInspection.house == house_id):
        add(v.inspected_at, "vacant", "inspected", "", v.findings, "vacant", house_id)
    if users.has(user, "fees.view"):
        for c in (billing.Charge.select(billing.Charge.id, billing.Charge.posted_at, billing.Charge.amount,
                                        billing.Charge.period, billing.Charge.description, cashier.FeeItem.name)
                  .join(cashier.FeeItem).where(billing.Charge.house == house_id).tuples()):
            charge_id, posted, amount, period, description, name = c
            words = " ".join(x for x in (name, period, description) if x)
            add(posted, "charge", "posted", "", f"{words} {money.fmt(amount)}", "charge", charge_id)
        for r in (cashier.Receipt.select(cashier.Receipt.id, cashier.Receipt.number_text, cashier.Receipt.created_at,
                                         cashier.Receipt.total, cashier.Receipt.kind, cashier.Receipt.void,
                                         cashier.Receipt.voided_at)
                  .where(cashier.Receipt.house == house_id)):
            add(r.created_at, "receipt", "refunded" if r.kind == "refund" else "paid", r.number_text,
                money.fmt(r.total), "receipt", r.id)
            if r.void:
                add(r.voided_at, "receipt", "voided", r.number_text, money.fmt(r.total), "receipt", r.id)
    out.reverse()  # at the same moment, what was added later is newer (a sale's new owner after the old)
    out.sort(key=lambda e: e.at, reverse=True)
    return out
