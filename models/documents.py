"""The archive's document checklist (档案资料): for each house, which papers the office
holds, when they came, and an optional scan kept in the data folder under its content
hash (the same file scanned twice is stored once)."""
from __future__ import annotations

import datetime
import hashlib
import shutil
from dataclasses import dataclass
from pathlib import Path

import peewee as pw

from models import audit, clock, db, users
from models.db import BaseModel, atomic
from models.errors import NotFound, QT_TRANSLATE_NOOP, ValidationError
from models.estate import Building, House, Unit

GROUPS = {
    "movein": QT_TRANSLATE_NOOP("Office", "Move-in papers"),  # 入住资料
    "personal": QT_TRANSLATE_NOOP("Office", "Personal papers"),  # 个人资料
    "renovation": QT_TRANSLATE_NOOP("Office", "Renovation papers"),  # 装修资料
    "handover": QT_TRANSLATE_NOOP("Office", "Inspection and repair papers"),  # 验房维修资料
}
# item code → (group, English label)
ITEMS: dict[str, tuple[str, str]] = {
    "movein_notice": ("movein", QT_TRANSLATE_NOOP("Office", "Move-in notice")),  # 业主入住通知书
    "purchase_invoice": ("movein", QT_TRANSLATE_NOOP("Office", "Copy of the purchase invoice")),  # 购房发票复印件
    "movein_form": ("movein", QT_TRANSLATE_NOOP("Office", "Move-in procedure form")),  # 业主入住手续书
    "service_agreement": ("movein", QT_TRANSLATE_NOOP("Office", "Preliminary property service agreement")),  # 前期物业管理协议
    "covenant": ("movein", QT_TRANSLATE_NOOP("Office", "Owners' covenant")),  # 业主公约
    "owner_register": ("personal", QT_TRANSLATE_NOOP("Office", "Owner registration form")),  # 业主情况登记表
    "id_copy": ("personal", QT_TRANSLATE_NOOP("Office", "Copy of ID card and photo")),  # 身份证复印件及照片
    "reno_application": ("renovation", QT_TRANSLATE_NOOP("Office", "Renovation application/approval")),  # 装修申请/审批表
    "reno_agreement": ("renovation", QT_TRANSLATE_NOOP("Office", "Renovation management agreement")),  # 装修管理协议
    "reno_notes": ("renovation", QT_TRANSLATE_NOOP("Office", "Renovation rules acknowledged")),  # 装修注意事项
    "fire_pledge": ("renovation", QT_TRANSLATE_NOOP("Office", "Fire-safety pledge")),  # 防火责任书
    "water_test": ("renovation", QT_TRANSLATE_NOOP("Office", "Water-proofing/pressure test slip")),  # 闭水/打压通知(签证)单
    "rectification": ("renovation", QT_TRANSLATE_NOOP("Office", "Rectification notice")),  # 整改通知单
    "inspection_form": ("handover", QT_TRANSLATE_NOOP("Office", "House inspection form")),  # 验房表
    "quality_repair": ("handover", QT_TRANSLATE_NOOP("Office", "Construction quality repair slip")),  # 工程质量维修单
}


class ArchiveDocument(BaseModel):
    house = pw.ForeignKeyField(House, backref="documents", on_delete="RESTRICT")
    item = pw.CharField(max_length=32)
    received = pw.BooleanField(default=False)
    received_on = pw.DateField(null=True)
    scan_hash = pw.CharField(max_length=64, default="")
    scan_name = pw.CharField(max_length=128, default="")
    note = pw.TextField(default="")

    class Meta:
        table_name = "archive_document"


@dataclass
class ChecklistLine:
    item: str
    group: str
    label: str
    received: bool
    received_on: datetime.date | None
    scan_hash: str
    scan_name: str
    note: str
    required: bool


def scan_dir() -> Path:
    """Scans live in the office's shared scan folder when one is set (several PCs on one
    server), else beside an SQLite database, else in the user's data folder."""
    from models import settings

    shared = settings.office.scan_folder
    if shared:
        return Path(shared)
    obj = db.database.obj
    if isinstance(obj, pw.SqliteDatabase) and obj.database != ":memory:":
        path = Path(obj.database).parent / "scans"
    else:
        path = db.default_data_dir() / "scans"
    return path


def scan_path(scan_hash: str, scan_name: str) -> Path:
    return scan_dir() / scan_hash[:2] / (scan_hash + Path(scan_name).suffix.lower())


