"""Owners (业主), co-owners, household members and tenants (家庭成员/租户).

An owner may hold several houses and a house may have co-owners (Ownership rows). Ending
an ownership or moving a resident out keeps the row with its end date: the archive
keeps its history. ID numbers and phones are personal data: the archive shows them
masked, and revealing one needs the permission and is audited. Opening a house's or an
owner's archive is itself audited (a search result list is not).
"""
from __future__ import annotations

import datetime
from dataclasses import dataclass, field

import peewee as pw

from models import audit, clock, pinyin_index, users, validation
from models.db import BaseModel, atomic
from models.errors import NotFound, QT_TRANSLATE_NOOP, ValidationError
from models.estate import Building, House, Unit

GENDERS = {"": QT_TRANSLATE_NOOP("Office", "Not given"), "male": QT_TRANSLATE_NOOP("Office", "Male"), "female": QT_TRANSLATE_NOOP("Office", "Female")}
RESIDENT_KINDS = {"member": QT_TRANSLATE_NOOP("Office", "Household member"), "tenant": QT_TRANSLATE_NOOP("Office", "Tenant")}
RESIDENT_CATEGORIES = {
    "local": QT_TRANSLATE_NOOP("Office", "Local"),  # 本市
    "nonlocal": QT_TRANSLATE_NOOP("Office", "From elsewhere"),  # 外地
    "overseas": QT_TRANSLATE_NOOP("Office", "From abroad"),  # 境外
    "temporary": QT_TRANSLATE_NOOP("Office", "Temporary"),  # 临时
}
RELATIONS = [QT_TRANSLATE_NOOP("Office", "Spouse"), QT_TRANSLATE_NOOP("Office", "Child"), QT_TRANSLATE_NOOP("Office", "Parent"),
             QT_TRANSLATE_NOOP("Office", "Relative"), QT_TRANSLATE_NOOP("Office", "Tenant"), QT_TRANSLATE_NOOP("Office", "Other")]
EDUCATION = ["", QT_TRANSLATE_NOOP("Office", "Primary school"), QT_TRANSLATE_NOOP("Office", "Middle school"),
             QT_TRANSLATE_NOOP("Office", "High school"), QT_TRANSLATE_NOOP("Office", "College"), QT_TRANSLATE_NOOP("Office", "Bachelor"),
             QT_TRANSLATE_NOOP("Office", "Master or above")]


class Owner(BaseModel):
    name = pw.CharField(max_length=64)
    gender = pw.CharField(max_length=8, default="")
    id_type = pw.CharField(max_length=16, default="resident_id")
    id_number = pw.CharField(max_length=32, default="")
    phone = pw.CharField(max_length=32, default="")
    phone2 = pw.CharField(max_length=32, default="")
    occupation = pw.CharField(max_length=64, default="")
    employer = pw.CharField(max_length=128, default="")
    work_address = pw.CharField(max_length=256, default="")
    education = pw.CharField(max_length=32, default="")
    hometown = pw.CharField(max_length=64, default="")
    note = pw.TextField(default="")
    created_at = pw.DateTimeField(default=datetime.datetime.now)

    class Meta:
        table_name = "owner"

    @property
    def id_masked(self) -> str:
        return validation.mask_id(self.id_number)

    @property
    def phone_masked(self) -> str:
        return validation.mask_phone(self.phone)


def shown(owner: Owner | None) -> Owner | None:
    """The owner as the core hands it out: the ID number masked, as every list and form
    shows it. The full number leaves the core only through `reveal`, which is audited."""
    if owner is not None and not getattr(owner, "_masked", False):
        owner.id_number = validation.mask_id(owner.id_number)
        owner._masked = True
    return owner


class Ownership(BaseModel):
    house = pw.ForeignKeyField(House, backref="ownerships", on_delete="RESTRICT")
    owner = pw.ForeignKeyField(Owner, backref="ownerships", on_delete="RESTRICT")
    is_primary = pw.BooleanField(default=True)
    since = pw.DateField(null=True)
    until = pw.DateField(null=True)

    class Meta:
        table_name = "ownership"


