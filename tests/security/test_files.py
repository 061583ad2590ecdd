"""Files that are not what they seem (issue 16): a workbook claiming far more than it holds, a
database another PC holds with a long write, a database on a read-only disk or in an
immutable file, and a --db path with a typo."""
import argparse
import contextlib
import shutil
import sqlite3
import subprocess
import sys
import threading
import zipfile
from pathlib import Path

import openpyxl
import pytest

from models import backup, db, importing
from models.errors import DatabaseOpenError, OfficeError
from tests.conftest import PG_URL

ROOT = Path(__file__).resolve().parents[2]
on_sqlite = pytest.mark.skipif(bool(PG_URL), reason="a PC's SQLite file")


# --- hostile workbooks, made by hand -----------------------------------------------------------

_CT = ('<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
       'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships'
       '+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" '
       'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override '
       'PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.'
       'spreadsheetml.worksheet+xml"/></Types>')
_RELS = ('<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
         '2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
         'relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>')
_BOOK = ('<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/'
         '2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>'
         '<sheet name="名册" sheetId="1" r:id="rId1"/></sheets></workbook>')
_BOOK_RELS = ('<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/'
              'package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
              'officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>')


def _cell(ref, text):
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'


_TABLE = ('<row r="1">' + _cell("A1", "房号") + _cell("B1", "业主姓名") + '</row>'
          '<row r="2">' + _cell("A2", "3-2-1201") + _cell("B2", "张三") + '</row>')


def xlsx(path, rows_xml, dimension=None):
    """A workbook written by hand: its sheet's XML as given, with a <dimension> if any."""
    sheet = ('<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/'
             'spreadsheetml/2006/main">' + (f'<dimension ref="{dimension}"/>' if dimension else "")
             + "<sheetData>" + rows_xml + "</sheetData></worksheet>")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", _CT)
        z.writestr("_rels/.rels", _RELS)
        z.writestr("xl/workbook.xml", _BOOK)
        z.writestr("xl/_rels/workbook.xml.rels", _BOOK_RELS)
        z.writestr("xl/worksheets/sheet1.xml", sheet)
    return path


def ods(path, table_xml):
    content = ('<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="urn:oasis:names:tc:'
               'opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
               'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2"><office:body>'
               '<office:spreadsheet><table:table table:name="名册">' + table_xml
               + "</table:table></office:spreadsheet></office:body></office:document-content>")
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        z.writestr("content.xml", content, compress_type=zipfile.ZIP_DEFLATED)
        z.writestr("META-INF/manifest.xml", '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:'
                   'manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
                   '<manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.'
                   'opendocument.spreadsheet"/><manifest:file-entry manifest:full-path="content.xml" '
                   'manifest:media-type="text/xml"/></manifest:manifest>')
    return path


def _ods_cell(text, repeat=1):
    return (f'<table:table-cell table:number-columns-repeated="{repeat}" office:value-type="string">'
            f"<text:p>{text}</text:p></table:table-cell>")


@pytest.fixture
def rows_loaded(monkeypatch):
    """How many rows the reader handed over from each sheet it loaded (what is counted, not
    the time it took)."""
    seen = []
    original = importing._workbook_grids

    def counting(path, progress=None):
        grids, close = original(path, progress)
        for g in grids:
            g.load = (lambda load: lambda n: seen.append(len(rows := load(n))) or rows)(g.load)
        return grids, close

    monkeypatch.setattr(importing, "_workbook_grids", counting)
    return seen


def test_a_sheet_claiming_a_million_rows_and_16384_columns_is_read_as_the_cells_there(tmp_path, rows_loaded):
    sheet = importing.read(xlsx(tmp_path / "claims.xlsx", _TABLE, dimension="A1:XFD1048576"))
    assert sheet.headers == ["房号", "业主姓名"] and [r for _n, r in sheet.rows] == [["3-2-1201", "张三"]]
    assert max(rows_loaded) == 2


def test_a_sheet_of_empty_rows_past_the_limit_is_read_as_its_rows_of_data(tmp_path, rows_loaded):
    empty = "".join(f'<row r="{n}"/>' for n in range(3, 200_003))
    sheet = importing.read(xlsx(tmp_path / "empty-rows.xlsx", _TABLE + empty))
    assert len(sheet.rows) == 1 and sheet.empty_rows == []
    assert max(rows_loaded) == 2


def test_data_past_the_limit_after_empty_rows_is_too_big_for_one_import(tmp_path):
    empty = "".join(f'<row r="{n}"/>' for n in range(3, 100_001))
    far = '<row r="100001">' + _cell("A100001", "3-2-1202") + "</row>"
    with pytest.raises(OfficeError, match="reaches cell A100001: too big for one import"):
        importing.read(xlsx(tmp_path / "long.xlsx", _TABLE + empty + far))


