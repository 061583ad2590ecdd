import pytest

from models import demo, documents, estate, owners, search, users
from models.errors import OfficeError


def test_the_small_demo_estate_is_realistic_and_the_same_every_time(database):
    counts = demo.create("small")
    assert counts["buildings"] == 12 and 750 <= counts["houses"] <= 850
    assert owners.Resident.select().where(owners.Resident.kind == "tenant").count() > 50
    wang = users.login("wang", demo.DEMO_PASSWORD)
    assert wang.role_set == {"clerk"}
    assert documents.missing_by_building(wang)  # some archives lack papers
    assert search.search(wang, "3-2-1201")[0].label == "3-2-1201"
    assert estate.profile().name == "翠湖花园"


def _snapshot():
    return ([(o.name, o.id_number, o.phone) for o in owners.Owner.select().order_by(owners.Owner.id)],
            [(h.label, h.area, h.state) for h in estate.House.select().order_by(estate.House.id)])


def test_the_demo_estate_is_the_same_every_time(tmp_path):
    from models import db

    snapshots = []
    for name in ("a.sqlite", "b.sqlite"):
        db.connect(db.sqlite_url(tmp_path / name))
        try:
            demo.create("small")
            snapshots.append(_snapshot())
        finally:
            db.close()
    assert snapshots[0] == snapshots[1] and len(snapshots[0][0]) > 700


def test_every_demo_id_number_passes_its_check(database):
    from models import validation

    demo.create("small")
    bad = [o.id_number for o in owners.Owner.select() if validation.resident_id_error(o.id_number)]
    assert bad == []


def test_the_demo_refuses_a_database_that_is_in_use(admin):
    with pytest.raises(OfficeError):
        demo.create("small")
