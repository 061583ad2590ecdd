import datetime

import pytest

from models import audit, documents, estate
from models.errors import PermissionDenied, ValidationError


def test_the_checklist_has_the_four_groups_of_papers(house):
    lines = documents.checklist(house.id)
    assert {line.group for line in lines} == {"movein", "personal", "renovation", "handover"}
    assert len(lines) == 15 and not any(line.received for line in lines)


def test_a_received_paper_keeps_its_date_and_is_audited(clerk, house, frozen_now):
    documents.set_document(clerk, house.id, "covenant", received=True, received_on=datetime.date(2026, 3, 1))
    [line] = [x for x in documents.checklist(house.id) if x.item == "covenant"]
    assert line.received and line.received_on == datetime.date(2026, 3, 1)
    assert audit.AuditEntry.select().where(audit.AuditEntry.action == "document.update").count() == 1


def test_a_scan_is_kept_once_by_its_content_hash(clerk, house, tmp_path, frozen_now):
    scan = tmp_path / "身份证.jpg"
    scan.write_bytes(b"\xff\xd8 fake jpeg bytes")
    a = documents.set_document(clerk, house.id, "id_copy", received=True, scan_file=scan)
    b = documents.set_document(clerk, house.id, "owner_register", received=True, scan_file=scan)
    assert a.scan_hash == b.scan_hash and len(a.scan_hash) == 64
    stored = documents.scan_path(a.scan_hash, a.scan_name)
    assert stored.read_bytes() == scan.read_bytes()
    assert len(list(stored.parent.iterdir())) == 1


def test_a_missing_scan_file_writes_nothing(clerk, house, tmp_path):
    with pytest.raises(ValidationError):
        documents.set_document(clerk, house.id, "id_copy", received=True, scan_file=tmp_path / "nope.jpg")
    assert documents.ArchiveDocument.select().count() == 0


def test_a_cashier_cannot_change_the_checklist(cashier, house):
    with pytest.raises(PermissionDenied):
        documents.set_document(cashier, house.id, "covenant", received=True)


def test_the_missing_list_shows_each_house_with_what_it_lacks(admin, clerk, house, frozen_now):
    for item, (group, _) in documents.ITEMS.items():
        if group != "renovation" and item != "covenant":
            documents.set_document(clerk, house.id, item, received=True)
    estate.create_house(admin, house.unit_id, number="1202", area="80", state="undelivered")
    [line] = documents.missing_by_building(clerk, house.unit.building_id)
    assert (line.label, line.missing) == ("3-2-1201", ["covenant"])
    estate.update_house(admin, house.id, state="renovating")
    [line] = documents.missing_by_building(clerk)
    assert "fire_pledge" in line.missing and "covenant" in line.missing
    documents.set_document(clerk, house.id, "covenant", received=True)
    estate.update_house(admin, house.id, state="owner_occupied")
    assert documents.missing_by_building(clerk) == []


def test_scans_go_to_the_offices_shared_folder_when_one_is_set(admin, clerk, house, tmp_path, frozen_now):
    from models import settings

    shared = tmp_path / "office-share"
    settings.update({"scan_folder": str(shared)}, user=admin)
    scan = tmp_path / "covenant.pdf"
    scan.write_bytes(b"%PDF-1.4 covenant")
    row = documents.set_document(clerk, house.id, "covenant", received=True, scan_file=scan)
    assert documents.scan_path(row.scan_hash, row.scan_name).parent.parent == shared
    assert documents.scan_path(row.scan_hash, row.scan_name).read_bytes() == b"%PDF-1.4 covenant"


def test_an_unreachable_scan_folder_is_a_message_and_writes_nothing(admin, clerk, house, tmp_path, frozen_now):
    from models import settings

    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the share should be")
    settings.update({"scan_folder": str(blocker / "share")}, user=admin)
    scan = tmp_path / "covenant.pdf"
    scan.write_bytes(b"%PDF-1.4 covenant")
    with pytest.raises(ValidationError) as err:
        documents.set_document(clerk, house.id, "covenant", received=True, scan_file=scan)
    assert "could not be stored" in err.value.fields["scan"][0]
    assert documents.ArchiveDocument.select().count() == 0
