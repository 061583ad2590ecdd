import datetime

import pytest

from models import audit, estate, owners
from models.errors import NotFound, PermissionDenied, ValidationError

ID1 = "11010519491231002X"


def entries(action):
    return list(audit.AuditEntry.select().where(audit.AuditEntry.action == action))


def test_a_house_keeps_its_area_exactly(house):
    assert house.area == 8950
    assert estate.fmt_area(house.area) == "89.50"
    assert house.label == "3-2-1201" and house.floor == 12


@pytest.mark.parametrize("area", ["0", "-5", "abc", "89.505", ""])
def test_a_house_needs_a_positive_area_with_two_decimals_at_most(admin, house, area):
    with pytest.raises(ValidationError) as err:
        estate.create_house(admin, house.unit_id, number="1202", area=area)
    assert "area" in err.value.fields
    assert estate.House.select().count() == 1


def test_a_house_number_is_unique_within_its_unit_only(admin, house):
    with pytest.raises(ValidationError) as err:
        estate.create_house(admin, house.unit_id, number="1201", area="90")
    assert "already exists" in err.value.fields["number"][0]
    other_unit = estate.create_unit(admin, house.unit.building_id, "1")
    assert estate.create_house(admin, other_unit.id, number="1201", area="90").label == "3-1-1201"


def test_building_and_unit_codes_are_unique(admin, house):
    with pytest.raises(ValidationError):
        estate.create_building(admin, "3")
    with pytest.raises(ValidationError):
        estate.create_unit(admin, house.unit.building_id, "2")


def test_estate_profile_is_kept_and_audited(admin):
    estate.update_profile(admin, name="翠湖花园", postal_code="518052", households="800",
                          managed_area="65432.10", nearby_schools="翠湖小学")
    p = estate.profile()
    assert (p.name, p.households, p.managed_area) == ("翠湖花园", 800, 6543210)
    assert entries("estate.update")


def test_a_bad_postal_code_writes_nothing(admin):
    with pytest.raises(ValidationError):
        estate.update_profile(admin, name="X", postal_code="5180")
    assert estate.profile().name == ""


def test_the_tree_lists_buildings_in_natural_order(admin, house):
    estate.create_building(admin, "10")
    estate.create_building(admin, "2")
    assert [b.code for b in estate.tree()] == ["2", "3", "10"]
    assert estate.tree()[1].units[0].houses == 1


def test_houses_sort_naturally(admin, house):
    estate.create_house(admin, house.unit_id, number="902", area="80")
    codes = [h.label for h in estate.House.select().order_by(estate.House.sort_code)]
    assert codes == ["3-2-902", "3-2-1201"]


def test_an_owner_with_all_fields(clerk, house):
    o = owners.add_owner(clerk, house.id, name="张三", gender="male", id_number=ID1.lower(),
                         phone="138 1234 5678", occupation="教师", employer="翠湖小学",
                         work_address="翠湖路1号", education="Bachelor", hometown="湖南长沙")
    o = owners.Owner.get_by_id(o.id)
    assert o.id_number == ID1 and o.phone == "13812345678"
    assert o.id_masked == "110***********002X" and o.phone_masked == "138****5678"
    assert estate.House.get_by_id(house.id).owner_names == "张三"


@pytest.mark.parametrize("fields,bad", [
    ({"name": ""}, "name"),
    ({"name": "张三", "id_number": "110105194912310021"}, "id_number"),
    ({"name": "张三", "phone": "1381234"}, "phone"),
    ({"name": "张三", "id_type": "uscc", "id_number": "91350100M000100Y44"}, "id_number"),
])
def test_an_owner_with_a_bad_field_is_not_written(clerk, house, fields, bad):
    with pytest.raises(ValidationError) as err:
        owners.add_owner(clerk, house.id, **fields)
    assert bad in err.value.fields
    assert owners.Owner.select().count() == 0 and not entries("owner.create")


def test_co_owners_and_one_owner_with_several_houses(admin, clerk, house):
    zhang = owners.add_owner(clerk, house.id, name="张三")
    li = owners.add_owner(clerk, house.id, name="李四")
    other = estate.create_house(admin, house.unit_id, number="1202", area="70")
    owners.link_owner(clerk, other.id, zhang.id)
    assert estate.House.get_by_id(house.id).owner_names == "张三、李四"
    arch = owners.owner_archive(clerk, zhang.id)
    assert [h.label for h, _ in arch.houses] == ["3-2-1201", "3-2-1202"]
    lines = owners.house_archive(clerk, house.id).owners
    assert [(line.owner.name, line.is_primary) for line in lines] == [("张三", True), ("李四", False)]
    with pytest.raises(ValidationError):
        owners.link_owner(clerk, house.id, li.id)


