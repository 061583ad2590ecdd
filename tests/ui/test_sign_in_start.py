"""The window's start on a database this PC has signed in to before: the sign-in window is
up before the database layer loads, then the database opens behind it (ui/app.run)."""
import os
import subprocess
import sys
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QDialog

from models import db, estate, users

ROOT = Path(__file__).resolve().parents[2]


def an_office(db_url, name="阳光花园"):
    """A database with its administrator and estate name, closed again as a PC finds it."""
    db.connect(db_url)
    admin = users.create_first_admin("admin", "secret12", "王经理")
    estate.update_profile(admin, name=name)
    db.close()


def test_the_sign_in_window_is_up_before_the_database_layer_loads(db_url, tmp_path):
    an_office(db_url)
    child = f"""
import os, sys
sys.path.insert(0, {str(ROOT)!r})
from PySide6.QtCore import QSettings, QTimer
from PySide6.QtWidgets import QApplication
QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, {str(tmp_path / "settings")!r})
from ui import app, prefs
app.make_app("zh_CN")
prefs.remember_office(app.db_label({db_url!r}), "阳光花园")

def look():
    login = QApplication.activeModalWidget()
    print("loaded at the first look:", "peewee" in sys.modules, login.isVisible(), flush=True)
    def signed_in():
        login.username.setText("admin")
        login.password.setText("secret12")
        login.try_login()
    QTimer.singleShot(0, signed_in)  # after the database has opened behind the window

QTimer.singleShot(0, look)
result, user = app.sign_in_while_opening({db_url!r}, "阳光花园")
print("signed in:", result == 1, user.full_name if user else None, flush=True)
"""
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    env.pop("ESTATEDESK_EXIT_WHEN_SHOWN", None)
    r = subprocess.run([sys.executable, "-c", child], env=env, capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    assert "loaded at the first look: False True" in r.stdout  # the window, and no peewee yet
    assert "signed in: True 王经理" in r.stdout


def modal_then(qtbot, act):
    def run():
        act(QApplication.activeModalWidget())
    QTimer.singleShot(0, run)


def test_the_estate_name_as_it_is_now_replaces_the_remembered_one(db_url, qtbot):
    from ui import app

    an_office(db_url, "阳光花园二期")
    seen = []

    def act(login):
        seen.append(login.title.text())
        qtbot.waitUntil(lambda: login.title.text() == "阳光花园二期")  # renamed since the last sign-in
        login.username.setText("admin")
        login.password.setText("wrong")
        login.try_login()
        seen.append(login.message.text())
        login.password.setText("secret12")
        login.try_login()

    modal_then(qtbot, act)
    result, user = app.sign_in_while_opening(db_url, "阳光花园")
    db.close()
    assert seen[0] == "阳光花园"  # the window first, with the name this PC knew
    assert seen[1]  # a wrong password is still refused, in words
    assert result == QDialog.DialogCode.Accepted and user.username == "admin"


def test_a_database_that_will_not_open_behind_the_window_ends_the_start_with_a_message(tmp_path, qtbot,
                                                                                        message_boxes):
    from ui import app, prefs

    bad = tmp_path / "accounts.xlsx"
    bad.write_bytes(b"PK\x03\x04 a spreadsheet")
    url = db.sqlite_url(bad)
    prefs.remember_office(app.db_label(url), "阳光花园")  # the file was put where the office's was
    assert app.run(url, "en") == 2
    [(kind, _, text)] = message_boxes
    assert kind == "critical" and "is not an EstateDesk database" in text
    assert bad.read_bytes() == b"PK\x03\x04 a spreadsheet"


def test_an_empty_database_in_a_known_place_asks_for_the_first_administrator(db_url, qtbot, monkeypatch):
    from ui import account, app, prefs

    asked = []
    monkeypatch.setattr(account.FirstAdminDialog, "exec",
                        lambda self: asked.append(self.windowTitle()) or QDialog.DialogCode.Rejected)
    prefs.remember_office(app.db_label(db_url), "阳光花园")
    assert app.run(db_url, "en") == 0  # the first administrator's dialog, cancelled
    db.close()
    assert len(asked) == 1


def test_signing_in_remembers_the_estate_for_the_next_start_without_a_password(db_url, qtbot):
    from ui import app, prefs

    an_office(db_url)
    db.connect(db_url)
    session = app.Session(db_url)
    session.start(users.login("admin", "secret12"))
    qtbot.addWidget(session.window)
    db.close()
    assert prefs.office_name(app.db_label(db_url)) == "阳光花园"
    assert "secret" not in prefs.get("offices") and "@" not in app.db_label("postgresql://u:pw@host/office")


SERVER_DOWN = "postgresql://estate:secret@127.0.0.1:1/estatedesk"  # nothing listens on port 1


def answer_the_choice(answers, seen):
    """Click the start's choice box's buttons, one per time it shows, as a clerk would."""
    from PySide6.QtWidgets import QMessageBox

    timer = QTimer()

    def look():
        boxes = [w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox) and w.isVisible()]
        if not boxes:
            return
        box = boxes[0]
        seen.append((box.text(), box.informativeText(), box.detailedText(), box.defaultButton().text(),
                     [b.text() for b in box.buttons()]))
        wanted = answers.pop(0)
        [button] = [b for b in box.buttons() if b.text() == wanted]
        if not answers:
            timer.stop()
        button.click()

    timer.timeout.connect(look)
    timer.start(20)
    return timer


