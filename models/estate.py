"""The estate (小区) and its structure: the profile printed on every paper, and buildings
(楼栋) → units (单元) → houses (房屋) with their floor area, use, property right and state.

Floor areas are exact: an int of hundredths of a square metre (89.50 m² → 8950)."""
from __future__ import annotations

import re
from dataclasses import dataclass

import peewee as pw

from models import audit, users, validation
from models.db import BaseModel, atomic
from models.errors import NotFound, QT_TRANSLATE_NOOP, ValidationError

USES = {
    "residential": QT_TRANSLATE_NOOP("Office", "Residence"),  # 住宅
    "commercial": QT_TRANSLATE_NOOP("Office", "Shop/office"),  # 商铺/办公
    "parking": QT_TRANSLATE_NOOP("Office", "Parking space"),  # 车位
    "storage": QT_TRANSLATE_NOOP("Office", "Storage room"),  # 储藏室/仓库
    "public": QT_TRANSLATE_NOOP("Office", "Public room"),  # 公共用房
}
RIGHT_TYPES = {
    "commodity": QT_TRANSLATE_NOOP("Office", "Commodity housing"),  # 商品房
    "work_unit": QT_TRANSLATE_NOOP("Office", "Work-unit housing"),  # 单位房
    "developer": QT_TRANSLATE_NOOP("Office", "Developer-owned"),  # 开发商产权房
    "foreign": QT_TRANSLATE_NOOP("Office", "Foreign-sale commodity housing"),  # 涉外商品房
}
STATES = {
    "undelivered": QT_TRANSLATE_NOOP("Office", "Not handed over"),  # 未交付
    "vacant": QT_TRANSLATE_NOOP("Office", "Vacant"),  # 空置
    "renovating": QT_TRANSLATE_NOOP("Office", "Renovating"),  # 装修中
    "owner_occupied": QT_TRANSLATE_NOOP("Office", "Owner-occupied"),  # 自住
    "rented": QT_TRANSLATE_NOOP("Office", "Rented"),  # 出租
}


class EstateProfile(BaseModel):
    name = pw.CharField(max_length=128, default="")
    address = pw.CharField(max_length=256, default="")
    postal_code = pw.CharField(max_length=16, default="")
    police_station = pw.CharField(max_length=128, default="")
    households = pw.IntegerField(default=0)
    buildings = pw.IntegerField(default=0)
    shops = pw.IntegerField(default=0)
    parking_spaces = pw.IntegerField(default=0)
    managed_area = pw.BigIntegerField(default=0)
    nearby_schools = pw.TextField(default="")
    office_name = pw.CharField(max_length=128, default="")
    office_phone = pw.CharField(max_length=64, default="")
    office_hours = pw.CharField(max_length=128, default="")
    office_address = pw.CharField(max_length=256, default="")

    class Meta:
        table_name = "estate_profile"


class Building(BaseModel):
    code = pw.CharField(max_length=16, unique=True)
    name = pw.CharField(max_length=64)
    sort_key = pw.IntegerField(default=0, index=True)
    floors = pw.IntegerField(default=0)
    note = pw.TextField(default="")

    class Meta:
        table_name = "building"


class Unit(BaseModel):
    building = pw.ForeignKeyField(Building, backref="units", on_delete="RESTRICT")
    code = pw.CharField(max_length=16)
    name = pw.CharField(max_length=64)

    class Meta:
        table_name = "unit"


class House(BaseModel):
    unit = pw.ForeignKeyField(Unit, backref="houses", on_delete="RESTRICT")
    number = pw.CharField(max_length=16)
    label = pw.CharField(max_length=48, index=True)
    sort_code = pw.CharField(max_length=64, index=True)
    floor = pw.IntegerField(default=0)
    area = pw.IntegerField()
    use = pw.CharField(max_length=16)
    right_type = pw.CharField(max_length=16)
    state = pw.CharField(max_length=16)
    note = pw.TextField(default="")
    special_needs = pw.CharField(max_length=64, default="")
    handover_date = pw.DateField(null=True)
    household_notes = pw.TextField(default="")
    owner_names = pw.CharField(max_length=128, default="")

    class Meta:
        table_name = "house"


