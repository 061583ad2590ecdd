"""The papers the window prints, as a person at the office holds them: on this PC's papers
(the receipt forms for the calibration page and the sample receipt, its slip paper for the
slips), the arrears list marking on paper what the screen shows in red, the statement with
its sums, the day close with lines to sign."""
import datetime
import io

import pytest
from pypdf import PdfReader

from models import clock
from tests.printing import geometry

MM = 72 / 25.4


def size_mm(pdf: bytes, page: int = 0) -> tuple[int, int]:
    box = PdfReader(io.BytesIO(pdf)).pages[page].mediabox
    return round(float(box.width) / MM), round(float(box.height) / MM)


@pytest.fixture
def shown(monkeypatch):
    """Every preview opened: made, not shown."""
    from ui import preview

    dialogs = []
    monkeypatch.setattr(preview.PreviewDialog, "exec", lambda dialog: dialogs.append(dialog) or 0)
    monkeypatch.setattr(preview.PreviewDialog, "open", lambda dialog: dialogs.append(dialog))
    return dialogs


@pytest.mark.parametrize("paper", ["CONT_HALF", "A5", "CONT_THIRD"])
def test_the_calibration_page_and_sample_receipt_come_on_this_pcs_receipt_paper(admin, qtbot, shown, paper):
    from printing.paper import PAPERS
    from ui import prefs
    from ui.settings_page import SettingsPage

    size = round(PAPERS[paper].width_mm), round(PAPERS[paper].height_mm)

    page = SettingsPage(admin)
    qtbot.addWidget(page)
    page.receipt_paper.setCurrentIndex(page.receipt_paper.findData(paper))
    page.carbonless.setChecked(True)
    calibration = page.calibration_page(exec_dialog=False).pdf
    assert size_mm(calibration) == size
    [sheet] = geometry.pages(calibration)
    width, height = size[0] * MM, size[1] * MM
    assert f"{PAPERS[paper].width_mm:g} × {PAPERS[paper].height_mm:g} mm" in sheet.text and "当前偏移" in sheet.text
    words = [r for r in sheet.runs if r.size > 6.5]  # the instructions, not the grid's numbers
    assert sheet.overlapping(words) == [] and all(r.box.inside(geometry.Box(0, 0, width, height)) for r in words)
    sample = page.sample_receipt().pdf
    reader = PdfReader(io.BytesIO(sample))
    assert len(reader.pages) == 1 and size_mm(sample) == size  # carbonless: one pass
    page.carbonless.setChecked(False)
    assert len(PdfReader(io.BytesIO(page.sample_receipt().pdf)).pages) == 3  # 存根, 收据, 记账
    assert prefs.get("receipt/paper") == paper


def test_slips_print_on_the_paper_this_pc_uses_for_slips(admin, clerk, supervisor, house, qtbot, shown):
    from models import repairs
    from ui import prefs
    from ui.service.repairs import RepairsTab
    from ui.settings_page import SettingsPage

    settings_page = SettingsPage(admin)
    qtbot.addWidget(settings_page)
    assert settings_page.slip_paper.currentData() == "A5"  # as slips always were
    settings_page.slip_paper.setCurrentIndex(settings_page.slip_paper.findData("CONT_HALF"))
    assert prefs.get("slip/paper") == "CONT_HALF"
    with clock.frozen(datetime.datetime(2026, 11, 23, 9)):
        r = repairs.report(clerk, reporter="张三", what="厨房水槽下水管漏水，楼下天花板渗水，请尽快上门查看并更换下水管及密封圈。",
                           category="leak", house_id=house.id, phone="13812345678")
        tab = RepairsTab(clerk)
        qtbot.addWidget(tab)
        pdf = tab.print_order(r).pdf
    assert size_mm(pdf) == (241, 140)
    pages = geometry.pages(pdf)
    assert len(pages) == 1 and pages[0].overlapping() == []
    assert "维修派工单" in pages[0].text and "业主签字" in pages[0].text


