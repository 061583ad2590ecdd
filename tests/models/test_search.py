import pytest

from models import estate, owners, search


@pytest.fixture
def estate_with_people(admin, clerk):
    b3 = estate.create_building(admin, "3")
    u1 = estate.create_unit(admin, b3.id, "1")
    u2 = estate.create_unit(admin, b3.id, "2")
    b5 = estate.create_building(admin, "5")
    u51 = estate.create_unit(admin, b5.id, "1")
    h = {
        "3-2-1201": estate.create_house(admin, u2.id, number="1201", area="89.5"),
        "3-1-1101": estate.create_house(admin, u1.id, number="1101", area="89.5"),
        "3-2-1101": estate.create_house(admin, u2.id, number="1101", area="89.5"),
        "5-1-302": estate.create_house(admin, u51.id, number="302", area="70"),
    }
    owners.add_owner(clerk, h["3-2-1201"].id, name="张三", phone="13812345678")
    owners.add_owner(clerk, h["5-1-302"].id, name="单晓明", phone="0755-88880302")
    owners.add_owner(clerk, h["3-1-1101"].id, name="曾乐", phone="13900009999")
    owners.add_owner(clerk, h["3-2-1101"].id, name="朴志勇")
    owners.add_resident(clerk, h["3-2-1201"].id, kind="tenant", name="乐嘉", phone="13700004321")
    gone = owners.add_resident(clerk, h["5-1-302"].id, kind="tenant", name="张飞")
    owners.move_out(clerk, gone.id)
    return h


@pytest.fixture(autouse=True)
def _searcher(clerk):
    global SEARCHER
    SEARCHER = clerk


def labels(text):
    return [(hit.kind, hit.label, hit.name) for hit in search.search(SEARCHER, text)]


@pytest.mark.parametrize("text", ["3-2-1201", "3栋2单元1201", "3栋2单元1201室", "3号楼2单元1201", " 3-2-1201 "])
def test_a_house_is_found_by_the_number_forms_clerks_type(estate_with_people, text):
    assert labels(text)[0][:2] == ("house", "3-2-1201")


def test_building_and_number_find_the_house_when_the_unit_is_unambiguous(estate_with_people):
    assert [x[1] for x in labels("3-1201")] == ["3-2-1201"]
    assert [x[1] for x in labels("3栋1201")] == ["3-2-1201"]
    assert [x[1] for x in labels("3-1101")] == ["3-1-1101", "3-2-1101"]  # both units have one


@pytest.mark.parametrize("text,name", [
    ("张三", "张三"), ("张", "张三"), ("zhangsan", "张三"), ("zs", "张三"), ("ZS", "张三"),
    ("zhang", "张三"),
    ("shanxiaoming", "单晓明"), ("danxiaoming", "单晓明"), ("sxm", "单晓明"), ("dxm", "单晓明"),
    ("zengle", "曾乐"), ("cengle", "曾乐"), ("piaozhiyong", "朴志勇"), ("puzhiyong", "朴志勇"),
    ("yuejia", "乐嘉"), ("lejia", "乐嘉"),
])
def test_people_are_found_by_name_pinyin_and_initials(estate_with_people, text, name):
    assert name in [x[2] for x in labels(text) if x[0] in ("owner", "resident")]


def test_people_are_found_by_the_last_four_digits_of_a_phone(estate_with_people):
    assert [(k, lab, n) for k, lab, n in labels("5678")] == [("owner", "3-2-1201", "张三")]
    assert [n for k, _, n in labels("0302")] == ["单晓明"]
    assert [(k, n) for k, _, n in labels("4321")] == [("resident", "乐嘉")]


def test_a_moved_out_resident_is_not_offered(estate_with_people):
    assert "张飞" not in [x[2] for x in labels("zf")]


def test_nothing_is_found_for_nonsense(estate_with_people):
    assert labels("") == [] and labels("xq") == [] and labels("9-9-999") == []


def test_renaming_an_owner_updates_the_search(estate_with_people, clerk):
    zs = owners.Owner.get(owners.Owner.name == "张三")
    owners.update_owner(clerk, zs.id, name="李雷")
    assert "李雷" in [x[2] for x in labels("ll")]
    assert "张三" not in [x[2] for x in labels("zs")]


def test_a_foreign_owner_is_found_by_any_of_the_names(estate_with_people, clerk):
    owners.add_owner(clerk, estate_with_people["5-1-302"].id, name="John Smith", id_type="passport",
                     id_number="E12345678")
    for text in ("smith", "John", "johnsmith"):
        assert "John Smith" in [x[2] for x in labels(text)]


def test_a_landline_with_an_extension_is_found_by_its_number(estate_with_people, clerk):
    owners.add_owner(clerk, estate_with_people["3-1-1101"].id, name="李雷", phone="0755-86661234-123")
    assert [n for _, _, n in labels("1234")] == ["李雷"]


def test_phone_tails_come_before_houses_with_that_number(admin, clerk):
    b = estate.create_building(admin, "1")
    u = estate.create_unit(admin, b.id, "1")
    first = None
    for code in range(2, 60):  # 58 buildings, each with a house numbered 1101
        ub = estate.create_unit(admin, estate.create_building(admin, str(code)).id, "1")
        h = estate.create_house(admin, ub.id, number="1101", area="80")
        first = first or h
    mine = estate.create_house(admin, u.id, number="301", area="80")
    owners.add_owner(clerk, mine.id, name="王五", phone="13800001101")
    found = search.search(clerk, "1101")
    assert (found[0].kind, found[0].name) == ("owner", "王五")
    assert len(found) == 50 and found[1].kind == "house"


def test_a_deactivated_user_cannot_search(estate_with_people, admin, clerk):
    from models import users
    from models.errors import PermissionDenied

    users.update_user(admin, clerk.id, active=False)
    with pytest.raises(PermissionDenied):
        search.search(users.User.get_by_id(clerk.id), "zs")


@pytest.mark.parametrize("text", ["3-2-1201", "3栋2单元1201室", "张三", "zhangsan", "5678"])
def test_the_house_a_clerk_types_is_the_one_house_it_names(estate_with_people, text):
    house = search.the_house(SEARCHER, text)
    assert house is not None and house.label == "3-2-1201"


@pytest.mark.parametrize("text", ["3-1101", "9-9-999", "王五"])
def test_a_typed_house_that_names_none_or_several_is_none(estate_with_people, text):
    assert search.the_house(SEARCHER, text) is None  # 3-1101: both units have one


def test_the_typed_house_needs_the_archives(estate_with_people, admin):
    from models import users
    from models.errors import PermissionDenied

    gone = users.create_user(admin, "guard", "secret1", [users.CLERK])
    users.update_user(admin, gone.id, active=False)
    with pytest.raises(PermissionDenied):
        search.the_house(users.User.get_by_id(gone.id), "3-2-1201")