class Resident(BaseModel):
    house = pw.ForeignKeyField(House, backref="residents", on_delete="RESTRICT")
    kind = pw.CharField(max_length=16)
    name = pw.CharField(max_length=64)
    relation = pw.CharField(max_length=32, default="")
    age = pw.IntegerField(null=True)
    phone = pw.CharField(max_length=32, default="")
    category = pw.CharField(max_length=16, default="local")
    moved_in = pw.DateField(null=True)
    moved_out = pw.DateField(null=True)
    note = pw.TextField(default="")

    class Meta:
        table_name = "resident"

    @property
    def phone_masked(self) -> str:
        return validation.mask_phone(self.phone)


class NameKey(BaseModel):
    kind = pw.CharField(max_length=8)
    ref_id = pw.IntegerField()
    key = pw.CharField(max_length=128, index=True)

    class Meta:
        table_name = "name_key"


OWNER_FIELDS = ["name", "gender", "id_type", "id_number", "phone", "phone2", "occupation",
                "employer", "work_address", "education", "hometown", "note"]
RESIDENT_FIELDS = ["kind", "name", "relation", "age", "phone", "category", "moved_in", "note"]


def _reindex(kind: str, ref_id: int, name: str, phones: list[str]) -> None:
    NameKey.delete().where((NameKey.kind == kind) & (NameKey.ref_id == ref_id)).execute()
    rows = [{"kind": kind, "ref_id": ref_id, "key": k} for k in sorted(pinyin_index.keys_for(name, phones))]
    if rows:
        NameKey.insert_many(rows).execute()


def _refresh_owner_names(house_id: int) -> None:
    names = [o.name for o in Owner.select(Owner.name).join(Ownership)
             .where((Ownership.house == house_id) & Ownership.until.is_null())
             .order_by(Ownership.is_primary.desc(), Ownership.id)]
    House.update(owner_names="、".join(names)[:128]).where(House.id == house_id).execute()


def _clean_owner(fields: dict, *, partial: bool) -> dict:
    errors: dict = {}
    clean: dict = {}
    for key, value in fields.items():
        if key not in OWNER_FIELDS:
            raise KeyError(key)
        clean[key] = str(value or "").strip()
    if not partial or "name" in clean:
        if not clean.get("name"):
            errors["name"] = (QT_TRANSLATE_NOOP("Office", "Enter the owner's name"), {})
    if "gender" in clean and clean["gender"] not in GENDERS:
        errors["gender"] = (QT_TRANSLATE_NOOP("Office", "Choose one of the list"), {})
    id_type = clean.get("id_type", "resident_id")
    if id_type not in validation.ID_TYPES:
        errors["id_type"] = (QT_TRANSLATE_NOOP("Office", "Choose one of the list"), {})
    elif "id_number" in clean:
        clean["id_number"] = validation.normalize_id(clean["id_number"])
        message = validation.id_number_error(id_type, clean["id_number"])
        if message:
            errors["id_number"] = (message, {})
        elif id_type == "resident_id" and clean["id_number"] and not clean.get("gender"):
            # the 17th digit of a resident ID is odd for a man, even for a woman
            clean["gender"] = "male" if int(clean["id_number"][16]) % 2 else "female"
    for key in ("phone", "phone2"):
        if key in clean:
            message = validation.phone_error(clean[key])
            if message:
                errors[key] = (message, {})
            else:
                clean[key] = validation.normalize_phone(clean[key])
    validation.check_lengths(Owner, clean, errors)
    if errors:
        raise ValidationError(errors)
    return clean


def _house(house_id: int) -> House:
    h = House.get_or_none(House.id == house_id)
    if h is None:
        raise NotFound(QT_TRANSLATE_NOOP("Office", "This house no longer exists"))
    return h


def add_owner(user, house_id: int, *, since: datetime.date | None = None, primary: bool | None = None,
              **fields) -> Owner:
    """A new owner of `house_id` (the first is the primary owner; later ones co-owners)."""
    users.require(user, "archive.edit")
    clean = _clean_owner(fields, partial=False)
    with atomic():
        house = _house(house_id)
        owner = Owner.create(created_at=clock.now(), **clean)
        _link(house, owner, since, primary)
        _reindex("owner", owner.id, owner.name, [owner.phone, owner.phone2])
        audit.record(user, "owner.create", "owner", owner.id, f"{house.label} {owner.name}",
                     {"house": house.label})
    return shown(owner)