def test_the_arrears_list_on_paper_marks_three_months_with_a_star_not_red(cashier, supervisor, house, qtbot, shown):
    from models import billing, fees
    from ui.arrears_page import ArrearsPage

    fees.update_item(supervisor, "service", unit_price="2.5000")
    fees.subscribe(supervisor, house.id, "service", starts=datetime.date(2026, 1, 1))
    for month in (8, 9, 10):
        with clock.frozen(datetime.datetime(2026, month, 1, 9)):
            billing.post(cashier, f"2026-{month:02d}")
    with clock.frozen(datetime.datetime(2026, 11, 20, 10)):
        page = ArrearsPage(cashier)
        qtbot.addWidget(page)
        text = PdfReader(io.BytesIO(page.print_list().pdf)).pages[0].extract_text()
    assert "★ 3-2-1201" in text
    assert "★: 3 months or more" in text  # the months of a dunning notice (office setting)
    assert "red" not in text.lower() and "红" not in text


def test_the_statement_closes_with_what_was_charged_and_paid_and_the_balance(cashier, supervisor, house, qtbot,
                                                                              shown):
    from models import billing, cashier as desk, fees
    from ui.counter_page import CounterPage

    fees.update_item(supervisor, "service", unit_price="2.5000")
    fees.subscribe(supervisor, house.id, "service", starts=datetime.date(2026, 1, 1))
    for month in (9, 10):
        with clock.frozen(datetime.datetime(2026, month, 1, 9)):
            billing.post(cashier, f"2026-{month:02d}")
    with clock.frozen(datetime.datetime(2026, 10, 20, 10)):
        [first, _second] = desk.owed(cashier, house.id)
        receipt = desk.take_payment(cashier, house.id, [desk.Pick(first.charge.id)], "wechat")  # September, late
        page = CounterPage(cashier)
        qtbot.addWidget(page)
        page.open_house(house.id)
        pdf = page.print_statement().pdf
    [sheet] = geometry.pages(pdf)
    # two months of 223.75 charged, September's paid with its late fee (35 days at 0.1 %),
    # October owed
    late = sum(line.amount for line in desk.receipt_lines(receipt) if line.group == "违约金")
    assert late == 783
    label = sheet.one("Total; balance at the end")
    row = [r for r in sheet.runs if abs(r.box.y0 - label.box.y0) < 1 and r.box.x0 > label.box.x1]
    assert [r.text for r in sorted(row, key=lambda r: r.box.x0)] == ["447.50", "223.75", "7.83", "223.75", "0.00"]
    payment = [r for r in sheet.runs if "收据 2026-000001" in r.text]
    assert payment and label.box.y1 < payment[0].box.y0  # under the lines, closing the table
    assert sheet.overlapping() == []


def test_the_printed_day_close_has_lines_for_the_cashier_the_checker_and_the_date(cashier, house, qtbot, shown):
    from ui.day_close_page import DayClosePage

    with clock.frozen(datetime.datetime(2026, 10, 12, 17)):
        page = DayClosePage(cashier)
        qtbot.addWidget(page)
        pdf = page.print_summary().pdf
    [sheet] = geometry.pages(pdf)
    labels = [sheet.one(words) for words in ("Cashier's signature:", "Checked by / supervisor:", "Date:")]
    lines = [s.box for s in sheet.shapes if s.kind == "line" and s.box.y0 == s.box.y1 and s.box.x1 - s.box.x0 > 20 * MM]
    for label in labels:
        # a line to sign on, right of the label, level with it
        assert any(b.x0 >= label.box.x1 - 1 and abs(b.y0 - label.box.y0) < 4 * MM for b in lines), label
    assert sheet.overlapping() == []


def test_a_voided_receipt_prints_with_the_day_and_reason_of_its_void(cashier, supervisor, house, qtbot):
    from models import cashier as desk, users
    from ui import prefs
    from ui.receipts import receipt_pdf

    prefs.set("receipt/paper", "A5")
    prefs.set("receipt/carbonless", True)
    with clock.frozen(datetime.datetime(2026, 11, 23, 9)):
        r = desk.take_payment(cashier, house.id, [], "cash", tendered=10_000, prepay=10_000)
    with clock.frozen(datetime.datetime(2026, 11, 24, 10)):
        r = desk.void(cashier, r.id, "金额收错", users.approve(supervisor.username, "secret1", "cash.approve"))
    [sheet] = geometry.pages(receipt_pdf(r))
    stamp = sheet.one("作  废")
    assert "作废日期 2026-11-24" in sheet.text and "原因：金额收错" in sheet.text
    assert sheet.one("收费项目").box.y0 >= stamp.box.y1 >= stamp.box.y0 >= sheet.find("合计(大写)")[0].box.y1
