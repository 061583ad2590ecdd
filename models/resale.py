"""A house sold (过户, issue 20): the new owner takes over in one step. The old owners'
ownerships end on the day of the sale and stay in the archive as history; what the house
still owes is either settled at the counter first or carried over to the new owner, as the
office decides; deposits and prepaid money held for the house move across to the new owner
(or are paid back to the old one at the counter first); the old owner's standing key
authorisations end, and the old household moves out when the office says so. All of it in
one transaction, audited as one change."""
from __future__ import annotations

import datetime
from dataclasses import dataclass

from models import audit, cashier, clock, keys, money, owners, users, validation
from models.db import atomic
from models.errors import NotFound, OfficeError, QT_TRANSLATE_NOOP, ValidationError
from models.estate import House

ARREARS = {
    "settled": QT_TRANSLATE_NOOP("Office", "Settled at the counter before the sale"),
    "carried": QT_TRANSLATE_NOOP("Office", "Carried over to the new owner"),
}


@dataclass(frozen=True)
class Standing:
    """What a sale of the house takes over, as it stands now."""
    house_id: int
    label: str
    owners: list[str]  # the owners now
    owed: int  # fen the house owes today, late fees included
    held: list[cashier.Held]  # deposits and prepayments held for the house
    authorisations: list[str]  # names on the standing key authorisation
    residents: list[str]  # who lives there now
    keys_in_custody: int  # the house's keys the desk keeps


def standing(user, house_id: int) -> Standing:
    users.require(user, "archive.edit")
    users.require(user, "fees.view")  # what the house owes and holds
    house = House.get_or_none(House.id == house_id)
    if house is None:
        raise NotFound(QT_TRANSLATE_NOOP("Office", "This house no longer exists"))
    current = (owners.Ownership.select(owners.Ownership, owners.Owner).join(owners.Owner)
               .where(owners.Ownership.house == house_id, owners.Ownership.until.is_null())
               .order_by(owners.Ownership.is_primary.desc(), owners.Ownership.id))
    owed = sum(o.total for o in cashier.owed(user, house_id))
    held = cashier.money_held(user, house_id)
    auths = [a.name for a in keys.KeyAuthorisation.select().where(keys.KeyAuthorisation.house == house_id,
                                                                    keys.KeyAuthorisation.ended_at.is_null())]
    living = [r.name for r in owners.Resident.select().where(owners.Resident.house == house_id,
                                                               owners.Resident.moved_out.is_null())]
    custody = keys.DeskKey.select().where(keys.DeskKey.house == house_id, keys.DeskKey.active == True).count()  # noqa: E712
    return Standing(house.id, house.label, [o.owner.name for o in current], owed, held, auths, living, custody)


def transfer(user, house_id: int, *, on: datetime.date, arrears: str, new_owner: dict,
             old_household_moves_out: bool = True, note: str = "") -> owners.Owner:
    """The house sold on `on` to `new_owner` (the owner's fields: name, id_type, id_number,
    phone …). `arrears`: "settled" refuses the sale while the house owes anything (take the
    payment first); "carried" leaves what is owed on the house for the new owner, said in
    the audit. Refused by its field, nothing written."""
    users.require(user, "archive.edit")
    errors: dict = {}
    if arrears not in ARREARS:
        errors["arrears"] = (QT_TRANSLATE_NOOP("Office", "Choose one of the list"), {})
    if not isinstance(on, datetime.date) or isinstance(on, datetime.datetime):
        errors["on"] = (QT_TRANSLATE_NOOP("Office", "Enter a date"), {})
    elif on > clock.today():
        errors["on"] = (QT_TRANSLATE_NOOP("Office", "The date cannot be in the future"), {})
    note = validation.check_text(errors, "note", note, 200)
    try:
        owners._clean_owner(dict(new_owner), partial=False)
    except ValidationError as e:
        errors.update(e.fields)
    if errors:
        raise ValidationError(errors)
    with atomic():
        now = standing(user, house_id)
        current = list(owners.Ownership.select().where(owners.Ownership.house == house_id,
                                                       owners.Ownership.until.is_null()))
        if not current:
            raise OfficeError(QT_TRANSLATE_NOOP(
                "Office", "{house} has no owner on file: add the owner instead"), house=now.label)
        latest = max((o.since for o in current if o.since), default=None)
        if latest is not None and on < latest:
            raise ValidationError({"on": (QT_TRANSLATE_NOOP(
                "Office", "The sale cannot be before {date}, when the owner now on file took the house"),
                {"date": latest.isoformat()})})
        if arrears == "settled" and now.owed > 0:
            raise ValidationError({"arrears": (QT_TRANSLATE_NOOP(
                "Office", "The house still owes {owed}: take the payment at the counter first, or carry it over "
                          "to the new owner"), {"owed": money.fmt(now.owed)})})
        for link in current:
            owners.end_ownership(user, link.id, on)
        if old_household_moves_out:
            for r in owners.Resident.select().where(owners.Resident.house == house_id,
                                                    owners.Resident.moved_out.is_null()):
                owners.move_out(user, r.id, max(on, r.moved_in) if r.moved_in else on)
        ended = []
        for a in keys.KeyAuthorisation.select().where(keys.KeyAuthorisation.house == house_id,
                                                      keys.KeyAuthorisation.ended_at.is_null()):
            a.ended_at, a.ended_by = clock.now(), user.id
            a.note = "房屋过户"
            a.save()
            ended.append(a.name)
        owner = owners.add_owner(user, house_id, since=on, primary=True, **new_owner)
        audit.record(user, "house.resale", "house", house_id, f"{now.label} {'、'.join(now.owners)} → {owner.name}",
                     {"on": on.isoformat(), "from": now.owners, "to": owner.name, "arrears": arrears,
                      "owed": now.owed, "held_moved": [[h.kind, h.item_code or "", h.amount] for h in now.held],
                      "authorisations_ended": ended, "moved_out": now.residents if old_household_moves_out else [],
                      "keys_in_custody": now.keys_in_custody, "note": note})
    return owner