def test_ending_an_ownership_keeps_the_history(clerk, house):
    zhang = owners.add_owner(clerk, house.id, name="张三")
    owners.add_owner(clerk, house.id, name="李四")
    link = owners.Ownership.get(owners.Ownership.owner == zhang)
    owners.end_ownership(clerk, link.id, datetime.date(2026, 10, 1))
    lines = owners.house_archive(clerk, house.id).owners
    assert [(line.owner.name, line.is_primary, line.until) for line in lines] == [
        ("李四", True, None), ("张三", False, datetime.date(2026, 10, 1))]
    assert estate.House.get_by_id(house.id).owner_names == "李四"


def test_residents_move_out_but_stay_in_the_archive(clerk, house, frozen_now):
    wife = owners.add_resident(clerk, house.id, kind="member", name="王芳", relation="Spouse", age=40)
    tenant = owners.add_resident(clerk, house.id, kind="tenant", name="赵六", category="nonlocal",
                                 phone="13900001111")
    owners.move_out(clerk, tenant.id)
    arch = owners.house_archive(clerk, house.id)
    assert [(r.name, r.moved_out) for r in arch.residents] == [("王芳", None), ("赵六", frozen_now.date())]
    assert wife.moved_in == frozen_now.date()
    with pytest.raises(NotFound):
        owners.move_out(clerk, tenant.id)


@pytest.mark.parametrize("fields,bad", [
    ({"kind": "member", "name": ""}, "name"),
    ({"kind": "lodger", "name": "赵六"}, "kind"),
    ({"kind": "member", "name": "赵六", "age": 200}, "age"),
    ({"kind": "member", "name": "赵六", "category": "alien"}, "category"),
    ({"kind": "member", "name": "赵六", "phone": "123"}, "phone"),
])
def test_a_resident_with_a_bad_field_is_not_written(clerk, house, fields, bad):
    with pytest.raises(ValidationError) as err:
        owners.add_resident(clerk, house.id, **fields)
    assert bad in err.value.fields
    assert owners.Resident.select().count() == 0


def test_opening_an_archive_is_audited_but_a_search_is_not(clerk, house):
    from models import search

    owners.add_owner(clerk, house.id, name="张三")
    assert search.search(clerk, "zs")
    assert not entries("house.view")
    owners.house_archive(clerk, house.id)
    assert [(e.username, e.target_id) for e in entries("house.view")] == [("wang", house.id)]


def test_revealing_an_id_needs_the_permission_and_is_audited(clerk, supervisor, house):
    o = owners.add_owner(clerk, house.id, name="张三", id_number=ID1, phone="13812345678")
    with pytest.raises(PermissionDenied):
        owners.reveal(clerk, "owner", o.id, "id_number")
    assert not entries("owner.reveal")
    assert owners.reveal(supervisor, "owner", o.id, "id_number") == ID1
    [entry] = entries("owner.reveal")
    assert (entry.username, entry.target_id) == ("zhao", o.id)
    assert ID1 not in entry.summary + entry.detail


def test_changes_of_personal_data_are_logged_without_the_data(clerk, house):
    o = owners.add_owner(clerk, house.id, name="张三", phone="13812345678")
    owners.update_owner(clerk, o.id, phone="13900002222", occupation="医生")
    [entry] = entries("owner.update")
    assert "13900002222" not in entry.detail and "医生" in entry.detail


def test_updating_a_house_state_is_a_clerk_matter_but_its_area_is_not(clerk, house):
    estate.update_house(clerk, house.id, state="rented", household_notes="业主在外地, 联系其妹妹")
    assert estate.House.get_by_id(house.id).state == "rented"
    with pytest.raises(PermissionDenied):
        estate.update_house(clerk, house.id, area="100")


def test_rereading_an_open_archive_after_a_change_is_not_a_new_view(clerk, house):
    owners.house_archive(clerk, house.id)
    owners.add_resident(clerk, house.id, kind="member", name="王芳")
    owners.house_archive(clerk, house.id, reread=True)
    assert len(entries("house.view")) == 1 and len(entries("resident.create")) == 1


