"""`main.py print …`: any paper the window prints, made by a script from the office's
records, on the paper the window would use, refused in words for a user who may not."""
import datetime
import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from pypdf import PdfReader

from models import announcements, billing, owners, cashier as desk, clock, fees, keys, lending, repairs
from models.keys import Borrower

ROOT = Path(__file__).resolve().parents[2]
MM = 72 / 25.4


def run(*args, password="secret1"):
    env = {**os.environ, "ESTATEDESK_PASSWORD": password, "QT_QPA_PLATFORM": "offscreen"}
    return subprocess.run([sys.executable, str(ROOT / "main.py"), *args], capture_output=True, text=True,
                          timeout=180, cwd=ROOT, env=env)


def made(path):
    reader = PdfReader(path)
    box = reader.pages[0].mediabox
    return (round(float(box.width) / MM, 1), round(float(box.height) / MM, 1)), \
        "".join(p.extract_text() for p in reader.pages).replace(" ", "")


@pytest.fixture
def office(db_url, admin, clerk, cashier, supervisor, house):
    owners.add_owner(clerk, house.id, name="张三", phone="13812345678")
    fees.update_item(supervisor, "service", unit_price="2.5000")
    fees.subscribe(supervisor, house.id, "service", starts=datetime.date(2026, 1, 1))
    for month in (8, 9, 10):
        with clock.frozen(datetime.datetime(2026, month, 1, 9)):
            billing.post(cashier, f"2026-{month:02d}")
    with clock.frozen(datetime.datetime(2026, 10, 20, 10)):
        first = desk.owed(cashier, house.id)[0]
        receipt = desk.take_payment(cashier, house.id, [desk.Pick(first.charge.id)], "cash", tendered=None)
        repair = repairs.report(clerk, reporter="张三", what="厨房水管漏水", category="water", house_id=house.id)
        key = keys.add_key(clerk, tag="K-12", name="3-2-1201 大门", kind="house", house_id=house.id,
                           position="A柜3号", copies=2)
        key_loan = keys.lend(clerk, key.id, Borrower("owner", "张三"))
        item = lending.add_item(clerk, tag="T-01", name="人字梯")
        item_loan = lending.lend(clerk, item.id, borrower="张三", condition="完好")
        notice = announcements.create(clerk, kind="general", reason="本周五停车场划线")
    return dict(url=db_url, receipt=receipt, repair=repair, key_loan=key_loan, item_loan=item_loan,
                notice=notice)


def test_each_paper_is_made_from_the_command_line_on_the_windows_paper(office, tmp_path):
    url = office["url"]
    cases = [
        ("receipt", office["receipt"].number_text, "li", (241.0, 93.1), [office["receipt"].number_text, "3-2-1201"]),
        ("work-order", office["repair"].number_text, "wang", (148.0, 210.0), ["维修派工单", "给排水", "厨房水管漏水"]),
        ("key-slip", f"K{office['key_loan'].id:06d}", "wang", (148.0, 210.0), ["钥匙借用登记单", "K-12"]),
        ("item-slip", f"W{office['item_loan'].id:06d}", "wang", (148.0, 210.0), ["物品借用单", "人字梯"]),
        ("announcement", str(office["notice"].id), "wang", (210.0, 297.0), ["停车场划线"]),
        ("notices", "3", "li", (210.0, 297.0), ["3-2-1201"]),
    ]
    for kind, which, user, size, words in cases:
        out = tmp_path / f"{kind}.pdf"
        done = run("--db", url, "print", kind, which, "--to", str(out), "--user", user)
        assert done.returncode == 0, (kind, done.stderr)
        assert done.stdout.startswith(f"ok: {out}")
        got_size, text = made(out)
        assert got_size == size, kind
        for w in words:
            assert w in text, (kind, w)
    a5 = tmp_path / "notices-a5.pdf"
    assert run("--db", url, "print", "notices", "3", "--paper", "A5", "--to", str(a5), "--user", "li").returncode == 0
    assert made(a5)[0] == (148.0, 210.0)  # the paper asked for, for notices too


def test_a_receipt_from_the_command_line_is_the_windows_reprint_marked_counted_and_audited(office, tmp_path):
    from models import audit, estate
    from printing import papers
    from printing.furniture import Letterhead

    r = desk.get_receipt(office["receipt"].id)
    window = papers.receipt_pdf(r, Letterhead.from_profile(estate.profile()), paper="CONT_THIRD", carbonless=False,
                                reprint=True)
    out = tmp_path / "r.pdf"
    assert run("--db", office["url"], "print", "receipt", r.number_text, "--to", str(out), "--user", "li").returncode == 0
    assert made(out)[1] == "".join(p.extract_text() for p in PdfReader(io.BytesIO(window)).pages).replace(" ", "")
    assert "补打(第1次)" in made(out)[1]
    assert desk.get_receipt(r.id).reprints == 1  # a copy a script made is a copy all the same
    assert audit.AuditEntry.select().where(audit.AuditEntry.action == "receipt.reprint").count() == 1


def test_a_paper_the_user_may_not_see_or_that_does_not_exist_is_refused_in_one_line(office, tmp_path):
    url, out = office["url"], tmp_path / "x.pdf"
    for args, words in [
        (("print", "receipt", "2026-999999", "--user", "li"), "2026-999999"),
        (("print", "work-order", "WX2026-0999", "--user", "wang"), "WX2026-0999"),
        (("print", "key-slip", "K999999", "--user", "wang"), "no longer exists"),
        (("print", "notices", "99", "--user", "li"), "99"),
        (("print", "dunning", "3", "--user", "li"), "no house here needs one"),  # owes two months, not three
        (("print", "work-order", office["repair"].number_text, "--user", "admin"), "repairs and complaints"),
        (("print", "receipt", office["receipt"].number_text, "--user", "admin"), "take payments"),
        (("print", "receipt", office["receipt"].number_text, "--user", "wang"), "take payments"),  # li's receipt
        (("print", "notices", "3", "--user", "admin"), "payment notices"),
        (("print", "work-order", office["repair"].number_text, "--user", "wang", "--carbonless"), "receipts only"),
    ]:
        done = run("--db", url, *args, "--to", str(out))
        assert done.returncode == 1, args
        assert done.stderr.count("\n") == 1 and words.lower() in done.stderr.lower() and "Traceback" not in done.stderr
        assert not out.exists()
