"""The one search box: houses by the numbers clerks type (3-2-1201, 3栋2单元1201, 3-1201
when the unit is clear), people by name, full pinyin or initials, and by the last four
digits of a phone. A result list is not an archive view, so it is not audited."""
from __future__ import annotations

import re
from dataclasses import dataclass

import peewee as pw

from models import db, pinyin_index, users, validation
from models.estate import Building, House, Unit
from models.owners import NameKey, Owner, Ownership, Resident


@dataclass
class Hit:
    kind: str  # house / owner / resident
    house_id: int | None
    label: str  # the house label, or "" for an owner without a current house
    name: str  # the person's name, or the house's owners for a house hit
    ref_id: int  # house, owner or resident id
    phone: str = ""  # the person's phone, masked: shows which number a phone search matched


_SEP = r"\s*(?:-|－|—|/|栋|幢|座|号楼|楼)\s*"
_FULL = re.compile(r"^([0-9A-Za-z]+)" + _SEP + r"([0-9A-Za-z]+)\s*(?:-|－|/|单元)\s*([0-9A-Za-z]+)\s*(?:室|号)?$")
_SHORT = re.compile(r"^([0-9A-Za-z]+)" + _SEP + r"([0-9A-Za-z]+)\s*(?:室|号)?$")


def parse_house(text: str) -> tuple[str, str | None, str] | None:
    """'3栋2单元1201' → ('3', '2', '1201'); '3-1201' → ('3', None, '1201'); else None."""
    t = text.strip().upper()
    m = _FULL.match(t)
    if m:
        return m.group(1), m.group(2), m.group(3)
    m = _SHORT.match(t)
    if m:
        return m.group(1), None, m.group(2)
    return None


def label_of(text: str) -> str | None:
    """The label a typed house means: '3栋2单元1201' → '3-2-1201', '3-1201' → '3-1201'."""
    parsed = parse_house(text)
    return "-".join(p for p in parsed if p) if parsed else None


def _house_hits(q: pw.ModelSelect, limit: int) -> list[Hit]:
    return [Hit("house", h.id, h.label, h.owner_names, h.id)
            for h in q.order_by(House.sort_code).limit(limit)]


def find_houses(text: str, limit: int = 50) -> list[Hit]:
    parsed = parse_house(text)
    if parsed:
        b, u, n = parsed
        q = House.select(House.id, House.label, House.owner_names, House.sort_code).join(Unit).join(Building)
        q = q.where((Building.code == b) & (House.number == n))
        if u is not None:
            q = q.where(Unit.code == u)
        return _house_hits(q, limit)
    t = text.strip().upper()
    if re.fullmatch(r"\d{3,5}", t):
        q = House.select(House.id, House.label, House.owner_names, House.sort_code).where(House.number == t)
        return _house_hits(q, limit)
    return []


def _key_matches(prefix: str):
    if db.is_sqlite():
        # a range on the indexed column; keys are ASCII so the next code point bounds it
        return (NameKey.key >= prefix) & (NameKey.key < prefix + "\x7f")
    # LIKE 'x%' served by the text_pattern_ops index (migration 4), whatever the collation;
    # keys hold only [0-9a-z], so nothing in them needs escaping
    return pw.Expression(NameKey.key, pw.OP.LIKE, prefix + "%")


def person_ids(kind: str | None, text: str, limit: int) -> list[int] | list[tuple[str, int]]:
    keys = pinyin_index.query_keys(text)
    if not keys:
        return []
    cond = _key_matches(keys[0])
    if kind:
        cond &= NameKey.kind == kind
    q = (NameKey.select(NameKey.kind, NameKey.ref_id).where(cond).distinct().limit(limit))
    rows = list(q.tuples())
    return [r for _, r in rows] if kind else rows


def find_people(text: str, limit: int = 50) -> list[Hit]:
    found = person_ids(None, text, limit * 2)
    owner_ids = [i for k, i in found if k == "owner"]
    resident_ids = [i for k, i in found if k == "resident"]
    hits: list[Hit] = []
    if owner_ids:
        q = (Owner.select(Owner.id, Owner.name, Ownership.house, House.label, Owner.phone)
             .join(Ownership, pw.JOIN.LEFT_OUTER,
                   on=(Ownership.owner == Owner.id) & Ownership.until.is_null())
             .join(House, pw.JOIN.LEFT_OUTER)
             .where(Owner.id.in_(owner_ids))
             .order_by(Owner.name, House.sort_code).tuples())
        for oid, name, house_id, label, phone in q:
            hits.append(Hit("owner", house_id, label or "", name, oid, validation.mask_phone(phone)))
    if resident_ids:
        q = (Resident.select(Resident.id, Resident.name, Resident.house, House.label, Resident.phone).join(House)
             .where(Resident.id.in_(resident_ids) & Resident.moved_out.is_null())
             .order_by(Resident.name, House.sort_code).tuples())
        for rid, name, house_id, label, phone in q:
            hits.append(Hit("resident", house_id, label, name, rid, validation.mask_phone(phone)))
    return hits[:limit]


def search(user, text: str, limit: int = 50) -> list[Hit]:
    """Everything the box finds for `text`: houses first, then people."""
    users.require(user, "archive.view")
    text = text.strip()
    if not text:
        return []
    if text.isdigit() and len(text) == 4:
        # the last four digits of a phone, or a house number in every building: the
        # people come first, so 400 houses numbered 1101 never hide the owner
        hits = find_people(text, limit)
        return hits + find_houses(text, limit - len(hits))
    hits = find_houses(text, limit)
    if len(hits) < limit:
        hits += find_people(text, limit - len(hits))
    return hits


def the_house(user, text: str) -> House | None:
    """The one house a clerk typed: its label in any spelling (3-2-1201, 3栋2单元1201), else
    the one house a name or phone finds; None when there is none or more than one."""
    users.require(user, "archive.view")
    label = label_of(text)
    if label:
        house = House.get_or_none(House.label == label)
        if house is not None:
            return house
    houses = {h.house_id for h in search(user, text) if h.house_id is not None}
    return House.get_by_id(houses.pop()) if len(houses) == 1 else None