# --- floor areas -------------------------------------------------------------------

_AREA = re.compile(r"^(\d+)(?:\.(\d{0,2}))?$")


def parse_area(text: str) -> int:
    """'89.5' → 8950 (hundredths of m²). ValueError for anything else, or more decimals."""
    m = _AREA.match(str(text).strip().removesuffix("m²").removesuffix("㎡").strip())
    if not m:
        raise ValueError(text)
    whole, frac = m.groups()
    return int(whole) * 100 + int((frac or "").ljust(2, "0"))


def fmt_area(hundredths: int) -> str:
    whole, frac = divmod(hundredths, 100)
    return f"{whole}.{frac:02d}"


MAX_HOUSE_AREA = 100_000_000  # 1,000,000 m², in hundredths


def _area_field(errors: dict, field: str, text, maximum: int = MAX_HOUSE_AREA) -> int | None:
    if isinstance(text, int) and not isinstance(text, bool):
        value = text
    else:
        try:
            value = parse_area(text)
        except ValueError:
            errors[field] = (QT_TRANSLATE_NOOP("Office", "Write the area in m² with at most two decimals, like 89.50"), {})
            return None
    if value <= 0:
        errors[field] = (QT_TRANSLATE_NOOP("Office", "The area must be greater than 0"), {})
        return None
    if value > maximum:
        errors[field] = (QT_TRANSLATE_NOOP("Office", "This area is too large; please check it"), {})
        return None
    return value


# --- the profile -------------------------------------------------------------------

PROFILE_FIELDS = ["name", "address", "postal_code", "police_station", "households", "buildings",
                  "shops", "parking_spaces", "managed_area", "nearby_schools", "office_name",
                  "office_phone", "office_hours", "office_address"]
_PROFILE_COUNTS = {"households", "buildings", "shops", "parking_spaces"}
PROFILE_LABELS = {
    "name": QT_TRANSLATE_NOOP("Office", "Estate name"), "address": QT_TRANSLATE_NOOP("Office", "Address"),
    "postal_code": QT_TRANSLATE_NOOP("Office", "Postal code"),
    "police_station": QT_TRANSLATE_NOOP("Office", "Police station"),
    "households": QT_TRANSLATE_NOOP("Office", "Households"), "buildings": QT_TRANSLATE_NOOP("Office", "Buildings"),
    "shops": QT_TRANSLATE_NOOP("Office", "Shops"), "parking_spaces": QT_TRANSLATE_NOOP("Office", "Parking spaces"),
    "managed_area": QT_TRANSLATE_NOOP("Office", "Managed area (m²)"),
    "nearby_schools": QT_TRANSLATE_NOOP("Office", "Nearby schools"),
    "office_name": QT_TRANSLATE_NOOP("Office", "Office name"),
    "office_phone": QT_TRANSLATE_NOOP("Office", "Office phone"),
    "office_hours": QT_TRANSLATE_NOOP("Office", "Opening hours"),
    "office_address": QT_TRANSLATE_NOOP("Office", "Office address"),
}


def profile_lines() -> list[tuple[str, str]]:
    """The estate profile as (label key, text) lines, for the counter's printed page."""
    prof = profile()
    return [(PROFILE_LABELS[key], fmt_area(getattr(prof, key)) if key == "managed_area" else str(getattr(prof, key)))
            for key in PROFILE_FIELDS]


def profile() -> EstateProfile:
    return EstateProfile.get_or_none() or EstateProfile()