def test_a_sheet_wider_than_200_columns_is_too_big_even_an_empty_text(tmp_path):
    wide = '<row r="3">' + _cell("GS3", "") + "</row>"  # column 201; calamine counts an empty text
    with pytest.raises(OfficeError, match="reaches cell GS3"):
        importing.read(xlsx(tmp_path / "wide.xlsx", _TABLE + wide))
    formatted = '<row r="3"><c r="XFD3" s="1"/></row>'  # a format only: no data
    assert len(importing.read(xlsx(tmp_path / "formatted.xlsx", _TABLE + formatted)).rows) == 1


def test_one_cell_in_the_last_row_and_column_is_refused_before_any_grid_is_made(tmp_path):
    """calamine made a grid from A1 to XFD1048576 (half a terabyte) and the program died;
    run apart, so that before the fix only that process dies."""
    path = xlsx(tmp_path / "far.xlsx", _TABLE + '<row r="1048576">' + _cell("XFD1048576", "x") + "</row>")
    assert path.stat().st_size < 5_000
    done = subprocess.run([sys.executable, "-c", "import sys; from models import importing\n"
                           "try: importing.read(sys.argv[1])\nexcept Exception as e: print(e)", str(path)],
                          capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert done.returncode == 0 and "reaches cell XFD1048576: too big for one import" in done.stdout


def test_an_ods_of_repeated_rows_is_counted_with_its_repeats(tmp_path):
    many = ods(tmp_path / "repeated.ods", "<table:table-row>" + _ods_cell("房号") + "</table:table-row>"
               '<table:table-row table:number-rows-repeated="100001">' + _ods_cell("x") + "</table:table-row>")
    assert many.stat().st_size < 2_000
    with pytest.raises(OfficeError, match="reaches cell A100002"):
        importing.read(many)
    wide = ods(tmp_path / "wide.ods", "<table:table-row>" + _ods_cell("房号") + "</table:table-row>"
               "<table:table-row>" + _ods_cell("x", 16384) + "</table:table-row>")
    with pytest.raises(OfficeError, match="reaches cell XFD2"):
        importing.read(wide)
    padded = ods(tmp_path / "padded.ods", "<table:table-row>" + _ods_cell("房号") + _ods_cell("业主姓名")
                 + "</table:table-row><table:table-row>" + _ods_cell("3-2-1201") + _ods_cell("张三")
                 + '</table:table-row><table:table-row table:number-rows-repeated="1048000">'
                 '<table:table-cell table:number-columns-repeated="16384"/></table:table-row>')
    assert len(importing.read(padded).rows) == 1  # what LibreOffice writes after a table: no data


def test_a_csv_or_web_page_past_the_limits_is_too_big(tmp_path):
    long = tmp_path / "long.csv"
    long.write_text("房号,业主姓名\n" + "3-2-1201,张三\n" * 100_000, encoding="utf-8")
    with pytest.raises(OfficeError, match="reaches cell A100001"):
        importing.read(long)
    page = tmp_path / "wide.xls"  # what web systems save as .xls
    page.write_text("<html><table><tr><th>房号</th><th>业主姓名</th></tr><tr><td>3-2-1201</td><td>张三</td>"
                    + '<td colspan="1000"></td>' * 2000 + "</tr></table></html>", encoding="utf-8")
    sheet = importing.read(page)  # empty places past the table are not kept
    assert len(sheet.rows) == 1 and len(sheet.rows[0][1]) <= importing.MAX_COLUMNS
    page.write_text("<html><table><tr><th>房号</th></tr><tr>" + '<td colspan="300"></td><td>x</td></tr></table>',
                    encoding="utf-8")
    with pytest.raises(OfficeError, match="too big for one import"):
        importing.read(page)


def test_the_meter_readings_workbook_is_read_as_its_rows_not_its_dimension(tmp_path):
    book = importing.open_book(xlsx(tmp_path / "readings.xlsx", _TABLE, dimension="A1:XFD1048576"))
    try:
        rows = book.worksheets[0].iter_rows(values_only=True)
        assert [len(next(rows)) for _ in range(2)] == [2, 2] and next(rows, None) is None
    finally:
        book.close()


def test_the_import_dialog_reads_in_the_task_runner_and_cancel_stops_it(supervisor, qtbot, tmp_path, monkeypatch):
    from PySide6.QtWidgets import QMessageBox, QProgressDialog

    from ui.import_dialog import ImportDialog

    warnings = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text, *a, **k: warnings.append(text))
    dialog = ImportDialog(supervisor, kind="houses")
    qtbot.addWidget(dialog)
    far = xlsx(tmp_path / "far.xlsx", _TABLE + '<row r="1048576">' + _cell("XFD1048576", "x") + "</row>")
    assert not dialog.open_file(str(far)) and "too big for one import" in warnings[-1]

    threads, steps = [], []

    def slow_read(path, progress=None, **_k):
        threads.append(threading.current_thread() is threading.main_thread())
        for i in range(10_000):
            steps.append(i)
            progress(i)
            threading.Event().wait(0.002)
        return "read to its end"

    original = QProgressDialog.setValue

    def cancel_soon(self, value):
        original(self, value)
        if value >= 20:
            self.cancel()  # the clerk presses Cancel while the window stays alive

    monkeypatch.setattr(importing, "read", slow_read)
    monkeypatch.setattr(QProgressDialog, "setValue", cancel_soon)
    assert not dialog.open_file(str(far))
    assert threads == [False] and len(steps) < 10_000 and dialog.sheet is None


