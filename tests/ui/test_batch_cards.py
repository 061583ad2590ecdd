"""A batch of archive cards: every house of a building in one PDF, made off the UI thread,
previewed from disk and printed as one job; recorded in the audit log only once it has
left the system (printed or saved), never when cancelled."""
import pytest
from pypdf import PdfReader

from models import audit, estate, owners


@pytest.fixture
def building(admin, house):
    """Building 3: unit 2 with 1201 (an owner, 张三) and 1202, unit 1 with 101."""
    u2 = house.unit_id
    estate.create_house(admin, u2, number="1202", area="75.00")
    u1 = estate.create_unit(admin, house.unit.building_id, "1")
    estate.create_house(admin, u1.id, number="101", area="60.00")
    owners.add_owner(admin, house.id, name="张三", id_number="11010519491231002X",
                     phone="13812345678")
    return house.unit.building


def printed_entries(user):
    return list(audit.browse(user, action="archive.print"))


def make_cards(page, qtbot, monkeypatch, building, while_shown=lambda dialog: None):
    """Choose the building in the tree and make its cards; `while_shown(dialog)` runs while
    the preview is open (its file is removed when the preview closes)."""
    from ui import preview

    shown = []

    def exec_(dialog):
        shown.append(dialog)
        while_shown(dialog)
        return 0

    monkeypatch.setattr(preview.PreviewDialog, "exec", exec_)
    for i in range(page.tree.topLevelItemCount()):
        item = page.tree.topLevelItem(i)
        if item.data(0, 0x100)[1] == building.id:
            page.tree.setCurrentItem(item)
    page.print_cards()
    return shown


def test_the_cards_of_a_building_print_as_one_job_and_are_recorded_once(clerk, supervisor, building, qtbot,
                                                                        monkeypatch, message_boxes, tmp_path):
    from tests.ui.test_preview import pdf_printer
    from ui.archive_page import ArchivePage

    target = tmp_path / "printed.pdf"
    seen = {}

    def look_and_print(dialog):
        seen["pages"], seen["path"] = dialog.pages, dialog.path  # read from disk, not held in memory
        seen["texts"] = [p.extract_text() for p in PdfReader(dialog.path).pages]
        seen["before"] = printed_entries(supervisor)
        seen["printed"] = dialog.print_with(pdf_printer(target))

    page = ArchivePage(clerk)
    qtbot.addWidget(page)
    make_cards(page, qtbot, monkeypatch, building, look_and_print)
    assert any(kind == "question" and "3" in text for kind, _, text in message_boxes)
    assert seen["pages"] == 3
    texts = seen["texts"]
    # in the list's order, unit 1 before unit 2, each card numbered on its own
    assert ["3-1-101" in texts[0], "3-2-1201" in texts[1], "3-2-1202" in texts[2]] == [True] * 3
    assert all("第 1 页 / 共 1 页" in t for t in texts)
    assert "张三" in texts[1] and "11010519491231002X" not in texts[1] and "138****5678" in texts[1]
    assert seen["before"] == []  # made and previewed: nothing has left the system yet
    assert seen["printed"] is True and len(PdfReader(target).pages) == 3
    import os
    assert not os.path.exists(seen["path"])  # the batch file goes with the preview
    [entry] = printed_entries(supervisor)
    assert entry.username == clerk.username and building.name in entry.summary
    assert '"houses": 3' in entry.detail and '"print"' in entry.detail


def test_a_cancelled_print_of_the_cards_records_nothing(clerk, supervisor, building, qtbot, monkeypatch,
                                                        message_boxes, tmp_path):
    from PySide6.QtWidgets import QProgressDialog

    from tests.ui.test_preview import pdf_printer
    from ui.archive_page import ArchivePage

    outcome = []

    def cancel_printing(dialog):
        monkeypatch.setattr(QProgressDialog, "wasCanceled", lambda self: True)  # the clerk clicks Cancel
        outcome.append(dialog.print_with(pdf_printer(tmp_path / "printed.pdf")))

    page = ArchivePage(clerk)
    qtbot.addWidget(page)
    make_cards(page, qtbot, monkeypatch, building, cancel_printing)
    assert outcome == [False]
    assert printed_entries(supervisor) == []
    assert any(kind == "information" and "stopped" in text.lower() or "停止" in text
               for kind, _, text in message_boxes)


def test_cancelling_while_the_cards_are_made_leaves_no_file_and_no_preview(clerk, building, qtbot, monkeypatch,
                                                                         message_boxes):
    from PySide6.QtWidgets import QProgressDialog

    from printing import batch
    from ui.archive_page import ArchivePage

    written = []
    real_write = batch.write

    def spy(path, *a, **k):
        written.append(path)
        return real_write(path, *a, **k)

    monkeypatch.setattr(batch, "write", spy)
    monkeypatch.setattr(QProgressDialog, "wasCanceled", lambda self: True)
    page = ArchivePage(clerk)
    qtbot.addWidget(page)
    assert make_cards(page, qtbot, monkeypatch, building) == []
    [path] = written
    import os
    assert not os.path.exists(path) and not os.path.exists(path + ".part")