def test_bad_floor_counts_are_refused_in_words(admin):
    with pytest.raises(ValidationError) as err:
        estate.create_building(admin, "8", floors="many")
    assert "floors" in err.value.fields


@pytest.mark.parametrize("fields,bad", [
    ({"name": "张" * 65}, "name"),
    ({"name": "张三", "occupation": "x" * 65}, "occupation"),
    ({"name": "张三", "employer": "x" * 129}, "employer"),
])
def test_text_longer_than_its_column_is_refused_on_every_database(clerk, house, fields, bad):
    with pytest.raises(ValidationError) as err:
        owners.add_owner(clerk, house.id, **fields)
    assert err.value.fields[bad][0] == "At most {n} characters"
    assert owners.Owner.select().count() == 0


@pytest.mark.parametrize("kwargs,bad", [
    ({"area": "99999999999"}, "area"), ({"area": "80", "floor": 10 ** 12}, "floor"),
    ({"area": "80", "handover_date": "not a date"}, "handover_date"),
    ({"area": "80", "note": "x"}, None),
])
def test_numbers_out_of_range_and_non_dates_are_refused(admin, house, kwargs, bad):
    if bad is None:
        assert estate.create_house(admin, house.unit_id, number="1301", **kwargs).note == "x"
        return
    with pytest.raises(ValidationError) as err:
        estate.create_house(admin, house.unit_id, number="1301", **kwargs)
    assert bad in err.value.fields


def test_profile_counts_out_of_range_are_refused(admin):
    with pytest.raises(ValidationError) as err:
        estate.update_profile(admin, households="99999999999", name="x" * 200)
    assert set(err.value.fields) == {"households", "name"}


def test_changing_the_document_type_checks_the_number_again(clerk, house):
    o = owners.add_owner(clerk, house.id, name="Tom", id_type="passport", id_number="E12345678")
    with pytest.raises(ValidationError) as err:
        owners.update_owner(clerk, o.id, id_type="resident_id")
    assert "id_number" in err.value.fields
    assert owners.Owner.get_by_id(o.id).id_type == "passport"


def test_an_ownership_cannot_end_before_it_began(clerk, house):
    o = owners.add_owner(clerk, house.id, name="张三", since=datetime.date(2026, 5, 1))
    link = owners.Ownership.get(owners.Ownership.owner == o)
    with pytest.raises(ValidationError):
        owners.end_ownership(clerk, link.id, datetime.date(2026, 4, 1))
    assert owners.Ownership.get_by_id(link.id).until is None


def test_the_gender_is_read_from_a_resident_id_when_not_given(clerk, house):
    woman = owners.add_owner(clerk, house.id, name="王芳", id_number="11010519491231002X")
    man = owners.add_owner(clerk, house.id, name="李四", id_number="440305199003071236")
    assert (woman.gender, man.gender) == ("female", "male")
    chosen = owners.add_owner(clerk, house.id, name="赵六", gender="male", id_number="11010519491231002X")
    assert chosen.gender == "male"  # what the clerk chose stands


def test_a_reveal_entry_names_the_house(clerk, supervisor, house):
    o = owners.add_owner(clerk, house.id, name="张三", phone="13812345678")
    owners.reveal(supervisor, "owner", o.id, "phone")
    [entry] = entries("owner.reveal")
    assert entry.summary == "3-2-1201 张三"


@pytest.mark.parametrize("sort,ascending", [("label", True), ("area", False), ("state", True),
                                            ("floor", False)])
def test_house_pages_by_key_cover_every_house_once_in_order(admin, sort, ascending):
    b = estate.create_building(admin, "2")
    u = estate.create_unit(admin, b.id, "1")
    states = list(estate.STATES)
    for i in range(1, 24):  # ties in area, floor and state on purpose
        estate.create_house(admin, u.id, number=f"{i % 6 + 1}{i:02d}", area=["80", "90.5", "120"][i % 3],
                            state=states[i % len(states)])
    pages, after = [], None
    while True:
        page = estate.house_page(admin, building_id=b.id, sort=sort, ascending=ascending, after=after, limit=5)
        pages.extend(page)
        if len(page) < 5:
            break
        after = page[-1]
    assert len(pages) == 23 and len({h.id for h in pages}) == 23
    keys = [(h.sort_value, h.id) for h in pages]
    assert keys == sorted(keys, reverse=not ascending)
