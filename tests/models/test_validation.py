import pytest
from hypothesis import given, strategies as st

from models import validation as v


@pytest.mark.parametrize("number", ["11010519491231002X", "11010519491231002x", "440305199003071236"])
def test_valid_resident_id_numbers_pass(number):
    assert v.resident_id_error(number) is None


@pytest.mark.parametrize("number,why", [
    ("110105194912310021", "does not match"),  # wrong check digit
    ("11010519491231002", "18 characters"),  # 17 characters
    ("1101051949123100211", "18 characters"),
    ("11010519491331002X", "date of birth"),  # month 13
    ("1101051949123100X2", "18 characters"),  # X not last
])
def test_bad_resident_id_numbers_say_what_is_wrong(number, why):
    assert why in v.resident_id_error(number)


@given(st.from_regex(r"[1-6]\d{5}(19[5-9]\d|200\d)(0[1-9]|1[0-2])(0[1-9]|1\d|2[0-8])\d{3}", fullmatch=True))
def test_every_id_with_its_computed_check_char_is_valid_and_any_other_is_not(first17):
    good = first17 + v.resident_id_check_char(first17)
    assert v.resident_id_error(good) is None
    for wrong in "0123456789X":
        if wrong != good[-1]:
            assert v.resident_id_error(first17 + wrong) is not None


def test_unified_social_credit_code_check_character():
    assert v.uscc_error("91350100M000100Y43") is None
    assert v.uscc_error("91350100M000100Y44") is not None


@pytest.mark.parametrize("phone", ["13812345678", "0755-88886666", "075588886666", "88886666",
                                   "010-12345678-123", "+8613812345678", "138 1234 5678"])
def test_mobile_and_landline_numbers_pass(phone):
    assert v.phone_error(phone) is None


@pytest.mark.parametrize("phone", ["1381234567", "12812345678", "abc", "0755-123", "138123456789"])
def test_bad_phone_numbers_are_refused(phone):
    assert v.phone_error(phone) is not None


def test_masks_keep_only_what_a_clerk_needs_to_confirm():
    assert v.mask_id("110105194912310021") == "110***********0021"
    assert v.mask_phone("13812345678") == "138****5678"
    assert v.mask_phone("075588886666") == "********6666"
    assert v.mask_phone("") == ""


def test_a_short_document_number_shows_only_its_last_four():
    assert v.mask_id("E12345678") == "*****5678"


def test_a_landline_extension_is_masked_with_the_rest():
    assert v.mask_phone("075588886666-123") == "********6666"
    assert v.phone_digits("0755-8888 6666-123") == "075588886666"
