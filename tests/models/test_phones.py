"""Phone numbers as people write them (138-0001-2345, +86 138…, 0086…, (+86), full-width
digits) are one number: every form that takes a phone accepts them and keeps the 11 digits;
landlines with their area code and extension keep working as before."""
import pytest
from hypothesis import given, strategies as st

from models import complaints, owners, parcels, repairs, validation
from models.errors import ValidationError

WRITTEN = ["138-0001-2345", "138 0001 2345", "+86 138 0001 2345", "+86-138-0001-2345", "+8613800012345",
           "0086 138 0001 2345", "008613800012345", "(+86)138-0001-2345", "（+86）13800012345",
           "１３８－０００１－２３４５", "＋８６ １３８０００１２３４５", "138\u00a00001\u00a02345", "138—0001—2345",
           " 13800012345 ", "86 13800012345"]


@pytest.mark.parametrize("written", WRITTEN)
def test_a_mobile_written_any_usual_way_is_its_11_digits(written):
    assert validation.phone_error(written) is None
    assert validation.normalize_phone(written) == "13800012345"
    assert validation.normalize_phone(validation.normalize_phone(written)) == "13800012345"
    assert validation.mask_phone(written) == "138****2345"


@given(st.from_regex(r"1[3-9][0-9]{9}", fullmatch=True), st.sampled_from(["", "+86", "+86 ", "0086", "(+86)", "86 "]),
       st.lists(st.sampled_from(["", " ", "-", "\u00a0", "－"]), min_size=2, max_size=2), st.booleans())
def test_any_mobile_with_any_prefix_and_gaps_is_its_11_digits(mobile, prefix, gaps, full_width):
    written = prefix + mobile[:3] + gaps[0] + mobile[3:7] + gaps[1] + mobile[7:]
    if full_width:
        written = written.translate(str.maketrans("0123456789+()", "０１２３４５６７８９＋（）"))
    assert validation.phone_error(written) is None and validation.normalize_phone(written) == mobile


@pytest.mark.parametrize("written, kept", [
    ("0571-88001234", "057188001234"), ("0571 8800 1234", "057188001234"), ("(0571)88001234", "057188001234"),
    ("0571-88001234-801", "057188001234-801"), ("010-12345678-123", "01012345678-123"), ("88001234", "88001234"),
    ("+86 571 8800 1234", "057188001234"), ("+86-10-12345678", "01012345678"),
    ("０５７１－８８００１２３４", "057188001234"),
])
def test_landlines_keep_their_area_code_and_extension(written, kept):
    assert validation.phone_error(written) is None
    assert validation.normalize_phone(written) == kept


@pytest.mark.parametrize("written", ["138-0001-234", "1380001234567", "+86 1380001234", "0086-12800012345",
                                     "138-0001-2345-6", "+1 650 253 0000", "１２３", "13８0001234a",
                                     "٣٨٠٠٠١٢٣٤٥١"])
def test_numbers_that_are_no_phone_are_still_refused(written):
    assert validation.phone_error(written) is not None


def test_the_owner_form_stores_the_11_digits(supervisor, house):
    owner = owners.add_owner(supervisor, house.id, name="张三", phone="+86 138-0001-2345", phone2="0086 139 0001 2345")
    assert (owner.phone, owner.phone2) == ("13800012345", "13900012345")
    owners.update_owner(supervisor, owner.id, phone="（+86）１３７ ０００１ ２３４５")
    assert owners.Owner.get_by_id(owner.id).phone == "13700012345"
    with pytest.raises(ValidationError) as e:
        owners.update_owner(supervisor, owner.id, phone="138-0001-234")
    assert "11 digits" in e.value.fields["phone"][0]


def test_the_resident_parcel_repair_and_complaint_forms_store_the_11_digits(supervisor, house, frozen_now):
    resident = owners.add_resident(supervisor, house.id, name="张小明", kind="member", phone="138-0001-2345")
    assert resident.phone == "13800012345"
    parcel = parcels.receive(supervisor, house_id=house.id, tracking="SF1234567890", phone="+86 139 0001 2345",
                             shelf="A1", safe=True)
    assert parcel.phone == "13900012345"
    repair = repairs.report(supervisor, reporter="张三", what="水管漏水", category=repairs.category_of("水管漏水"),
                            house_id=house.id, phone="0086-137-0001-2345")
    assert repair.phone == "13700012345"
    complaint = complaints.record(supervisor, name="张三", what="楼上装修噪音", house_id=house.id,
                                  phone="(+86)136 0001 2345")
    assert complaint.phone == "13600012345"
