import io

from pypdf import PdfReader

from printing import lists
from printing.furniture import Letterhead

HEAD = Letterhead("翠湖花园物业服务中心", "深圳市南山区翠湖路88号", "0755-86001234")


def test_a_long_list_runs_over_pages_with_header_row_letterhead_and_page_numbers():
    rows = [[f"3-2-{1000 + i}", "张三" if i % 2 else "李四<&>", "业主公约"] for i in range(120)]
    pdf = lists.render(lists.ListData("缺失资料清单", ["房屋", "业主", "缺失"], rows, subtitle="3栋"), HEAD)
    pages = [p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages]
    assert len(pages) >= 3
    for n, text in enumerate(pages, start=1):
        assert f"第 {n} 页 / 共 {len(pages)} 页" in text
        assert "翠湖花园物业服务中心" in text and "房屋" in text  # letterhead and header row on each page
    everything = "".join(pages)
    assert all(f"3-2-{1000 + i}" in everything for i in range(120))
    assert "李四<&>" in everything  # markup characters are printed, not interpreted