def test_a_saved_server_that_is_down_offers_to_try_again_or_use_this_pcs_own_file(tmp_path, qtbot, monkeypatch):
    from ui import account, app, prefs

    monkeypatch.setenv("ESTATEDESK_DATA_DIR", str(tmp_path / "data"))  # this PC's own file, empty
    prefs.set("database_url", SERVER_DOWN)  # saved in 设置 → 数据库 on an earlier day
    asked = []
    monkeypatch.setattr(account.FirstAdminDialog, "exec",
                        lambda self: asked.append(db.database.obj.database) or QDialog.DialogCode.Rejected)
    seen = []
    timer = answer_the_choice(["Try again", "Use this PC's own database"], seen)
    assert app.run(SERVER_DOWN, "en") == 0  # the own file's first administrator, cancelled here
    timer.stop()
    own = str(tmp_path / "data" / "estatedesk.sqlite")
    db.close()
    assert len(seen) == 2  # tried again, refused again, then the PC's own file
    text, more, detail, default, buttons = seen[0]
    assert "This PC's database cannot be opened" in text and "127.0.0.1:1 cannot be reached" in text
    assert own in more and "Connection refused" in detail and "secret" not in text + more + detail
    assert default == "Try again" and {"Try again", "Use this PC's own database", "Quit"} <= set(buttons)
    assert asked == [own]  # the start went on in this PC's own database
    assert prefs.get("database_url") == SERVER_DOWN  # for this start only


def test_the_sign_in_window_on_a_server_that_is_down_can_go_on_in_this_pcs_own_file(tmp_path, qtbot, monkeypatch):
    from ui import app, prefs

    monkeypatch.setenv("ESTATEDESK_DATA_DIR", str(tmp_path / "data"))
    own = db.default_url()
    an_office(own, "阳光花园")
    prefs.set("database_url", SERVER_DOWN)
    seen = []
    timer = answer_the_choice(["Quit"], seen)
    assert app.run(SERVER_DOWN, "en") == 2 and len(seen) == 1  # nothing opened, the start ends
    timer = answer_the_choice(["Use this PC's own database"], seen)
    result, user = app.sign_in_while_opening(SERVER_DOWN, "阳光花园", app.own_file_for(SERVER_DOWN))
    timer.stop()
    assert result == app.OWN_FILE and user is None
    assert db.database.obj.database == str(db.sqlite_path(own))  # open, the sign-in follows on it
    db.close()


def test_a_database_given_with_db_that_will_not_open_ends_the_start_with_a_message(qtbot, message_boxes):
    from ui import app

    assert app.own_file_for(SERVER_DOWN) is None  # not this PC's saved database: no choice
    assert app.run(SERVER_DOWN, "en") == 2
    [(kind, _, text)] = message_boxes
    assert kind == "critical" and "127.0.0.1:1 cannot be reached" in text and "secret" not in text
