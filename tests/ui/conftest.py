import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QMessageBox


@pytest.fixture(autouse=True)
def pc_settings(tmp_path, qapp):
    """Per-PC settings go to a temp folder, never the developer's own."""
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path / "settings"))
    yield


@pytest.fixture
def message_boxes(monkeypatch):
    """Message boxes are recorded instead of blocking the test; a question answers its
    default button, or Yes."""
    shown = []

    def record(kind, answer=None):
        def fn(parent, title, text, *a, **k):
            shown.append((kind, title, text))
            if kind == "question" and len(a) >= 2:
                return a[1]  # the default button, as Enter would choose it
            return answer if answer is not None else QMessageBox.StandardButton.Ok
        return fn

    monkeypatch.setattr(QMessageBox, "warning", record("warning"))
    monkeypatch.setattr(QMessageBox, "information", record("information"))
    monkeypatch.setattr(QMessageBox, "critical", record("critical"))
    monkeypatch.setattr(QMessageBox, "question", record("question", QMessageBox.StandardButton.Yes))
    monkeypatch.setattr(QMessageBox, "exec", lambda self: shown.append(("box", self.windowTitle(), self.text())) or 0)
    return shown


@pytest.fixture(params=["zh_CN", "en"])
def language(request, qapp):
    """The window's language, and the font, as ui/app.make_app starts it; English again after."""
    from ui import app, i18n

    font = qapp.font()
    app.make_app(request.param)
    yield request.param
    i18n.install(qapp, "en")
    qapp.setFont(font)
