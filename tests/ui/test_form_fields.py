"""The form kit: a red message under a field is about what the field held, so it goes as
soon as the clerk changes that field, whatever kind of field it is; the others stay."""
import datetime

from PySide6.QtCore import QDate
from PySide6.QtWidgets import QCheckBox, QComboBox, QDateEdit, QLineEdit, QSpinBox, QVBoxLayout, QWidget

from models.errors import ValidationError


def test_a_fields_message_goes_as_soon_as_that_field_is_changed_and_only_its_own(qtbot):
    from ui.form import Form

    form = Form()
    qtbot.addWidget(form)
    name = form.add("name", "Name", QLineEdit())
    how = form.add("how", "How", QComboBox())
    how.addItems(["", "phone", "in person"])
    letter = form.add("letter", "Letter", QCheckBox("received"))
    copies = form.add("copies", "Copies", QSpinBox())
    on = form.add("on", "On", QDateEdit(QDate(2026, 11, 20)))
    box = QWidget()  # a composite editor: a check box inside a container
    inner = QCheckBox("for good")
    QVBoxLayout(box).addWidget(inner)
    form.add("standing", "Standing", box)
    form.show()
    qtbot.waitExposed(form)

    def shown():
        return {n for n, row in form.rows.items() if row.error.isVisible()}

    everything = {n: ("Wrong {n}", {"n": n}) for n in form.rows}
    form.show_errors(ValidationError(everything))
    assert shown() == set(everything)
    name.setText("王师傅")
    assert shown() == set(everything) - {"name"}
    how.setCurrentIndex(1)
    letter.setChecked(True)
    assert shown() == {"copies", "on", "standing"}
    copies.setValue(2)
    on.setDate(QDate(2026, 11, 21))
    assert shown() == {"standing"}
    inner.setChecked(True)
    assert shown() == set()
    form.show_errors(ValidationError({"name": ("Wrong {n}", {"n": "name"})}))  # shown again on the next try
    assert shown() == {"name"} and datetime.date(2026, 11, 21) == on.date().toPython()
