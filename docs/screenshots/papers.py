"""The printed documents, from the demo estate's real archive, as PDFs and as the PNGs in
papers/ (rendered with pdftoppm, poppler-utils):

    .venv/bin/python main.py demo --no-gui --db /tmp/demo.sqlite
    .venv/bin/python docs/screenshots/papers.py --db /tmp/demo.sqlite
"""
from __future__ import annotations

import argparse
import datetime
import os
import subprocess
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
OUT = Path(__file__).resolve().parent / "papers"


def png(pdf: bytes, name: str, page: int = 1, dpi: int = 60) -> None:
    with tempfile.NamedTemporaryFile(suffix=".pdf") as f:
        f.write(pdf)
        f.flush()
        subprocess.run(["pdftoppm", "-r", str(dpi), "-f", str(page), "-l", str(page), "-png", "-singlefile",
                        f.name, str(OUT / name)], check=True)
    print(OUT / f"{name}.png")


def main() -> int:
    p = argparse.ArgumentParser()
    p.add_argument("--db", required=True)
    a = p.parse_args()
    from PySide6.QtWidgets import QApplication

    from models import announcements, db, estate, search, settings, users
    from printing import announcement, calibration, card, lists, receipt
    from printing.furniture import Letterhead
    from ui import i18n
    from ui.house_detail import HouseDetail
    from ui.archive_page import MissingPapersDialog
    from ui.preview import list_data

    app = QApplication([])
    i18n.install(app, "zh_CN")
    db.connect(db.url_from_arg(a.db))
    user = users.login("admin", "demo1234")
    head = Letterhead.from_profile(estate.profile())
    OUT.mkdir(exist_ok=True)

    lines = [receipt.ReceiptLine("物业服务费", 22375, "2026-10", "89.50 m² × 1 月", "2.5000 元/m²/月"),
             receipt.ReceiptLine("水费", 4650, "2026-09", "15 吨", "3.10 元/吨"),
             receipt.ReceiptLine("车位管理费", 15000, "2026-10", "1 个 × 1 月", "150.00 元/月")]
    texts = receipt.ReceiptTexts.from_settings(settings.all_values())
    data = receipt.ReceiptData("2026-000123", datetime.date(2026, 11, 23), "3-2-1201", "张三", lines,
                               method="微信", cashier="李娜")
    png(receipt.render(data, head, texts=texts), "receipt_third_form", dpi=80)
    marked = receipt.ReceiptData(**{**data.__dict__, "void": True, "reprints": 1,
                                    "void_date": datetime.date(2026, 11, 24), "void_reason": "金额收错，已重开收据"})
    png(receipt.render(marked, head, paper="A5", carbonless=True, texts=texts), "receipt_a5_carbonless", dpi=80)

    notice = announcements.Announcement(kind="water", title="停水通知", reason="市政供水管网检修", buildings="1-6栋",
                                        starts=datetime.datetime(2026, 11, 28, 9), ends=datetime.datetime(2026, 11, 28, 15),
                                        what_to_do="", phone=estate.profile().office_phone,
                                        created_at=datetime.datetime(2026, 11, 23, 9, 30))
    png(announcement.render(announcements.wording(notice, head.office_name), head), "notice_water_a4")

    detail = HouseDetail(user)
    [hit] = [h for h in search.search(user, "3-2-1201") if h.kind == "house"][:1]
    detail.open_house(hit.house_id)
    png(card.render(detail.card_data(), head), "archive_card_a4")

    missing = MissingPapersDialog(user, None, "全小区")
    pdf = lists.render(list_data("缺失资料清单 — 全小区", missing.model, f"共 {missing.model.rowCount()} 户"), head)
    png(pdf, "missing_list_a4")
    png(calibration.render("CONT_THIRD", printer="EPSON LQ-630K"), "calibration_third_form", dpi=80)

    from ui import preview
    from ui.counter_page import CounterPage

    preview.PreviewDialog.exec = lambda self: 0  # made, not shown
    counter = CounterPage(users.login("li", "demo1234"))
    counter.open_house(hit.house_id)
    png(counter.print_statement().pdf, "statement_a4", dpi=70)

    from models import dunning
    from printing import dunning as dunning_paper

    png(dunning_paper.render(dunning.notices(user, "notice", [hit.house_id])[0], head), "payment_notice_a4", dpi=70)
    png(dunning_paper.render(dunning.notices(user, "dunning", [hit.house_id])[0], head), "dunning_notice_a4", dpi=70)

    from models import keys, parcels
    from printing import parcel_label, slip
    from printing.papers import key_slip

    loan = keys.KeyLoan.select().order_by(keys.KeyLoan.id).first()
    png(slip.render(key_slip(loan), head), "key_slip_a5", dpi=80)
    p = parcels.Parcel.select().where(parcels.Parcel.state == "waiting").first()
    label = parcel_label.LabelData(p.code, p.house.label, p.shelf, p.recipient, p.courier, p.tracking,
                                   p.received_at.strftime("%m-%d %H:%M"))
    png(parcel_label.render_many([label]), "parcel_label_roll", dpi=200)
    png(parcel_label.render_many([label] * 5, layout="sheet", start_at=2), "parcel_labels_a4_sheet", dpi=60)

    from models import lending
    from printing.papers import item_slip

    loan = lending.ItemLoan.select().order_by(lending.ItemLoan.id).first()
    loan.signature_out = signature_png()  # as drawn on the pad at the counter
    png(slip.render(item_slip(loan), head), "item_slip_a5", dpi=80)

    from ui.desk.handbook import HandbookTab

    handbook = HandbookTab(users.login("wang", "demo1234"))
    png(handbook.print_prices().pdf, "price_list_a4", dpi=70)
    png(handbook.print_profile().pdf, "estate_profile_a4", dpi=70)

    from models import repairs
    from printing.papers import work_order

    order = repairs.Repair.select().where(repairs.Repair.reworks > 0).first() or repairs.Repair.select().first()
    png(slip.render(work_order(order), head), "work_order_a5", dpi=80)
    png(slip.render(work_order(order), head, paper="CONT_HALF"), "work_order_half_form", dpi=80)

    from models import clock
    from ui.service.page import ServicePage

    boss = users.login("zhao", "demo1234")
    with clock.frozen(datetime.datetime(2026, 11, 22, 20, 0)):  # Sunday evening: the week for the manager
        service = ServicePage(boss)
        png(service.complaints.week_summary().pdf, "complaints_week_a4", dpi=70)
        png(service.repairs.figures("2026-11").pdf, "repair_figures_a4", dpi=70)
        png(service.survey.print_results().pdf, "survey_results_a4", dpi=70)
    return 0


def signature_png() -> bytes:
    from PySide6.QtCore import QBuffer, QPointF, Qt
    from PySide6.QtGui import QImage, QPainter, QPainterPath, QPen

    image = QImage(360, 110, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    path = QPainterPath(QPointF(20, 70))
    for x, y in ((60, 20), (80, 90), (110, 30), (130, 80), (170, 40), (200, 75), (240, 35), (300, 60), (340, 50)):
        path.quadTo(QPointF(x - 15, y - 25), QPointF(x, y))
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(QPen(Qt.GlobalColor.black, 3))
    painter.drawPath(path)
    painter.end()
    buffer = QBuffer()
    buffer.open(QBuffer.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    return bytes(buffer.data())


if __name__ == "__main__":
    sys.exit(main())