def update_profile(user, **fields) -> EstateProfile:
    users.require(user, "estate.edit")
    errors = {}
    clean = {}
    for key, value in fields.items():
        if key not in PROFILE_FIELDS:
            raise KeyError(key)
        if key in _PROFILE_COUNTS:
            clean[key] = validation.check_int(errors, key, str(value).strip() or 0, 0, 10_000_000)
        elif key == "managed_area":
            if str(value).strip() in ("", "0"):
                clean[key] = 0
            else:
                area = _area_field(errors, key, value, maximum=10 ** 12)
                if area is not None:
                    clean[key] = area
        elif key == "postal_code":
            v = str(value).strip()
            if v and not re.fullmatch(r"\d{6}", v):
                errors[key] = (QT_TRANSLATE_NOOP("Office", "A postal code has 6 digits"), {})
            clean[key] = v
        else:
            clean[key] = str(value).strip()
    validation.check_lengths(EstateProfile, clean, errors)
    if errors:
        raise ValidationError(errors)
    with atomic():
        prof = EstateProfile.get_or_none() or EstateProfile.create()
        changes = {k: [getattr(prof, k), v] for k, v in clean.items() if getattr(prof, k) != v}
        for k, v in clean.items():
            setattr(prof, k, v)
        prof.save()
        if changes:
            audit.record(user, "estate.update", "estate", prof.id, ", ".join(sorted(changes)), changes)
    return prof


# --- structure ---------------------------------------------------------------------

def _code(errors: dict, field: str, value: str) -> str:
    v = str(value).strip()
    if not re.fullmatch(r"[0-9A-Za-z]{1,8}", v):
        errors[field] = (QT_TRANSLATE_NOOP("Office", "Use 1 to 8 letters or digits, like 3 or A"), {})
    return v.upper()


def _sort_key(code: str) -> int:
    return int(code) if code.isdigit() else 100000 + sum(ord(c) for c in code)


def create_building(user, code: str, name: str = "", floors: int = 0, note: str = "") -> Building:
    users.require(user, "estate.edit")
    errors: dict = {}
    code = _code(errors, "code", code)
    if not errors and Building.select().where(Building.code == code).exists():
        errors["code"] = (QT_TRANSLATE_NOOP("Office", "Building {code} already exists"), {"code": code})
    floors = validation.check_int(errors, "floors", floors, 0, 300)
    name = name.strip() or f"{code}栋"
    validation.check_lengths(Building, {"name": name}, errors)
    if errors:
        raise ValidationError(errors)
    try:
        with atomic():
            b = Building.create(code=code, name=name, sort_key=_sort_key(code),
                                floors=floors, note=note)
            audit.record(user, "building.create", "building", b.id, b.name)
    except pw.IntegrityError:  # another PC added it a moment ago
        raise ValidationError({"code": (QT_TRANSLATE_NOOP("Office", "Building {code} already exists"),
                                        {"code": code})}) from None
    return b


def create_unit(user, building_id: int, code: str, name: str = "") -> Unit:
    users.require(user, "estate.edit")
    errors: dict = {}
    code = _code(errors, "code", code)
    building = Building.get_or_none(Building.id == building_id)
    if building is None:
        raise NotFound(QT_TRANSLATE_NOOP("Office", "This building no longer exists"))
    if not errors and Unit.select().where((Unit.building == building) & (Unit.code == code)).exists():
        errors["code"] = (QT_TRANSLATE_NOOP("Office", "Unit {code} already exists in this building"), {"code": code})
    name = name.strip() or f"{code}单元"
    validation.check_lengths(Unit, {"name": name}, errors)
    if errors:
        raise ValidationError(errors)
    try:
        with atomic():
            u = Unit.create(building=building, code=code, name=name)
            audit.record(user, "unit.create", "unit", u.id, f"{building.name}{u.name}")
    except pw.IntegrityError:  # another PC added it a moment ago
        raise ValidationError({"code": (QT_TRANSLATE_NOOP("Office", "Unit {code} already exists in this building"),
                                        {"code": code})}) from None
    return u


def house_label(building_code: str, unit_code: str, number: str) -> str:
    return f"{building_code}-{unit_code}-{number}"


def _natural(code: str) -> str:
    return code.zfill(8) if code.isdigit() else "~" + code


def house_sort_code(building_code: str, unit_code: str, number: str) -> str:
    """3-2-1201 sorts after 3-2-902 and before 10-1-101."""
    return "/".join(_natural(c) for c in (building_code, unit_code, number))


