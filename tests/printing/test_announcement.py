import datetime
import io

import pytest
from pypdf import PdfReader

from models import announcements, settings
from models.errors import PermissionDenied, ValidationError
from printing import announcement
from printing.furniture import Letterhead

HEAD = Letterhead("翠湖花园物业服务中心", "深圳市南山区翠湖路88号", "0755-86001234")
SAT_9 = datetime.datetime(2026, 11, 28, 9, 0)
SAT_15 = datetime.datetime(2026, 11, 28, 15, 0)


def test_a_water_cut_notice_says_who_when_why_and_whom_to_call(clerk, frozen_now):
    a = announcements.create(clerk, kind="water", reason="市政供水管网检修", buildings="1-6栋",
                             starts=SAT_9, ends=SAT_15, phone="0755-86001234")
    pdf = announcement.render(announcements.wording(a, "翠湖花园物业服务中心"), HEAD, copies=12)
    pages = [p.extract_text().replace("\n", "") for p in PdfReader(io.BytesIO(pdf)).pages]
    assert len(pages) == 12  # scenario 9: twelve copies for the notice boards
    text = pages[0]
    for words in ("停水通知", "尊敬的各位业主、住户", "因市政供水管网检修", "2026年11月28日（星期六）9:00至15:00",
                  "1-6栋暂停供水", "0755-86001234", "2026年11月23日"):
        assert words in text, words
    assert pages[11] == pages[0]


def test_the_office_changes_the_wording_in_settings(admin, clerk, frozen_now):
    settings.update({"notice_water": "{buildings}停水：{start}—{end}，原因：{reason}。"}, user=admin)
    a = announcements.create(clerk, kind="water", reason="水箱清洗", buildings="3栋", starts=SAT_9, ends=SAT_15)
    text = announcements.wording(a, "物业").body
    assert text == "3栋停水：2026年11月28日（星期六）9:00—15:00，原因：水箱清洗。"
    with pytest.raises(ValidationError):
        settings.update({"notice_water": "{buildings} {who}"}, user=admin)


@pytest.mark.parametrize("fields,bad", [
    ({"kind": "water", "reason": "", "buildings": "1栋", "starts": SAT_9, "ends": SAT_15}, "reason"),
    ({"kind": "water", "reason": "检修", "buildings": "1栋", "starts": SAT_15, "ends": SAT_9}, "ends"),
    ({"kind": "power", "reason": "检修", "buildings": "", "starts": SAT_9, "ends": SAT_15}, "buildings"),
    ({"kind": "power", "reason": "检修", "buildings": "1栋"}, "starts"),
    ({"kind": "flood", "reason": "检修"}, "kind"),
])
def test_an_incomplete_announcement_is_refused_and_not_kept(clerk, fields, bad):
    with pytest.raises(ValidationError) as err:
        announcements.create(clerk, **fields)
    assert bad in err.value.fields
    assert announcements.history(clerk) == []


def test_the_history_keeps_every_announcement_newest_first(clerk, cashier, frozen_now):
    first = announcements.create(clerk, kind="general", reason="小区将于周日举办消防演练。")
    second = announcements.create(clerk, kind="construction", reason="外墙维修", buildings="7栋",
                                  starts=SAT_9, ends=SAT_15)
    assert [a.id for a in announcements.history(cashier)] == [second.id, first.id]
    with pytest.raises(PermissionDenied):
        announcements.create(cashier, kind="general", reason="x")


def test_every_page_of_a_long_notice_says_which_page_of_how_many_it_is():
    from tests.printing import geometry

    body = "\n".join(f"第{n}条：小区外墙维修期间，请业主关好门窗，看管好小孩，不要在施工区域内停留或停放车辆。"
                     for n in range(1, 40))
    notice = announcements.NoticeText("施工通知", "尊敬的各位业主、住户：", body, "如有疑问，请致电0755-86001234。",
                                      "翠湖花园物业服务中心", datetime.date(2026, 11, 23))
    pages = geometry.pages(announcement.render_many([notice, notice], HEAD))
    per_notice = len(pages) // 2
    assert per_notice >= 2
    for n, page in enumerate(pages):
        k = n % per_notice + 1
        mark = page.one(f"第 {k} 页 / 共 {per_notice} 页")  # numbered within each notice
        assert mark.box.y0 > 5 * geometry.MM
        assert page.overlapping() == []
    text = "".join(r.text for p in pages[:per_notice] for r in p.runs)
    assert all(f"第{n}条" in text for n in range(1, 40)) and "翠湖花园物业服务中心" in text
    # one sheet: nothing to number
    short = announcements.NoticeText("停水通知", "尊敬的各位业主、住户：", "本周六停水。", "", "物业", datetime.date(2026, 11, 23))
    [only] = geometry.pages(announcement.render(short, HEAD))
    assert only.find("页") == []


def test_a_drafted_notice_is_kept_only_once_issued(clerk, frozen_now):
    """The preview's notice is a draft: nothing is recorded until it is printed or saved as
    PDF, and then once."""
    from models import audit

    a = announcements.draft(clerk, kind="water", reason="水箱清洗", buildings="3栋", starts=SAT_9, ends=SAT_15)
    assert "水箱清洗" in announcements.wording(a, "物业").body  # worded for the preview as it is
    assert announcements.history(clerk) == [] and a.id is None
    kept = announcements.record(clerk, a, "pdf")
    assert announcements.record(clerk, a, "print").id == kept.id  # printed after saving: still one
    assert [x.id for x in announcements.history(clerk)] == [kept.id]
    assert audit.AuditEntry.select().where(audit.AuditEntry.action == "notice.create").count() == 1
    with pytest.raises(ValueError):
        announcements.record(clerk, announcements.draft(clerk, kind="general", reason="x"), "preview")
