"""A printed list's long Chinese cell wraps as Chinese is written: between characters,
never with a "，" or "。" at the start of a line (禁则)."""
import io

from pypdf import PdfReader

from printing import lists
from printing.furniture import Letterhead


def test_a_long_chinese_cell_never_starts_a_line_with_a_comma():
    # the comma moves along the line, so for some of these rows it falls just past a line's end
    texts = ["业主反映" + "电梯困人" * (k // 4) + "约" * (k % 4) + "，救援迟缓，请尽快答复。" for k in range(16, 44)]
    data = lists.ListData("当日投诉", ["房屋", "内容", "状态"], [["5-1-901", t, "处理中"] for t in texts],
                          widths=(1, 3, 1))
    pdf = lists.render(data, Letterhead("翠湖花园物业服务中心"))
    lines = [line.strip() for page in PdfReader(io.BytesIO(pdf)).pages for line in page.extract_text().splitlines()]
    assert sum(1 for line in lines if line.startswith("业主反映")) == len(texts)
    assert sum(1 for line in lines if line.endswith("复。")) == len(texts)  # every cell, to its end
    assert [line for line in lines if line and line[0] in "，。"] == []
