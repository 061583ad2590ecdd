"""Visits and the survey in the window: a supervisor plans a building for a clerk, the clerk
records a visit with a problem and its follow-up, the month's figures show it; the year's
questions are set, a house's answers entered and the results printed."""
import datetime
import io

from pypdf import PdfReader

from models import clock, owners, visits

T0 = datetime.datetime(2026, 11, 23, 15, 0)


def test_a_planned_visit_and_the_survey(supervisor, clerk, house, admin, qtbot, monkeypatch, message_boxes):
    from ui import preview
    from ui.service import page as service_page
    from ui.service import survey as service_survey
    from ui.service import visits as service_visits

    owners.add_owner(admin, house.id, name="张三")
    shown = []
    monkeypatch.setattr(preview.PreviewDialog, "exec", lambda dialog: shown.append(dialog) or 0)
    with clock.frozen(T0):
        page = service_page.ServicePage(supervisor)
    qtbot.addWidget(page)
    tab = page.visits

    def plan(dialog):
        dialog.clerk.setCurrentIndex(dialog.clerk.findData(clerk.id))
        dialog._save()
        return dialog.result()

    monkeypatch.setattr(service_visits.PlanDialog, "exec", plan)
    with clock.frozen(T0):
        tab.add_plan()
    [p] = visits.VisitPlan.select()
    assert (p.clerk_id, p.month) == (clerk.id, "2026-11")

    def visit(dialog):
        dialog.house_edit.setText("3-2-1201")
        dialog.opinion.setText("楼道灯经常不亮")
        dialog.problem.setCurrentIndex(dialog.problem.findData("repairs"))
        dialog._save()  # a problem needs its follow-up
        assert not dialog.result() and dialog.form.rows["follow_up"].error.text()
        dialog.follow_up.setText("已报修 WX2026-0001")
        dialog._save()
        return dialog.result()

    monkeypatch.setattr(service_visits.OwnerVisitDialog, "exec", visit)
    with clock.frozen(T0):
        tab.record()
    assert tab.plans_model.data(tab.plans_model.index(0, 3)) == "1"  # visited 1 of the building's houses
    assert "follow-ups open: 1" in tab.stats.text()
    assert tab.visits_model.data(tab.visits_model.index(0, 1)) == "3-2-1201"

    survey = page.survey

    def questions(dialog):
        dialog.lines.setPlainText("评分：您对物业服务的总体评价\n是否：您愿意推荐本小区吗\n文字：您的其他意见")
        dialog._save()
        return dialog.result()

    monkeypatch.setattr(service_survey.SurveyDialog, "exec", questions)
    with clock.frozen(T0):
        survey.set_questions()

        def answer(dialog):
            dialog.house_edit.setText("3-2-1201")
            q1, q2, q3 = dialog.editors.values()
            q1.setValue(4)
            q2.setCurrentIndex(q2.findData(True))
            q3.setText("希望增加停车位")
            dialog._save()
            return dialog.result()

        monkeypatch.setattr(service_survey.AnswersDialog, "exec", answer)
        survey.enter()
    assert survey.model.data(survey.model.index(0, 3)).startswith("average 4.00")
    assert survey.model.data(survey.model.index(1, 3)) == "yes 1, no 0"
    printed = survey.print_results()
    text = PdfReader(io.BytesIO(printed.pdf)).pages[0].extract_text()
    assert "2026年业主意见征询表" in text and "希望增加停车位" in text
