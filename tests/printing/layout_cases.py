"""The receipts whose print the built-in layout fixed before templates existed, and how a
print is written down to compare: every text run (its words, where it starts, its size) and
every ruled line and box, page by page, to the hundredth of a point.

tests/data/layouts/receipt.json holds what the layout printed for each case, recorded
from the code as it stood before the layouts became templates; the default templates
must print the same. `python -m tests.printing.layout_cases record` writes it again (only
ever from a layout known to be right)."""
from __future__ import annotations

import datetime
import json
import sys
from pathlib import Path

from printing import receipt
from printing.furniture import Letterhead
from printing.paper import PAPERS
from tests.printing import geometry

RECORD = Path(__file__).resolve().parents[1] / "data" / "layouts" / "receipt.json"
HEADS = {"full": Letterhead("翠湖花园物业服务中心", "深圳市南山区翠湖路88号", "0755-86001234"),
         "name": Letterhead("翠湖花园物业服务中心")}
ITEMS = [("物业服务费", 22308, "2026-11", "89.50 m² × 1 月", "2.5000 元/m²/月"),
         ("生活垃圾费", 1000, "2026-11", "1 户 × 1 月", "10.0000 元/户/月"),
         ("水费", 5580, "2026-11", "18 吨", "3.1000 元/吨"),
         ("公共水电分摊（电梯、水泵、路灯、变压器损耗）", 1234, "2026-09至2026-11", "1,289.50 m² × 3 月",
          "0.3500 元/m²/月")]


def lines(n: int) -> list[receipt.ReceiptLine]:
    return [receipt.ReceiptLine(*ITEMS[i % len(ITEMS)]) for i in range(n)]


def cases() -> dict[str, tuple]:
    """name → (data, letterhead, paper, carbonless, texts)."""
    day = datetime.date(2026, 11, 23)
    plain = receipt.ReceiptTexts()
    worded = receipt.ReceiptTexts("收  款  收  据", "收款人：{cashier}　　经手人：　　　　", "盖章有效，遗失不补")
    out = {}
    for paper in PAPERS:
        per = receipt.lines_per_form(paper)
        base = dict(number="2026-000644", date=day, house="3-2-1201", payer="张三", method="现金", cashier="李娜")
        out[f"{paper}-cash"] = (receipt.ReceiptData(lines=lines(3), note="实收 500.00 找零 206.10", **base),
                                "full", paper, False, plain)
        out[f"{paper}-carbonless-worded"] = (receipt.ReceiptData(lines=lines(2), **base), "name", paper, True, worded)
        out[f"{paper}-reprint"] = (receipt.ReceiptData(lines=lines(1), reprints=2, **base), "full", paper, True, plain)
        out[f"{paper}-void"] = (receipt.ReceiptData(lines=lines(2), void=True, void_date=day,
                                                    void_reason="收错户，应为3-2-1202", **base),
                                "full", paper, True, plain)
        out[f"{paper}-forms"] = (receipt.ReceiptData(lines=lines(per + 1), form_numbers=("0012345", "0012346"),
                                                     **base), "full", paper, False, plain)
        out[f"{paper}-refund"] = (receipt.ReceiptData(lines=lines(1), **base), "full", paper, True,
                                  receipt.ReceiptTexts(title="退  款  单"))
    return out


def render_case(case) -> bytes:
    data, head, paper, carbonless, texts = case
    return receipt.render(data, HEADS[head], paper=paper, carbonless=carbonless, texts=texts)


def written_down(pdf: bytes) -> list[dict]:
    def r(v: float) -> float:
        return round(v, 2)

    out = []
    for page in geometry.pages(pdf):
        out.append({"size": [r(page.width), r(page.height)],
                    "runs": [[run.text, r(run.box.x0), r(run.box.y0), r(run.size)] for run in page.runs],
                    "shapes": [[s.kind, r(s.box.x0), r(s.box.y0), r(s.box.x1), r(s.box.y1), s.paint]
                               for s in page.shapes]})
    return out


def record() -> None:
    RECORD.write_text(json.dumps({name: written_down(render_case(case)) for name, case in cases().items()},
                                 ensure_ascii=False, indent=0), encoding="utf-8")


if __name__ == "__main__" and sys.argv[1:] == ["record"]:
    record()
