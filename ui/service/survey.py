"""满意度调查: the year's survey, its questions, the answers entered and the results."""
from __future__ import annotations

from PySide6.QtWidgets import (QComboBox, QHBoxLayout, QLabel, QLineEdit, QMessageBox, QPlainTextEdit, QSpinBox,
                               QVBoxLayout, QWidget)

from models import clock, search, users, visits
from models.errors import QT_TRANSLATE_NOOP, ValidationError
from ui.form import FormDialog
from ui.kit import button, list_box, table_view
from ui.table_models import RIGHT, RowsModel
class SurveyTab(QWidget):
    """业主意见征询: the year's questions, answers entered by house, the results."""

    def __init__(self, user, parent=None):
        super().__init__(parent)
        self.user = user
        self.year = QSpinBox()
        self.year.setRange(2000, 2100)
        self.year.setValue(clock.today().year)
        self.year.valueChanged.connect(lambda _v: self.load())
        self.title = QLabel()
        self.model = RowsModel([
            (self.tr("No."), lambda t: t.question.position, RIGHT),
            (self.tr("Question"), lambda t: t.question.text, None),
            (self.tr("Answered"), lambda t: t.answered, RIGHT),
            (self.tr("Result"), self.result_text, None),
        ], self)
        self.view = table_view(self.model)
        top = QWidget()
        th = QHBoxLayout(top)
        th.setContentsMargins(0, 0, 0, 0)
        th.addWidget(QLabel(self.tr("Year")))
        th.addWidget(self.year)
        th.addWidget(self.title, 1)
        buttons = [button(self.tr("Enter a house's answers…"), self.enter), button(self.tr("Print…"), self.print_results)]
        if users.has(user, "service.manage"):
            buttons.insert(0, button(self.tr("Questions…"), self.set_questions))
        self.summary = QLabel()
        QVBoxLayout(self).addWidget(list_box(self.tr("Owners' survey"), self.view, buttons, self.summary, top=top))
        self.load()

    def survey(self):
        return visits.survey_of(self.user, self.year.value())

    def result_text(self, t) -> str:
        if t.question.kind == "score":
            spread = " ".join(f"{n}:{t.counts[n]}" for n in range(1, 6))
            return self.tr("average {avg}  ({spread})").format(
                avg=f"{t.average:.2f}" if t.average is not None else "—", spread=spread)
        if t.question.kind == "yes_no":
            return self.tr("yes {yes}, no {no}").format(yes=t.counts["yes"], no=t.counts["no"])
        return "；".join(t.texts[:5]) + (" …" if len(t.texts) > 5 else "")

    def load(self) -> None:
        survey = self.survey()
        if survey is None:
            self.title.setText(self.tr("No survey for this year yet"))
            self.model.set_rows([])
            self.summary.setText("")
            return
        houses, results = visits.tally(self.user, survey.id)
        self.title.setText(survey.title)
        self.model.set_rows(results)
        self.view.resizeColumnsToContents()
        self.summary.setText(self.tr("%n house(s) answered.", "", houses))

    def set_questions(self) -> None:
        if SurveyDialog(self.user, self.year.value(), self.survey(), self).exec():
            self.load()

    def enter(self) -> None:
        survey = self.survey()
        if survey is None:
            QMessageBox.information(self, self.tr("Survey"), self.tr("Set this year's questions first"))
            return
        if AnswersDialog(self.user, survey, self).exec():
            self.load()

    def print_results(self):
        from ui.preview import preview_list

        survey = self.survey()
        if survey is None:
            return None
        dialog = preview_list(self, survey.title, self.model, self.summary.text())
        dialog.exec()
        return dialog


class SurveyDialog(FormDialog):
    """The survey's title and questions: one a line; a line starting 评分/是否/文字 (or
    score:/yes:/text:) says how it is answered, a score of 1–5 when it says nothing."""

    PREFIXES = {"评分": "score", "score": "score", "是否": "yes_no", "yes": "yes_no", "文字": "text", "text": "text"}

    def __init__(self, user, year: int, survey, parent=None):
        super().__init__(self.tr("Survey questions for {year}").format(year=year), parent)
        self.user, self.year = user, year
        self.title = self.form.add("title", self.tr("Title"), QLineEdit(
            survey.title if survey else f"{year}年业主意见征询表"))
        self.lines = QPlainTextEdit()
        if survey:
            kind_word = {"score": "评分", "yes_no": "是否", "text": "文字"}
            self.lines.setPlainText("\n".join(f"{kind_word[q.kind]}：{q.text}" for q in visits.questions(survey.id)))
        self.lines.setPlaceholderText("评分：您对物业服务的总体评价\n是否：您愿意推荐本小区吗\n文字：您的其他意见")
        self.form.add("questions", self.tr("Questions, one a line"), self.lines)
        self.setMinimumWidth(620)

    def parsed(self) -> list[tuple[str, str]]:
        out = []
        for line in self.lines.toPlainText().splitlines():
            kind, text = "score", line.strip()
            for sep in ("：", ":"):
                head, found, rest = text.partition(sep)
                if found and head.strip().lower() in self.PREFIXES:
                    kind, text = self.PREFIXES[head.strip().lower()], rest.strip()
                    break
            if text:
                out.append((text, kind))
        return out

    def save(self):
        return visits.set_survey(self.user, self.year, self.title.text(), self.parsed())


class AnswersDialog(FormDialog):
    """One house's answers to the survey: scores 1–5 (0: not answered), yes or no, words."""

    def __init__(self, user, survey, parent=None):
        super().__init__(self.tr("Answers to {title}").format(title=survey.title), parent)
        self.user, self.survey = user, survey
        self.house_edit = self.form.add("house", self.tr("House"), QLineEdit())
        self.house_edit.setPlaceholderText("3-2-1201")
        self.editors = {}
        for q in visits.questions(survey.id):
            if q.kind == "score":
                editor = QSpinBox()
                editor.setRange(0, 5)
                editor.setSpecialValueText(self.tr("not answered"))
            elif q.kind == "yes_no":
                editor = QComboBox()
                editor.addItem(self.tr("not answered"), None)
                editor.addItem(self.tr("Yes"), True)
                editor.addItem(self.tr("No"), False)
            else:
                editor = QLineEdit()
            self.editors[q] = self.form.add(f"q{q.position}", f"{q.position}. {q.text}", editor)
        self.setMinimumWidth(620)

    def save(self):
        house = search.the_house(self.user, self.house_edit.text().strip()) if self.house_edit.text().strip() else None
        if house is None:
            raise ValidationError({"house": (QT_TRANSLATE_NOOP("Office", "No such house"), {})})
        answers = {}
        for q, editor in self.editors.items():
            if q.kind == "score":
                answers[q.id] = editor.value() or None
            elif q.kind == "yes_no":
                answers[q.id] = editor.currentData()
            else:
                answers[q.id] = editor.text()
        return visits.enter_answers(self.user, self.survey.id, house.id, answers)
