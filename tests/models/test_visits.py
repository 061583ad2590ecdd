"""Visits and the yearly survey: a clerk's plan by building and month with its progress,
visits with opinions and follow-ups, recurring problems over three months, and a survey
whose questions are the office's, answered by house and tallied."""
import datetime

import pytest

from models import clock, estate, visits
from models.errors import OfficeError, PermissionDenied, ValidationError

NOV = datetime.datetime(2026, 11, 10, 10, 0)


@pytest.fixture
def second_house(admin, house):
    return estate.create_house(admin, house.unit_id, number="1202", area="89.50", state="owner_occupied")


def test_a_plan_by_clerk_building_and_month_with_its_progress(supervisor, clerk, house, second_house):
    building = house.unit.building
    with pytest.raises(PermissionDenied):
        visits.plan(clerk, clerk.id, building.id, "2026-11")
    with pytest.raises(ValidationError):
        visits.plan(supervisor, clerk.id, building.id, "11月")
    p = visits.plan(supervisor, clerk.id, building.id, "2026-11")
    with pytest.raises(ValidationError):
        visits.plan(supervisor, clerk.id, building.id, "2026-11")  # once
    with clock.frozen(NOV):
        visits.record(clerk, house.id, opinion="满意", plan_id=p.id)
        visits.record(clerk, house.id, opinion="再次回访，满意", plan_id=p.id)
    [progress] = visits.plans(clerk, "2026-11")
    assert (progress.houses, progress.visited) == (2, 1)
    assert visits.plans(clerk, "2026-12") == []


def test_a_visit_keeps_the_opinion_and_a_problem_needs_its_follow_up(clerk, house):
    with clock.frozen(NOV):
        with pytest.raises(ValidationError) as e:
            visits.record(clerk, house.id, opinion="", problem="cleaning")
        assert {"opinion", "follow_up"} <= set(e.value.fields)
        with pytest.raises(ValidationError):
            visits.record(clerk, house.id, opinion="好", at=NOV + datetime.timedelta(hours=1))
        v = visits.record(clerk, house.id, opinion="楼道保洁不及时", problem="cleaning", follow_up="已转保洁部",
                          how="phone", met="业主本人")
    assert (v.problem, v.follow_up, v.visited_by_id, v.visited_at) == ("cleaning", "已转保洁部", clerk.id, NOV)
    with clock.frozen(NOV):
        assert visits.month_stats(clerk, "2026-11").open_follow_ups == 1
        visits.followed_up(clerk, v.id)
        assert visits.month_stats(clerk, "2026-11").open_follow_ups == 0


def test_the_months_problems_and_what_recurs(clerk, house):
    for at, problem in ((datetime.datetime(2026, 9, 5), "parking"), (datetime.datetime(2026, 10, 5), "parking"),
                        (datetime.datetime(2026, 11, 5), "parking"), (datetime.datetime(2026, 11, 6), "noise"),
                        (datetime.datetime(2026, 8, 6), "noise"), (datetime.datetime(2026, 11, 7), "none")):
        with clock.frozen(at):
            visits.record(clerk, house.id, opinion="意见", problem=problem,
                          follow_up="" if problem == "none" else "已记录")
    stats = visits.month_stats(clerk, "2026-11")
    assert (stats.visits, stats.houses) == (3, 1)
    assert (stats.by_problem["parking"], stats.by_problem["noise"], stats.by_problem["none"]) == (1, 1, 1)
    assert stats.recurring == [("parking", 3)]  # noise twice, but once was in August


def test_the_yearly_survey_answered_by_house_and_tallied(supervisor, clerk, house, second_house):
    survey = visits.set_survey(supervisor, 2026, "2026年业主意见征询表", [
        ("您对物业服务的总体评价", "score"), ("您愿意推荐本小区吗", "yes_no"), ("您的其他意见", "text"), ("", "text")])
    q1, q2, q3 = visits.questions(survey.id)
    assert [q.position for q in (q1, q2, q3)] == [1, 2, 3]
    with pytest.raises(ValidationError) as e:
        visits.enter_answers(clerk, survey.id, house.id, {q1.id: 6, q2.id: "是"})
    assert {"q1", "q2"} <= set(e.value.fields) and visits.SurveyAnswer.select().count() == 0
    with clock.frozen(NOV):
        visits.enter_answers(clerk, survey.id, house.id, {q1.id: 4, q2.id: True, q3.id: "增加停车位"})
        visits.enter_answers(clerk, survey.id, second_house.id, {q1.id: 5, q2.id: False, q3.id: ""})
        visits.enter_answers(clerk, survey.id, second_house.id, {q1.id: 3, q2.id: False})  # corrected
    houses, results = visits.tally(clerk, survey.id)
    assert houses == 2
    score, yes_no, words = results
    assert (score.answered, score.average, score.counts[3], score.counts[4]) == (2, 3.5, 1, 1)
    assert yes_no.counts == {"yes": 1, "no": 1} and words.texts == ["增加停车位"]
    with pytest.raises(OfficeError):
        visits.set_survey(supervisor, 2026, "改题", [("新问题", "text")])  # answers are in
