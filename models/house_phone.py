"""Whom to call about a house, for the intake forms (repairs, complaints, parcels): the
house's first owner, as the archive lists them, with their phone. A clerk sees the phone
masked (138****5678, DOMAIN Decisions: a full phone is revealed by a supervisor); the
masked number typed back at intake stands for the owner's full number, which the record
keeps and the work order prints."""
from __future__ import annotations

from dataclasses import dataclass

from models import validation


@dataclass(frozen=True)
class Contact:
    name: str
    phone_shown: str  # masked, as the intake form shows it


def _people(house_id: int) -> list:
    from models.owners import Owner, Ownership

    return list(Owner.select(Owner.name, Owner.phone, Owner.phone2).join(Ownership)
                .where((Ownership.house == house_id) & Ownership.until.is_null())
                .order_by(Ownership.is_primary.desc(), Ownership.id))


def of_house(house_id: int | None) -> Contact | None:
    """The house's first owner and their phone (masked), or None when it has no owner."""
    if not house_id:
        return None
    people = _people(house_id)
    if not people:
        return None
    first = next((o for o in people if o.phone or o.phone2), people[0])
    return Contact(first.name, validation.mask_phone(first.phone or first.phone2))


def full_phone(house_id: int | None, typed: str) -> str:
    """The phone to keep: a masked number of one of the house's owners (as the form showed
    it) becomes that owner's full number; anything else is kept as typed."""
    typed = (typed or "").strip()
    if not house_id or "*" not in typed:
        return typed
    for owner in _people(house_id):
        for phone in (owner.phone, owner.phone2):
            if phone and validation.mask_phone(phone) == typed:
                return phone
    return typed
