"""Items lent to owners: the condition written down at lending and at return, a signature
drawn on screen kept with the loan (a PNG, nothing else), one loan at a time, overdue."""
import datetime

import pytest

from models import clock, lending
from models.errors import OfficeError, ValidationError

T0 = datetime.datetime(2026, 11, 23, 10, 0)
H = datetime.timedelta(hours=1)
SIGNATURE = lending.PNG + b"\x00" * 64  # what a drawn signature starts like


@pytest.fixture
def ladder(clerk):
    return lending.add_item(clerk, tag="t-01", name="人字梯 2 米", note="带防滑垫")


def test_an_item_goes_out_and_comes_back_with_its_condition_and_signatures(clerk, house, ladder):
    with clock.frozen(T0):
        with pytest.raises(ValidationError) as e:
            lending.lend(clerk, ladder.id, borrower="张三", condition=" ")
        assert "condition_out" in e.value.fields and lending.ItemLoan.select().count() == 0
        loan = lending.lend(clerk, ladder.id, borrower="张三", house_id=house.id, condition="完好，防滑垫齐全",
                            signature=SIGNATURE)
        with pytest.raises(OfficeError):
            lending.lend(clerk, ladder.id, borrower="李四", condition="完好")  # one at a time
    due = datetime.datetime(2026, 11, 24, 23, 59, 59)  # 1 day: the end of the next day, not 24 h
    assert loan.due_at == due and bytes(lending.ItemLoan.get_by_id(loan.id).signature_out) == SIGNATURE
    assert lending.overdue(clerk, T0 + 25 * H) == [] and lending.overdue(clerk, due) == []
    assert [x.id for x in lending.overdue(clerk, due + datetime.timedelta(seconds=1))] == [loan.id]
    with clock.frozen(T0 + 26 * H):
        back = lending.take_back(clerk, loan.id, condition="一只防滑垫破损", signature=SIGNATURE)
    assert (back.state, back.condition_back) == ("returned", "一只防滑垫破损")
    assert lending.overdue(clerk, T0 + 30 * H) == []


def test_a_signature_must_be_a_picture_of_reasonable_size(clerk, ladder):
    with pytest.raises(ValidationError) as e:
        lending.lend(clerk, ladder.id, borrower="张三", condition="完好", signature=b"GIF89a...")
    assert "signature_out" in e.value.fields
    with pytest.raises(ValidationError):
        lending.lend(clerk, ladder.id, borrower="张三", condition="完好",
                     signature=lending.PNG + b"\x00" * lending.MAX_SIGNATURE)


def test_a_lost_item_leaves_the_list(clerk, ladder):
    with clock.frozen(T0):
        loan = lending.lend(clerk, ladder.id, borrower="张三", condition="完好")
        lending.take_back(clerk, loan.id, condition="借用人告知遗失，照价赔偿", lost=True)
    assert lending.items(clerk) == [] and lending.ItemLoan.get().state == "lost"