def _link(house: House, owner: Owner, since, primary) -> Ownership:
    current = Ownership.select().where((Ownership.house == house) & Ownership.until.is_null())
    if primary is None:
        primary = not current.exists()
    if primary:
        Ownership.update(is_primary=False).where(
            (Ownership.house == house) & Ownership.until.is_null()).execute()
    link = Ownership.create(house=house, owner=owner, is_primary=primary, since=since)
    _refresh_owner_names(house.id)
    return link


def link_owner(user, house_id: int, owner_id: int, *, since=None, primary: bool | None = None) -> Ownership:
    """An existing owner takes (a share of) another house."""
    users.require(user, "archive.edit")
    with atomic():
        house = _house(house_id)
        owner = Owner.get_or_none(Owner.id == owner_id)
        if owner is None:
            raise NotFound(QT_TRANSLATE_NOOP("Office", "This owner no longer exists"))
        if Ownership.select().where((Ownership.house == house) & (Ownership.owner == owner)
                                    & Ownership.until.is_null()).exists():
            raise ValidationError({"owner": (QT_TRANSLATE_NOOP("Office", "{name} already owns this house"),
                                             {"name": owner.name})})
        link = _link(house, owner, since, primary)
        audit.record(user, "ownership.add", "house", house.id, f"{house.label} {owner.name}",
                     {"owner_id": owner.id})
    link.owner = shown(owner)
    return link


def end_ownership(user, ownership_id: int, until: datetime.date | None = None) -> None:
    """The owner sold or gave up the house; the record stays, with its end date."""
    users.require(user, "archive.edit")
    with atomic():
        link = Ownership.get_or_none(Ownership.id == ownership_id)
        if link is None or link.until is not None:
            raise NotFound(QT_TRANSLATE_NOOP("Office", "This ownership has already ended"))
        link.until = until or clock.today()
        if link.since and link.until < link.since:
            raise ValidationError({"until": (
                QT_TRANSLATE_NOOP("Office", "The end date is before the start date"), {})})
        link.is_primary = False
        link.save()
        rest = (Ownership.select().where((Ownership.house == link.house_id) & Ownership.until.is_null())
                .order_by(Ownership.id))
        if rest.exists() and not rest.where(Ownership.is_primary).exists():
            first = rest.first()
            first.is_primary = True
            first.save()
        _refresh_owner_names(link.house_id)
        audit.record(user, "ownership.end", "house", link.house_id,
                     f"{link.house.label} {link.owner.name}", {"until": link.until})


def update_owner(user, owner_id: int, **fields) -> Owner:
    users.require(user, "archive.edit")
    owner = Owner.get_or_none(Owner.id == owner_id)
    if owner is None:
        raise NotFound(QT_TRANSLATE_NOOP("Office", "This owner no longer exists"))
    if "id_number" in fields and "id_type" not in fields:
        fields["id_type"] = owner.id_type
    if "id_type" in fields and "id_number" not in fields:
        fields["id_number"] = owner.id_number  # the number must suit its new document type
    clean = _clean_owner(fields, partial=True)
    with atomic():
        changes = {}
        for k, v in clean.items():
            if getattr(owner, k) != v:
                # personal data is logged as changed, never written into the log
                masked = k in ("id_number", "phone", "phone2")
                changes[k] = ["***", "***"] if masked else [getattr(owner, k), v]
                setattr(owner, k, v)
        owner.save()
        _reindex("owner", owner.id, owner.name, [owner.phone, owner.phone2])
        for link in owner.ownerships.where(Ownership.until.is_null()):
            _refresh_owner_names(link.house_id)
        if changes:
            audit.record(user, "owner.update", "owner", owner.id, owner.name, changes)
    return shown(owner)