def _house_fields(errors: dict, fields: dict) -> dict:
    clean = {}
    if "number" in fields:
        number = str(fields["number"]).strip().upper()
        if not re.fullmatch(r"[0-9A-Za-z]{1,8}", number):
            errors["number"] = (QT_TRANSLATE_NOOP("Office", "Use 1 to 8 letters or digits, like 1201"), {})
        clean["number"] = number
    if "area" in fields:
        area = _area_field(errors, "area", fields["area"])
        if area is not None:
            clean["area"] = area
    for key, table in (("use", USES), ("right_type", RIGHT_TYPES), ("state", STATES)):
        if key in fields:
            if fields[key] not in table:
                errors[key] = (QT_TRANSLATE_NOOP("Office", "Choose one of the list"), {})
            clean[key] = fields[key]
    if "floor" in fields:
        clean["floor"] = validation.check_int(errors, "floor", fields["floor"], -10, 300)
    for key in ("note", "special_needs", "household_notes"):
        if key in fields:
            clean[key] = str(fields[key]).strip()
    if "handover_date" in fields:
        clean["handover_date"] = validation.check_date(errors, "handover_date", fields["handover_date"])
    validation.check_lengths(House, clean, errors)
    return clean


def _floor_of(number: str) -> int:
    digits = re.match(r"\d+", number)
    return int(digits.group()) // 100 if digits and len(digits.group()) >= 3 else 0


def create_house(user, unit_id: int, *, number: str, area, use: str = "residential",
                 right_type: str = "commodity", state: str = "undelivered", floor: int | None = None,
                 **more) -> House:
    users.require(user, "estate.edit")
    errors: dict = {}
    fields = dict(number=number, area=area, use=use, right_type=right_type, state=state, **more)
    if floor is not None:
        fields["floor"] = floor
    clean = _house_fields(errors, fields)
    unit = Unit.get_or_none(Unit.id == unit_id)
    if unit is None:
        raise NotFound(QT_TRANSLATE_NOOP("Office", "This unit no longer exists"))
    try:
        with atomic():
            if "number" not in errors and House.select().where(
                    (House.unit == unit) & (House.number == clean["number"])).exists():
                errors["number"] = (QT_TRANSLATE_NOOP("Office", "House {number} already exists in this unit"),
                                    {"number": clean["number"]})
            if errors:
                raise ValidationError(errors)
            clean.setdefault("floor", _floor_of(clean["number"]))
            b_code = unit.building.code
            h = House.create(unit=unit, label=house_label(b_code, unit.code, clean["number"]),
                             sort_code=house_sort_code(b_code, unit.code, clean["number"]), **clean)
            audit.record(user, "house.create", "house", h.id, h.label)
    except pw.IntegrityError:  # another PC added the same number a moment ago
        raise ValidationError({"number": (QT_TRANSLATE_NOOP("Office", "House {number} already exists in this unit"),
                                          {"number": clean["number"]})}) from None
    return h


def update_house(user, house_id: int, **fields) -> House:
    users.require(user, "archive.edit")
    if "number" in fields or "area" in fields or "use" in fields or "right_type" in fields:
        users.require(user, "estate.edit")
    errors: dict = {}
    clean = _house_fields(errors, fields)
    with atomic():
        h = House.get_or_none(House.id == house_id)
        if h is None:
            raise NotFound(QT_TRANSLATE_NOOP("Office", "This house no longer exists"))
        if "number" in clean and clean["number"] != h.number and House.select().where(
                (House.unit == h.unit) & (House.number == clean["number"])).exists():
            errors["number"] = (QT_TRANSLATE_NOOP("Office", "House {number} already exists in this unit"),
                                {"number": clean["number"]})
        if errors:
            raise ValidationError(errors)
        changes = {k: [getattr(h, k), v] for k, v in clean.items() if getattr(h, k) != v}
        for k, v in clean.items():
            setattr(h, k, v)
        if "number" in clean:
            h.label = house_label(h.unit.building.code, h.unit.code, h.number)
            h.sort_code = house_sort_code(h.unit.building.code, h.unit.code, h.number)
        h.save()
        if changes:
            audit.record(user, "house.update", "house", h.id, h.label, changes)
    return h


