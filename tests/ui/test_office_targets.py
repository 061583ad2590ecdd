"""The targets the office measures itself by (collection rate, repairs on time, repeat
repairs, return visits) are office settings: the printed figures quote the office's own."""
import datetime
import io

import pytest
from pypdf import PdfReader

from models import clock, repairs, settings
from models.errors import ValidationError

T0 = datetime.datetime(2026, 11, 23, 9, 0)


def test_the_defaults_are_the_seeds_targets(database):
    values = settings.all_values()
    assert (values["target_collection_percent"], values["target_repairs_on_time_percent"],
            values["target_repeat_repairs"], values["target_return_visits_percent"]) == (96, 95, 0, 100)


def test_a_target_is_a_percentage_up_to_100(admin):
    with pytest.raises(ValidationError):
        settings.update({"target_return_visits_percent": 101}, user=admin)
    settings.update({"target_return_visits_percent": 100}, user=admin)


def test_the_repairs_figures_print_against_the_offices_targets(clerk, supervisor, admin, house, qtbot,
                                                               monkeypatch):
    from ui import preview
    from ui.service.repairs import RepairsTab

    monkeypatch.setattr(preview.PreviewDialog, "exec", lambda dialog: 0)
    settings.update({"target_repairs_on_time_percent": 90, "target_repeat_repairs": 2,
                     "target_return_visits_percent": 98}, user=admin)
    with clock.frozen(T0):
        tab = RepairsTab(clerk)
        qtbot.addWidget(tab)
        dialog = tab.figures("2026-11")
    text = PdfReader(io.BytesIO(dialog.pdf)).pages[0].extract_text()
    assert "on time ≥ 90 %" in text and "repeat repairs 2" in text and "return visits 98 %" in text
    assert "95 %" not in text
    assert repairs.Repair.select().count() == 0