# --- a database another PC holds with a long write ----------------------------------------------

@contextlib.contextmanager
def write_lock_held(path):
    """Another PC's long write: BEGIN IMMEDIATE on its own connection, in a thread, held until
    the block ends."""
    held, release = threading.Event(), threading.Event()

    def hold():
        con = sqlite3.connect(str(path), isolation_level=None, check_same_thread=False)
        con.execute("BEGIN IMMEDIATE")
        held.set()
        release.wait(60)
        con.execute("ROLLBACK")
        con.close()

    t = threading.Thread(target=hold, daemon=True)
    t.start()
    assert held.wait(10)
    try:
        yield
    finally:
        release.set()
        t.join(10)


@pytest.fixture
def main_module(monkeypatch):
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)  # main installs the crash handler
    import main

    return main


@pytest.fixture
def short_busy_timeout(monkeypatch):
    monkeypatch.setitem(db.SQLITE_PRAGMAS, "busy_timeout", 100)


@on_sqlite
def test_an_export_waiting_on_another_pcs_write_says_so_then_fails_in_words(admin, tmp_path, main_module, capsys,
                                                                            short_busy_timeout):
    live = Path(db.database.obj.database)
    db.close()
    args = main_module.parse(["--db", str(live), "export", "arrears", "--to", str(tmp_path / "a.xlsx"),
                              "--user", "admin"])
    with write_lock_held(live):
        code = main_module.one_line(lambda: main_module._exchange_command(args, "secret1"))
    out, err = capsys.readouterr()
    assert code == 1 and "unexpected" not in err and err.count("\n") == 1
    assert "Another PC is writing to the database and has not finished" in err and "Try again in a minute" in err
    assert "waiting for it to finish" in out
    assert not (tmp_path / "a.xlsx").exists()


@on_sqlite
def test_a_backup_written_and_checked_is_ok_though_another_pc_holds_the_database(admin, tmp_path, main_module,
                                                                                 capsys, short_busy_timeout):
    live = Path(db.database.obj.database)
    usb = tmp_path / "usb"
    usb.mkdir()
    backup.create(usb, keep=False)  # the office has its mark already (the first backup writes it)
    db.close()
    args = main_module.parse(["--db", str(live), "backup", "--to", str(usb)])
    with write_lock_held(live):  # recording the last backup and keeping SQLite's verdict meet the lock
        code = main_module.one_line(lambda: main_module._backup_command(args, None))
    out, err = capsys.readouterr()
    assert code == 0 and err == "" and out.startswith("ok: ")
    made = Path(out.split("ok: ", 1)[1].strip())
    assert made.is_file() and backup.verify(made).counts is not None
    db.connect(db.sqlite_url(live))
    with write_lock_held(live):  # the core's own: the older ones thinned out meet the lock too
        assert backup.create(usb).is_file()


@on_sqlite
def test_an_import_in_the_window_shows_the_wait_then_the_clerks_words(supervisor, qtbot, tmp_path, monkeypatch,
                                                                      short_busy_timeout):
    from PySide6.QtWidgets import QMessageBox, QProgressDialog

    from models import estate
    from ui.import_dialog import ImportDialog

    live = Path(db.database.obj.database)
    db.close()
    db.connect(db.sqlite_url(live))  # with the short busy timeout
    wb = openpyxl.Workbook()
    wb.active.append(["房号", "建筑面积", "业主姓名"])
    wb.active.append(["3-1-101", 89.5, "张三"])
    wb.save(tmp_path / "名册.xlsx")
    warnings, labels = [], []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text, *a, **k: warnings.append(text))
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    original = QProgressDialog.setLabelText
    monkeypatch.setattr(QProgressDialog, "setLabelText", lambda self, text: (labels.append(text),
                                                                           original(self, text))[1])
    dialog = ImportDialog(supervisor, kind="houses")
    qtbot.addWidget(dialog)
    assert dialog.open_file(str(tmp_path / "名册.xlsx")) and dialog.check().ok
    with write_lock_held(live):
        assert dialog.run() is None
    assert any("waiting for it to finish" in t for t in labels)
    assert "Another PC is writing to the database" in warnings[-1] and "unexpected" not in warnings[-1]
    assert not estate.House.select().exists()