def _clean_resident(fields: dict, *, partial: bool) -> dict:
    errors: dict = {}
    clean: dict = {}
    for key, value in fields.items():
        if key not in RESIDENT_FIELDS:
            raise KeyError(key)
        clean[key] = value.strip() if isinstance(value, str) else value
    if not partial or "name" in clean:
        if not clean.get("name"):
            errors["name"] = (QT_TRANSLATE_NOOP("Office", "Enter the resident's name"), {})
    if not partial or "kind" in clean:
        if clean.get("kind") not in RESIDENT_KINDS:
            errors["kind"] = (QT_TRANSLATE_NOOP("Office", "Choose one of the list"), {})
    if "category" in clean and clean["category"] not in RESIDENT_CATEGORIES:
        errors["category"] = (QT_TRANSLATE_NOOP("Office", "Choose one of the list"), {})
    if clean.get("age") not in (None, ""):
        try:
            clean["age"] = int(clean["age"])
            if not 0 <= clean["age"] <= 130:
                raise ValueError
        except (TypeError, ValueError):
            errors["age"] = (QT_TRANSLATE_NOOP("Office", "Enter an age between 0 and 130"), {})
    elif "age" in clean:
        clean["age"] = None
    if "phone" in clean:
        message = validation.phone_error(clean["phone"] or "")
        if message:
            errors["phone"] = (message, {})
        else:
            clean["phone"] = validation.normalize_phone(clean["phone"] or "")
    if "moved_in" in clean:
        validation.check_date(errors, "moved_in", clean["moved_in"])
    validation.check_lengths(Resident, clean, errors)
    if errors:
        raise ValidationError(errors)
    return clean


def add_resident(user, house_id: int, **fields) -> Resident:
    users.require(user, "archive.edit")
    fields.setdefault("category", "local")
    clean = _clean_resident(fields, partial=False)
    with atomic():
        house = _house(house_id)
        clean.setdefault("moved_in", clock.today())
        resident = Resident.create(house=house, **clean)
        _reindex("resident", resident.id, resident.name, [resident.phone])
        audit.record(user, "resident.create", "resident", resident.id, f"{house.label} {resident.name}",
                     {"kind": resident.kind})
    return resident


def update_resident(user, resident_id: int, **fields) -> Resident:
    users.require(user, "archive.edit")
    clean = _clean_resident(fields, partial=True)
    with atomic():
        resident = Resident.get_or_none(Resident.id == resident_id)
        if resident is None:
            raise NotFound(QT_TRANSLATE_NOOP("Office", "This resident no longer exists"))
        changes = {k: (["***", "***"] if k == "phone" else [getattr(resident, k), v])
                   for k, v in clean.items() if getattr(resident, k) != v}
        for k, v in clean.items():
            setattr(resident, k, v)
        resident.save()
        _reindex("resident", resident.id, resident.name, [resident.phone])
        if changes:
            audit.record(user, "resident.update", "resident", resident.id, resident.name, changes)
    return resident


def move_out(user, resident_id: int, on: datetime.date | None = None) -> Resident:
    """The resident left: the row stays in the archive with the date, out of the current list."""
    users.require(user, "archive.edit")
    with atomic():
        resident = Resident.get_or_none(Resident.id == resident_id)
        if resident is None or resident.moved_out is not None:
            raise NotFound(QT_TRANSLATE_NOOP("Office", "This resident has already moved out"))
        resident.moved_out = on or clock.today()
        if resident.moved_out > clock.today():
            raise ValidationError({"moved_out": (
                QT_TRANSLATE_NOOP("Office", "The date cannot be in the future"), {})})
        if resident.moved_in and resident.moved_out < resident.moved_in:
            raise ValidationError({"moved_out": (
                QT_TRANSLATE_NOOP("Office", "The move-out date is before the move-in date"), {})})
        resident.save()
        audit.record(user, "resident.move_out", "resident", resident.id,
                     f"{resident.house.label} {resident.name}", {"on": resident.moved_out})
    return resident


# --- reading the archive -------------------------------------------------------------

@dataclass
class OwnerLine:
    ownership_id: int
    owner: Owner
    is_primary: bool
    since: datetime.date | None
    until: datetime.date | None


@dataclass
class HouseArchive:
    house: House
    building: Building
    unit: Unit
    owners: list[OwnerLine] = field(default_factory=list)  # current first, then past
    residents: list[Resident] = field(default_factory=list)  # current first, then moved out
    documents: list = field(default_factory=list)


