"""The UI's language: Simplified Chinese by default, English selectable. Source strings
are English; the compiled Chinese translation ships in resources/translations."""
from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

def _translations() -> Path:
    """Where the .qm files are: the `resources` package's, wherever it is installed (a
    checkout, site-packages); in the frozen bundle, which has no such package, beside it."""
    try:
        from importlib.resources import files

        return Path(str(files("resources").joinpath("translations")))
    except (ModuleNotFoundError, TypeError):
        return Path(getattr(sys, "_MEIPASS", Path(__file__).resolve().parent.parent)) / "resources" / "translations"


TRANSLATIONS = _translations()
LANGUAGES = {"zh_CN": "简体中文", "en": "English"}
_installed: list[QTranslator] = []


def install(app, language: str) -> bool:
    """Load `language` into `app`. True when the translation loaded (English needs only
its plurals, which it can do without)."""
    for t in _installed:
        app.removeTranslator(t)
    _installed.clear()
    if language == "en":  # the source strings; only a count's singular and plural are looked up
        QLocale.setDefault(QLocale(QLocale.Language.English, QLocale.Country.UnitedStates))
        plurals = QTranslator(app)
        if plurals.load(str(TRANSLATIONS / "estatedesk_en.qm")):
            app.installTranslator(plurals)
            _installed.append(plurals)
        return True
    QLocale.setDefault(QLocale(QLocale.Language.Chinese, QLocale.Country.China))
    ours = QTranslator(app)
    ok = ours.load(str(TRANSLATIONS / f"estatedesk_{language}.qm"))
    if ok:
        app.installTranslator(ours)
        _installed.append(ours)
    qt = QTranslator(app)  # Qt's own buttons (OK, Cancel …)
    if qt.load(f"qtbase_{language}", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
        app.installTranslator(qt)
        _installed.append(qt)
    return ok


def office(text: str) -> str:
    """Translate a message the core marked for the "Office" context."""
    return QCoreApplication.translate("Office", text)


def render(template: str, params: dict) -> str:
    """A core message (template + parameters) in the clerk's language."""
    from models.errors import Label

    params = {k: office(v) if isinstance(v, Label) else v for k, v in params.items()}
    return office(template).format(**params)


def error_text(error) -> str:
    """An OfficeError in the clerk's language."""
    return render(error.template, error.params)