# --- a read-only database ------------------------------------------------------------------------

def _office_file(tmp_path, folder: str) -> Path:
    here = tmp_path / folder
    here.mkdir()
    path = here / "office.sqlite"
    db.connect(db.sqlite_url(path))
    db.close()  # closed: its -wal and -shm are gone, as after the office's last PC closed it
    return path


@on_sqlite
def test_a_database_on_a_read_only_disk_is_called_read_only(tmp_path, monkeypatch):
    """A read-only bind mount where the system allows it (root in a container), else os.access
    answering as on one (an administrator passes chmod, so chmod cannot show it)."""
    path = _office_file(tmp_path, "disk")
    mount = tmp_path / "mounted"
    mount.mkdir()
    mounted = (shutil.which("mount") and subprocess.run(["mount", "--bind", str(path.parent), str(mount)],
                                                       capture_output=True).returncode == 0)
    try:
        if mounted and subprocess.run(["mount", "-o", "remount,ro,bind", str(mount)],
                                      capture_output=True).returncode == 0:
            target = mount / path.name
        else:
            import os

            real = os.access
            monkeypatch.setattr(os, "access", lambda p, mode, **k: False if mode & os.W_OK and
                                Path(p) in (path, path.parent) else real(p, mode, **k))
            target = path
        with pytest.raises(DatabaseOpenError, match="is read-only \\(the disk or the file\\): EstateDesk needs to "
                                                   "write to it"):
            db.connect(db.sqlite_url(target))
    finally:
        db.close()
        if mounted:
            subprocess.run(["umount", str(mount)], capture_output=True)


@on_sqlite
def test_an_immutable_database_file_is_called_read_only(tmp_path):
    path = _office_file(tmp_path, "locked")
    if not shutil.which("chattr") or subprocess.run(["chattr", "+i", str(path)], capture_output=True).returncode:
        pytest.skip("no chattr +i here (not root, or a file system without it)")
    try:
        with pytest.raises(DatabaseOpenError, match="is read-only"):
            db.connect(db.sqlite_url(path))
    finally:
        db.close()
        subprocess.run(["chattr", "-i", str(path)], capture_output=True)


# --- a typo in --db -------------------------------------------------------------------------------

@on_sqlite
def test_the_command_line_makes_no_office_at_a_path_with_a_typo(admin, tmp_path, main_module, capsys):
    db.close()
    typo = tmp_path / "offcie.sqlite"
    usb = tmp_path / "usb"
    usb.mkdir()
    cases = [
        ["--db", str(typo), "backup", "--to", str(usb)],
        ["--db", str(typo), "export", "arrears", "--to", str(tmp_path / "a.xlsx"), "--user", "admin"],
        ["--db", str(typo), "import", "houses", str(tmp_path / "a.xlsx"), "--user", "admin"],
    ]
    for argv in cases:
        args = main_module.parse(argv)
        work = main_module._backup_command if args.command == "backup" else main_module._exchange_command
        assert main_module.one_line(lambda: work(args, "secret1")) == 1
        err = capsys.readouterr().err
        assert f"no EstateDesk database at {typo} (a typo? use --new-office to start a new office there)" in err
    assert main_module.run_verify_audit(main_module.parse(["verify-audit", "--db", str(typo)])) == 1
    assert "no EstateDesk database at" in capsys.readouterr().err
    assert not typo.exists() and list(usb.iterdir()) == []

    for argv in (["--db", str(typo), "--new-office", "backup", "--to", str(usb)],
                 ["--db", str(typo), "backup", "--to", str(usb), "--new-office"]):
        args = main_module.parse(argv)
        assert main_module.one_line(lambda: main_module._backup_command(args, None)) == 0
        assert capsys.readouterr().out.startswith("ok: ")
    assert typo.is_file()


def test_a_restore_onto_a_new_pc_still_needs_no_office_there(tmp_path, main_module):
    """The legitimate way to put an office on a new PC: not refused as a typo."""
    args = main_module.parse(["--db", str(tmp_path / "new-pc.sqlite"), "restore", "x.edbak", "--user", "admin"])
    assert main_module.existing_office(db.url_from_arg(args.db), argparse.Namespace()) is not None
    assert args.command == "restore"  # _backup_command asks existing_office only for backup