def _read_archive(house: House) -> HouseArchive:
    from models import documents

    unit = house.unit
    archive = HouseArchive(house=house, building=unit.building, unit=unit)
    links = (Ownership.select(Ownership, Owner).join(Owner)
             .where(Ownership.house == house)
             .order_by(Ownership.until.is_null(False), Ownership.is_primary.desc(), Ownership.id))
    archive.owners = [OwnerLine(link.id, shown(link.owner), link.is_primary, link.since, link.until)
                      for link in links]
    archive.residents = list(Resident.select().where(Resident.house == house)
                             .order_by(Resident.moved_out.is_null(False), Resident.id))
    archive.documents = documents.checklist(house.id)
    return archive


def house_archive(user, house_id: int, *, reread: bool = False) -> HouseArchive:
    """Open a house's archive: an audited view. `reread` is the window showing the
    archive it already has open again after a change (the change itself is audited)."""
    users.require(user, "archive.view")
    with atomic():
        archive = _read_archive(_house(house_id))
        if not reread:
            audit.record(user, "house.view", "house", archive.house.id, archive.house.label)
    return archive


def archives_for_cards(user, house_ids: list[int]):
    """The archives of many houses, one after the other, for a batch of archive cards.
    Reading them is not audited house by house: the batch is, once, when its cards are
    printed or saved (cards_handed_out); a batch cancelled before that leaves no entry."""
    users.require(user, "archive.view")
    for house_id in house_ids:
        house = House.get_or_none(House.id == house_id)
        if house is not None:  # removed meanwhile: no card
            yield _read_archive(house)


HAND_OUT = {"print": QT_TRANSLATE_NOOP("Office", "Printed"), "pdf": QT_TRANSLATE_NOOP("Office", "Saved as PDF")}


def cards_handed_out(user, where: str, count: int, how: str) -> None:
    """Archive cards of `count` houses of `where` left the system (how: print / pdf)."""
    users.require(user, "archive.view")
    if how not in HAND_OUT:
        raise ValueError(how)
    with atomic():
        audit.record(user, "archive.print", "estate", None, where, {"houses": count, "how": how})


@dataclass
class OwnerArchive:
    owner: Owner
    houses: list[tuple[House, Ownership]]


def owner_archive(user, owner_id: int) -> OwnerArchive:
    users.require(user, "archive.view")
    with atomic():
        owner = Owner.get_or_none(Owner.id == owner_id)
        if owner is None:
            raise NotFound(QT_TRANSLATE_NOOP("Office", "This owner no longer exists"))
        houses = [(link.house, link) for link in
                  Ownership.select(Ownership, House).join(House).where(Ownership.owner == owner)
                  .order_by(Ownership.until.is_null(False), House.sort_code)]
        audit.record(user, "owner.view", "owner", owner.id, owner.name)
    shown(owner)
    for _house, link in houses:
        link.owner = owner  # not read again, unmasked, through the link
    return OwnerArchive(owner, houses)


REVEALABLE = {("owner", "id_number"), ("owner", "phone"), ("owner", "phone2"), ("resident", "phone")}


def reveal(user, kind: str, ref_id: int, field_name: str) -> str:
    """Show one full ID number or phone: needs the permission, and is audited."""
    if (kind, field_name) not in REVEALABLE:
        raise KeyError((kind, field_name))
    users.require(user, "pii.reveal")
    model = Owner if kind == "owner" else Resident
    with atomic():
        row = model.get_or_none(model.id == ref_id)
        if row is None:
            raise NotFound(QT_TRANSLATE_NOOP("Office", "This record no longer exists"))
        if kind == "resident":
            where = row.house.label
        else:
            where = "、".join(h.label for h in House.select(House.label).join(Ownership).where(
                (Ownership.owner == row.id) & Ownership.until.is_null()))
        audit.record(user, f"{kind}.reveal", kind, row.id, f"{where} {row.name}".strip(),
                     {"field": field_name})
    return getattr(row, field_name)


def has_owner(house_id: int) -> bool:
    """Whether the house has a current owner (a new one is then a co-owner by default)."""
    return Ownership.select().where((Ownership.house == house_id) & Ownership.until.is_null()).exists()


def find_owners(user, text: str, limit: int = 20) -> list[Owner]:
    """Owners whose name, pinyin or phone's last four digits start with `text` (for linking)."""
    from models import search

    users.require(user, "archive.view")
    ids = search.person_ids("owner", text, limit)
    return [shown(o) for o in Owner.select().where(Owner.id.in_(ids))] if ids else []
