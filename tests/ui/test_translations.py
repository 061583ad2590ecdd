"""Every visible string goes through tr() and ships with its Chinese translation."""
import re
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

from PySide6.QtCore import QTranslator

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "packaging"))
import translations  # noqa: E402


def test_every_string_in_the_code_has_chinese_in_the_shipped_translation(tmp_path):
    fresh = tmp_path / "fresh.ts"
    translations.lupdate(fresh)  # what the code asks for now
    messages = [(c.find("name").text, m.find("source").text, m.get("numerus") == "yes")
                for c in ET.parse(fresh).getroot().iter("context") for m in c.iter("message")]
    assert len(messages) > 300
    qm = QTranslator()
    assert qm.load(str(ROOT / "resources" / "translations" / "estatedesk_zh_CN.qm"))
    untranslated = [(ctx, src) for ctx, src, counted in messages
                    if not qm.translate(ctx, src, None, 2 if counted else -1)]
    assert untranslated == [], "run packaging/translations.py and translate these"


def test_a_count_says_one_key_and_two_keys_in_english(tmp_path, qapp):
    """English words that follow a count have their singular and plural in estatedesk_en.ts;
    Chinese has one form."""
    from PySide6.QtCore import QCoreApplication

    from ui import i18n

    fresh = tmp_path / "fresh.ts"
    translations.lupdate(fresh, "-pluralonly")
    counted = [(c.find("name").text, m.find("source").text)
               for c in ET.parse(fresh).getroot().iter("context") for m in c.iter("message")]
    assert len(counted) >= 15
    i18n.install(qapp, "en")
    for ctx, src in counted:
        one, two = (QCoreApplication.translate(ctx, src, "", n) for n in (1, 2))
        assert "(s)" not in one + two and one != two, src  # both forms written
        assert "1" in one and "2" in two, src
    late = "%n key(s) overdue: {names}"
    assert QCoreApplication.translate("DeskPage", late, "", 1).format(names="P-03") == "1 key overdue: P-03"
    assert QCoreApplication.translate("DeskPage", late, "", 3).format(names="P-03") == "3 keys overdue: P-03"
    assert i18n.install(qapp, "zh_CN")
    try:
        assert QCoreApplication.translate("DeskPage", late, "", 1).format(names="P-03") == "逾期未还钥匙 1 把：P-03"
    finally:
        i18n.install(qapp, "en")


def test_translations_keep_the_placeholders():
    for c in ET.parse(translations.TS).getroot().iter("context"):
        for m in c.iter("message"):
            src = m.find("source").text
            forms = m.findall("translation/numerusform") or [m.find("translation")]
            for form in forms:
                assert set(re.findall(r"{\w+}", src)) == set(re.findall(r"{\w+}", form.text or "")), src
                assert ("%n" in src) == ("%n" in (form.text or "")), src


def test_no_visible_english_literal_bypasses_tr():
    """Widgets get their text through tr(): a bare string literal in setText/QLabel/QPushButton
    and friends would stay English in the Chinese UI."""
    pattern = re.compile(r"\b(QLabel|QPushButton|QCheckBox|QGroupBox|setText|setWindowTitle|"
                         r"setPlaceholderText|addTab|setToolTip)\(\s*\"[A-Za-z]")
    offenders = []
    for path in sorted((ROOT / "ui").glob("*.py")):
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if pattern.search(line):
                offenders.append(f"{path.name}:{n}: {line.strip()}")
    assert offenders == []


def test_the_window_speaks_chinese_by_default(database, qapp):
    from models import users
    from ui import i18n
    from ui.main_window import MainWindow

    assert i18n.install(qapp, "zh_CN")
    try:
        admin = users.create_first_admin("boss", "s3cret!")
        w = MainWindow(admin)
        titles = [w.nav.item(i).text() for i in range(w.nav.count())]
        assert titles == ["今日", "业主档案", "收费", "欠费", "抄表", "计费", "收费项目", "公告通知", "操作日志", "设置"]
        w.close()
    finally:
        i18n.install(qapp, "en")


def test_audit_details_are_shown_in_the_clerks_words(qapp):
    from ui import i18n
    from ui.audit_page import describe

    assert i18n.install(qapp, "zh_CN")
    try:
        assert describe({"state": ["vacant", "rented"], "item": "covenant", "received": True}) == \
            "状态: 空置 → 出租; 资料: 业主公约; 已收: 是"
        assert describe({"roles": ["clerk", "cashier,clerk"]}) == "角色: 客服 → 收费员、客服"
    finally:
        i18n.install(qapp, "en")