def store_scan(scan_file: str | Path, field: str = "scan") -> tuple[str, str]:
    """A scan or photo copied into the scan folder under its content's hash (once, whole or
    not at all): (hash, its file's name). ValidationError on `field` when it cannot be read
    or stored."""
    src = Path(scan_file)
    if not src.is_file():
        raise ValidationError({field: (QT_TRANSLATE_NOOP("Office", "The scan file {name} cannot be read"),
                                       {"name": src.name})})
    h = hashlib.sha256()
    with open(src, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    digest, name = h.hexdigest(), src.name[:128]
    dest = scan_path(digest, name)
    try:
        if not dest.exists():
            dest.parent.mkdir(parents=True, exist_ok=True)
            tmp = dest.with_suffix(dest.suffix + ".part")
            shutil.copyfile(src, tmp)
            tmp.replace(dest)  # a scan is either whole or absent
    except OSError as exc:  # a shared folder on a network drive that is offline, a full disk
        raise ValidationError({field: (
            QT_TRANSLATE_NOOP("Office", "The scan could not be stored in {folder}: {error}"),
            {"folder": str(scan_dir()), "error": exc.strerror or str(exc)})}) from None
    return digest, name


def _required(house: House, rows: dict[str, ArchiveDocument]) -> set[str]:
    """What the archive should hold: nothing before handover; renovation papers only once
    the house is renovating or has any renovation paper."""
    if house.state == "undelivered":
        return set()
    groups = {"movein", "personal", "handover"}
    if house.state == "renovating" or any(ITEMS[i][0] == "renovation" and r.received
                                          for i, r in rows.items() if i in ITEMS):
        groups.add("renovation")
    return {item for item, (group, _) in ITEMS.items() if group in groups}


def checklist(house_id: int) -> list[ChecklistLine]:
    house = House.get_by_id(house_id)
    rows = {r.item: r for r in ArchiveDocument.select().where(ArchiveDocument.house == house_id)}
    required = _required(house, rows)
    lines = []
    for item, (group, label) in ITEMS.items():
        r = rows.get(item)
        lines.append(ChecklistLine(item, group, label, bool(r and r.received), r.received_on if r else None,
                                   r.scan_hash if r else "", r.scan_name if r else "",
                                   r.note if r else "", item in required))
    return lines


def set_document(user, house_id: int, item: str, *, received: bool,
                 received_on: datetime.date | None = None, scan_file: str | Path | None = None,
                 note: str | None = None) -> ArchiveDocument:
    """Mark a paper received (with its date and an optional scan) or missing again."""
    users.require(user, "archive.edit")
    if item not in ITEMS:
        raise ValidationError({"item": (QT_TRANSLATE_NOOP("Office", "Choose one of the list"), {})})
    if received_on and received_on > clock.today():
        raise ValidationError({"received_on": (QT_TRANSLATE_NOOP("Office", "The date cannot be in the future"), {})})
    digest = name = ""
    if scan_file is not None:
        digest, name = store_scan(scan_file)
    with atomic():
        house = House.get_or_none(House.id == house_id)
        if house is None:
            raise NotFound(QT_TRANSLATE_NOOP("Office", "This house no longer exists"))
        row = ArchiveDocument.get_or_none((ArchiveDocument.house == house) & (ArchiveDocument.item == item))
        if row is None:
            row = ArchiveDocument(house=house, item=item)
        before = (row.received, row.received_on, row.scan_hash)
        row.received = received
        row.received_on = (received_on or clock.today()) if received else None
        if digest:
            row.scan_hash, row.scan_name = digest, name
        if note is not None:
            row.note = note.strip()
        row.save()
        detail = {"item": item, "received": received, "was_received": bool(before[0])}
        if digest:
            detail["scan"] = row.scan_name
        audit.record(user, "document.update", "house", house.id, house.label, detail)
    return row


@dataclass
class MissingLine:
    house_id: int
    label: str
    owner_names: str
    missing: list[str]  # item codes


def missing_by_building(user, building_id: int | None = None) -> list[MissingLine]:
    """Houses whose archive lacks papers it should hold, in house order."""
    users.require(user, "archive.view")
    q = House.select(House).join(Unit).join(Building)
    if building_id is not None:
        q = q.where(Building.id == building_id)
    q = q.where(House.state != "undelivered").order_by(House.sort_code)
    houses = list(q)
    ids = [h.id for h in houses]
    rows: dict[int, dict[str, ArchiveDocument]] = {}
    for chunk_start in range(0, len(ids), 500):
        chunk = ids[chunk_start:chunk_start + 500]
        for r in ArchiveDocument.select().where(ArchiveDocument.house.in_(chunk)):
            rows.setdefault(r.house_id, {})[r.item] = r
    out = []
    for h in houses:
        mine = rows.get(h.id, {})
        missing = [i for i in ITEMS if i in _required(h, mine) and not (i in mine and mine[i].received)]
        if missing:
            out.append(MissingLine(h.id, h.label, h.owner_names, missing))
    return out
