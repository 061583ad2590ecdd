"""The one-way flow of the code (STYLE.md, issue 17): ui → core (models/) → printing/. The
core and the documents import neither Qt nor the UI; the audit log, which every office
process writes to, imports none of them (its browser's words are models/labels). Read from
the source, so a new module cannot slip past."""
import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def imports_of(path: Path) -> set[str]:
    """Every module `path` imports, at its top or inside a function."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
            if node.module in ("models", "ui", "printing"):  # from models import audit, cashier
                found |= {f"{node.module}.{a.name}" for a in node.names}
    return found


def sources(folder: str) -> list[Path]:
    return sorted((ROOT / folder).rglob("*.py"))


@pytest.mark.parametrize("folder", ["models", "printing"])
def test_the_core_and_the_documents_import_neither_qt_nor_the_window(folder):
    assert len(sources(folder)) > 10  # the folder was read
    bad = {str(p.relative_to(ROOT)): sorted(m for m in imports_of(p) if m.split(".")[0] in ("PySide6", "ui"))
           for p in sources(folder)}
    assert {k: v for k, v in bad.items() if v} == {}


def test_the_core_imports_no_document_layout():
    """The documents are built from what the core hands them, never the other way round."""
    bad = {str(p.relative_to(ROOT)): sorted(m for m in imports_of(p) if m.split(".")[0] == "printing")
           for p in sources("models")}
    assert {k: v for k, v in bad.items() if v} == {}


def test_the_audit_log_imports_no_office_process():
    allowed = {"models.clock", "models.db", "models.errors", "models.location", "models.migrations",
               "models.users"}  # users: the gate of the log's own browser
    used = {m for m in imports_of(ROOT / "models" / "audit.py") if m.startswith("models.")}
    assert used <= allowed, sorted(used - allowed)


def test_office_settings_are_read_by_name_not_by_string():
    """models/settings declares each setting once; the code reads `settings.office.NAME`,
    so a misspelt name fails where it is read, and no rule hangs on a key's prefix."""
    import re

    from models import settings

    said = {str(p.relative_to(ROOT)): len(re.findall(r"settings\.get\(", p.read_text(encoding="utf-8")))
            for folder in ("models", "ui", "printing") for p in sources(folder) if p.name != "settings.py"}
    assert {k: v for k, v in said.items() if v} == {}
    source = (ROOT / "models" / "settings.py").read_text(encoding="utf-8")
    assert not re.search(r"key\.(startswith|endswith)\(", source)
    for key in settings.SETTINGS:
        assert getattr(type(settings.office), key).__doc__ == settings.SETTINGS[key].label


def module_of(path: Path) -> str:
    return ".".join(path.relative_to(ROOT).with_suffix("").parts)


def test_no_page_runs_a_query_of_its_own():
    """The core's named functions run the queries, each checking its permission."""
    import re

    query = re.compile(r"\.(select|get_by_id|get_or_none|get_or_create|where|execute_sql)\(|\batomic\(")
    assert len(sources("ui")) > 30
    found = {str(p.relative_to(ROOT)): [n for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1)
                                        if query.search(line)] for p in sources("ui")}
    assert {k: v for k, v in found.items() if v} == {}


def test_no_window_module_imports_another_page():
    """A page's module holds its process alone: it builds with the kit (ui/kit, ui/form …),
    never with another page's parts. The main window puts the pages together; a page made
    of tabs (ui/desk, ui/service) puts its own tabs together."""
    modules = {module_of(p): p for p in sources("ui")}
    pages = {m for m in modules if m.endswith("_page") or m.split(".")[1] in ("desk", "service", "registers")}
    assert {"ui.counter_page", "ui.desk.parcels", "ui.desk.page", "ui.service.repairs"} <= pages
    wrong = {}
    for name, path in modules.items():
        for used in imports_of(path) & pages - {name}:
            package = name.rsplit(".", 1)[0]
            if name == "ui.main_window" or name.endswith(".page") and used.startswith(package + "."):
                continue
            wrong.setdefault(name, []).append(used)
    assert wrong == {}


def test_a_refusal_is_shown_one_way():
    """ui/kit.act runs an office action and shows its refusal (ui/kit.refusal); no page writes
    its own try/except → message box again."""
    import re

    shown = re.compile(r"QMessageBox\.(warning|critical|information)\([^\n]*error_text|show_errors\(e\)")
    copies = {str(p.relative_to(ROOT)): len(shown.findall(p.read_text(encoding="utf-8")))
              for p in sources("ui") if p.name not in ("kit.py", "form.py")}
    allowed = {"ui/app.py": 1}  # the database cannot open: before any window, QMessageBox.critical
    assert {k: v for k, v in copies.items() if v} == allowed
