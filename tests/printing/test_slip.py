"""Slips (key and item loans, the repair work order) read back from their PDF, on every paper
a PC may print them on, the counter's 241 mm continuous forms included: all of it on the
paper, inside its cells, nothing overprinting, and what one form cannot hold continued on
the next."""
import pytest

from printing import slip
from printing.furniture import Letterhead
from printing.paper import PAPERS
from tests.printing import geometry

MM = geometry.MM
HEAD = Letterhead("翠湖花园物业服务中心", "深圳市南山区翠湖路88号", "0755-86001234")
WHAT = "厨房水槽下水管漏水，地面积水，楼下业主反映天花板渗水（已关闭总阀），请尽快上门查看并更换下水管及密封圈。"
ORDER = slip.SlipData(
    "维修派工单", "R2026-000045",
    [("房号/地点", "3-2-1201 厨房"), ("报修人", "张三"), ("联系电话", "138****5678"), ("报修时间", "2026-11-23 09:30"),
     ("报修内容", WHAT), ("类别", "给排水"), ("紧急程度", "紧急"), ("维修人员", "李师傅"),
     ("约定时间", "2026-11-23 14:00"), ("返修", "第 1 次")],
    "完工后请业主核对维修结果并评价：□满意  □基本满意  □不满意。所用材料及有偿费用按物业服务中心价目表收取。",
    ["维修人员", "业主签字", "完工时间", "派工人"])


def crossing(page: geometry.Page) -> list:
    """Runs a ruled line of the table cuts through."""
    out = []
    for s in page.shapes:
        b = s.box
        if s.kind != "line":
            continue
        for r in page.runs:
            if b.y0 == b.y1 and r.box.x0 < b.x1 and b.x0 < r.box.x1 and r.box.y0 + 0.05 < b.y0 < r.box.y1 - 0.05:
                out.append((r, "across"))
            if b.x0 == b.x1 and r.box.y0 < b.y1 and b.y0 < r.box.y1 and r.box.x0 + 0.05 < b.x0 < r.box.x1 - 0.05:
                out.append((r, "down"))
    return out


def check(pdf: bytes) -> list[geometry.Page]:
    pages = geometry.pages(pdf)
    for page in pages:
        assert page.overlapping() == []
        paper = geometry.Box(0, 0, page.width, page.height).grown(-5 * MM)
        assert [r for r in page.runs if not r.box.inside(paper)] == []
        assert crossing(page) == []
    return pages


def flat(pages) -> str:
    return "".join(r.text for p in pages for r in p.runs).replace(" ", "")


@pytest.mark.parametrize("paper", list(PAPERS))
def test_a_work_order_prints_whole_and_tidy_on_every_paper(paper):
    pages = check(slip.render(ORDER, HEAD, paper=paper))
    width, height = PAPERS[paper].size()
    assert (pages[0].width, pages[0].height) == pytest.approx((width, height))
    assert len(pages) == 1  # one form, even the third-height one
    text = flat(pages)
    for label, value in ORDER.rows:
        assert label in text and value.replace(" ", "") in text, label
    for words in ("维修派工单", "No.R2026-000045", "维修人员：", "业主签字：", "派工人：", "价目表收取。"):
        assert words in text, words


@pytest.mark.parametrize("paper", ["CONT_HALF", "CONT_THIRD", "A5"])
def test_a_slip_too_long_for_one_form_continues_on_the_next_with_the_signatures_last(paper):
    many = slip.SlipData("物品借用单", "W000123", [(f"物品{n}", f"电钻（含钻头{n}支）") for n in range(40)],
                         "借用人须按时归还。", ["借用人签字", "经办人"])
    pages = check(slip.render(many, HEAD, paper=paper))
    assert len(pages) >= 2
    assert all("物品借用单（续）" in "".join(r.text for r in p.runs) for p in pages[1:])
    text = flat(pages)
    assert all(f"物品{n}" in text and f"电钻（含钻头{n}支）" in text for n in range(40))
    assert "借用人签字：" in "".join(r.text for r in pages[-1].runs)