@dataclass
class UnitNode:
    id: int
    code: str
    name: str
    houses: int


@dataclass
class BuildingNode:
    id: int
    code: str
    name: str
    units: list[UnitNode]


def tree() -> list[BuildingNode]:
    """Buildings and their units with house counts, for the archive's tree."""
    counts = dict(House.select(House.unit, pw.fn.COUNT(House.id)).group_by(House.unit).tuples())
    units: dict[int, list[UnitNode]] = {}
    for u in Unit.select().order_by(Unit.code):
        units.setdefault(u.building_id, []).append(UnitNode(u.id, u.code, u.name, counts.get(u.id, 0)))
    for lst in units.values():
        lst.sort(key=lambda n: _sort_key(n.code))
    return [BuildingNode(b.id, b.code, b.name, units.get(b.id, []))
            for b in Building.select().order_by(Building.sort_key, Building.code)]


def counts() -> dict:
    """What the archive holds, beside the profile's figures typed by hand."""
    q = House.select(pw.fn.COUNT(House.id), pw.fn.COALESCE(pw.fn.SUM(House.area), 0)).tuples()
    houses, area = q.get()
    return {"buildings": Building.select().count(), "houses": houses, "area": int(area),
            "shops": House.select().where(House.use == "commercial").count()}


HOUSE_SORTS = ("label", "floor", "area", "use", "state", "owner_names")


@dataclass
class HouseRow:
    """One line of the house list."""
    id: int
    label: str
    floor: int
    area: int
    use: str
    state: str
    owner_names: str
    sort_value: object  # the value of the sort column: where the next page starts


def house_page(user, *, building_id: int | None = None, unit_id: int | None = None, sort: str = "label",
               ascending: bool = True, after: HouseRow | None = None, limit: int = 200) -> list[HouseRow]:
    """A page of the house list, sorted by the database and continued from `after` by key
    (never OFFSET), so the hundredth page costs what the first does."""
    users.require(user, "archive.view")
    if sort not in HOUSE_SORTS:
        raise ValueError(sort)
    key = House.sort_code if sort == "label" else getattr(House, sort)
    q = House.select(House.id, House.label, House.floor, House.area, House.use, House.state,
                     House.owner_names, key.alias("sort_value"))
    if unit_id is not None:
        q = q.where(House.unit == unit_id)
    elif building_id is not None:
        q = q.where(House.unit.in_(Unit.select(Unit.id).where(Unit.building == building_id)))
    if after is not None:
        position = pw.Tuple(key, House.id)
        q = q.where(position > (after.sort_value, after.id) if ascending
                    else position < (after.sort_value, after.id))
    q = q.order_by(key.asc(), House.id.asc()) if ascending else q.order_by(key.desc(), House.id.desc())
    return [HouseRow(*row) for row in q.limit(limit).tuples()]


def house_ids(user, *, building_id: int | None = None, unit_id: int | None = None) -> list[int]:
    """Every house of a building, a unit or the estate, in the list's order (for batches)."""
    users.require(user, "archive.view")
    q = House.select(House.id)
    if unit_id is not None:
        q = q.where(House.unit == unit_id)
    elif building_id is not None:
        q = q.where(House.unit.in_(Unit.select(Unit.id).where(Unit.building == building_id)))
    return [row[0] for row in q.order_by(House.sort_code, House.id).tuples()]


def building_of(kind: str, node_id: int) -> Building:
    """The building of a tree node (a building, or a unit in it)."""
    if kind == "building":
        return Building.get_by_id(node_id)
    return Unit.get_by_id(node_id).building


def get_house(house_id: int) -> House:
    h = House.get_or_none(House.id == house_id)
    if h is None:
        raise NotFound(QT_TRANSLATE_NOOP("Office", "This house no longer exists"))
    return h


def find_building(text: str) -> Building | None:
    """The building a clerk names by its code or its name ("3", "3栋"), or None."""
    text = text.strip()
    return Building.get_or_none((Building.code == text) | (Building.name == text)) if text else None
