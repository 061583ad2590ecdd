"""Visits and surveys (走访/回访, 业主意见征询): clerks visit owners on a plan (by clerk,
building and month); each visit keeps the owner's opinion, the kind of problem raised and
its follow-up; a month's visits are counted by problem, and problems raised again and
again show as recurring. Once a year the office asks its owners' opinion: the questions
are the office's own (a score of 1–5, yes or no, or words), the answers are entered by
house, and the results are tallied."""
from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass

import peewee as pw

from models import audit, clock, users
from models.db import BaseModel, atomic
from models.errors import NotFound, OfficeError, QT_TRANSLATE_NOOP, ValidationError
from models.estate import Building, House
from models.users import User

PROBLEMS = {
    "none": QT_TRANSLATE_NOOP("Office", "No problem"),
    "repairs": QT_TRANSLATE_NOOP("Office", "Repairs"),
    "cleaning": QT_TRANSLATE_NOOP("Office", "Cleaning"),
    "greenery": QT_TRANSLATE_NOOP("Office", "Greenery"),
    "security": QT_TRANSLATE_NOOP("Office", "Security"),
    "parking": QT_TRANSLATE_NOOP("Office", "Parking"),
    "noise": QT_TRANSLATE_NOOP("Office", "Noise"),
    "fees": QT_TRANSLATE_NOOP("Office", "Fees"),
    "service": QT_TRANSLATE_NOOP("Office", "Staff and service"),
    "other": QT_TRANSLATE_NOOP("Office", "Other"),
}
HOW = {
    "visit": QT_TRANSLATE_NOOP("Office", "In person"),
    "phone": QT_TRANSLATE_NOOP("Office", "By phone"),
}
QUESTION_KINDS = {
    "score": QT_TRANSLATE_NOOP("Office", "Score 1–5"),
    "yes_no": QT_TRANSLATE_NOOP("Office", "Yes or no"),
    "text": QT_TRANSLATE_NOOP("Office", "Words"),
}


class VisitPlan(BaseModel):
    clerk = pw.ForeignKeyField(User, on_delete="RESTRICT", backref="+")
    building = pw.ForeignKeyField(Building, on_delete="RESTRICT")
    month = pw.CharField(max_length=7, index=True)  # 2026-11
    note = pw.CharField(max_length=128, default="")

    class Meta:
        table_name = "visit_plan"
        indexes = ((("clerk", "building", "month"), True),)


class Visit(BaseModel):
    plan = pw.ForeignKeyField(VisitPlan, null=True, on_delete="SET NULL", backref="visits")
    house = pw.ForeignKeyField(House, on_delete="RESTRICT", index=True)
    visited_at = pw.DateTimeField(index=True)
    visited_by = pw.ForeignKeyField(User, null=True, on_delete="SET NULL", backref="+")
    how = pw.CharField(max_length=8, default="visit")
    met = pw.CharField(max_length=64, default="")  # whom the clerk spoke with
    opinion = pw.CharField(max_length=512, default="")
    problem = pw.CharField(max_length=16, default="none", index=True)
    follow_up = pw.CharField(max_length=256, default="")
    followed_up_at = pw.DateTimeField(null=True)

    class Meta:
        table_name = "visit"


class Survey(BaseModel):
    year = pw.IntegerField(unique=True)
    title = pw.CharField(max_length=128)

    class Meta:
        table_name = "survey"


class SurveyQuestion(BaseModel):
    survey = pw.ForeignKeyField(Survey, backref="questions", on_delete="CASCADE")
    position = pw.IntegerField()
    text = pw.CharField(max_length=256)
    kind = pw.CharField(max_length=8)

    class Meta:
        table_name = "survey_question"


class SurveyAnswer(BaseModel):
    question = pw.ForeignKeyField(SurveyQuestion, backref="answers", on_delete="CASCADE")
    house = pw.ForeignKeyField(House, on_delete="RESTRICT")
    score = pw.IntegerField(null=True)  # 1–5, or 1 yes / 0 no
    text = pw.CharField(max_length=512, default="")
    entered_at = pw.DateTimeField()
    entered_by = pw.ForeignKeyField(User, null=True, on_delete="SET NULL", backref="+")

    class Meta:
        table_name = "survey_answer"
        indexes = ((("question", "house"), True),)


def _month_bounds(month: str) -> tuple[datetime.datetime, datetime.datetime]:
    try:
        year, mon = (int(x) for x in month.strip().split("-"))
        start = datetime.datetime(year, mon, 1)
    except ValueError:
        raise ValidationError({"month": (QT_TRANSLATE_NOOP("Office", "Write the month as 2026-11"), {})}) from None
    return start, datetime.datetime(year + mon // 12, mon % 12 + 1, 1)


# --- plans and visits -----------------------------------------------------------------------------

def plan(user, clerk_id: int, building_id: int, month: str, note: str = "") -> VisitPlan:
    """Put a building on a clerk's visits for a month."""
    users.require(user, "service.manage")
    month = f"{_month_bounds(month)[0]:%Y-%m}"  # 2026-1 is 2026-01
    errors: dict = {}
    if User.get_or_none(User.id == clerk_id) is None:
        errors["clerk"] = (QT_TRANSLATE_NOOP("Office", "Choose the clerk"), {})
    if Building.get_or_none(Building.id == building_id) is None:
        errors["building"] = (QT_TRANSLATE_NOOP("Office", "Choose the building"), {})
    if not errors and VisitPlan.select().where(VisitPlan.clerk == clerk_id, VisitPlan.building == building_id,
                                               VisitPlan.month == month).exists():
        errors["building"] = (QT_TRANSLATE_NOOP("Office", "This building is on the clerk's plan for the month already"),
                              {})
    if errors:
        raise ValidationError(errors)
    with atomic():
        p = VisitPlan.create(clerk=clerk_id, building=building_id, month=month, note=note.strip()[:128])
        audit.record(user, "visit.plan", "visit_plan", p.id, f"{month} {p.building.name} {p.clerk.full_name}")
    return p


@dataclass(frozen=True)
class PlanProgress:
    plan: VisitPlan
    houses: int  # houses in the building
    visited: int  # of them, visited in the month


def plans(user, month: str, clerk_id: int | None = None) -> list[PlanProgress]:
    users.require(user, "service.desk")
    start, end = _month_bounds(month)
    month = f"{start:%Y-%m}"
    q = VisitPlan.select().where(VisitPlan.month == month).order_by(VisitPlan.clerk, VisitPlan.building)
    if clerk_id is not None:
        q = q.where(VisitPlan.clerk == clerk_id)
    from models.estate import Unit

    out = []
    for p in q:
        in_building = House.select(House.id).join(Unit).where(Unit.building == p.building_id)
        visited = (Visit.select(pw.fn.COUNT(pw.fn.DISTINCT(Visit.house)))
                   .where(Visit.house.in_(in_building), Visit.visited_at >= start, Visit.visited_at < end).scalar())
        out.append(PlanProgress(p, in_building.count(), visited or 0))
    return out


def record(user, house_id: int, *, opinion: str, problem: str = "none", how: str = "visit", met: str = "",
           follow_up: str = "", plan_id: int | None = None, at: datetime.datetime | None = None) -> Visit:
    users.require(user, "service.desk")
    errors: dict = {}
    if House.get_or_none(House.id == house_id) is None:
        errors["house"] = (QT_TRANSLATE_NOOP("Office", "No such house"), {})
    if problem not in PROBLEMS:
        errors["problem"] = (QT_TRANSLATE_NOOP("Office", "Choose one of the list"), {})
    if how not in HOW:
        errors["how"] = (QT_TRANSLATE_NOOP("Office", "Choose one of the list"), {})
    if not opinion.strip():
        errors["opinion"] = (QT_TRANSLATE_NOOP("Office", "Write down the owner's opinion"), {})
    if problem != "none" and not follow_up.strip():
        errors["follow_up"] = (QT_TRANSLATE_NOOP("Office", "Say what will be done about the problem"), {})
    now = clock.now()
    at = (at or now).replace(microsecond=0)
    if at > now:
        errors["at"] = (QT_TRANSLATE_NOOP("Office", "A visit cannot be in the future"), {})
    if errors:
        raise ValidationError(errors)
    with atomic():
        v = Visit.create(plan=plan_id, house=house_id, visited_at=at, visited_by=user.id, how=how, met=met.strip()[:64],
                         opinion=opinion.strip()[:512], problem=problem, follow_up=follow_up.strip()[:256])
        audit.record(user, "visit.record", "house", house_id, f"{v.house.label} {opinion.strip()[:40]}",
                     {"problem": problem})
    return v


def followed_up(user, visit_id: int) -> Visit:
    users.require(user, "service.desk")
    with atomic():
        v = Visit.get_or_none(Visit.id == visit_id)
        if v is None:
            raise NotFound(QT_TRANSLATE_NOOP("Office", "This visit no longer exists"))
        if v.problem == "none" or v.followed_up_at is not None:
            return v  # nothing to follow up, or done already
        v.followed_up_at = clock.now()
        v.save()
        audit.record(user, "visit.followed_up", "house", v.house_id, v.follow_up[:60], {"problem": v.problem})
    return v


@dataclass
class MonthStats:
    visits: int
    houses: int
    by_problem: dict[str, int]
    open_follow_ups: int
    recurring: list[tuple[str, int]]  # problems raised in this month and the two before, most first


def get(user, visit_id: int) -> Visit:
    users.require(user, "service.desk")
    v = Visit.get_or_none(Visit.id == visit_id)
    if v is None:
        raise NotFound(QT_TRANSLATE_NOOP("Office", "This visit no longer exists"))
    return v


def of_month(user, month: str) -> list[Visit]:
    """The month's visits ("2026-11"), the latest first."""
    users.require(user, "service.desk")
    start, end = _month_bounds(month)
    return list(Visit.select().where(Visit.visited_at >= start, Visit.visited_at < end)
                .order_by(Visit.visited_at.desc(), Visit.id.desc()))


def clerks(user) -> list[User]:
    """The active users who may visit owners (whom a plan can be made for), by user name."""
    users.require(user, "service.manage")
    return [u for u in User.select().where(User.active == True).order_by(User.username)  # noqa: E712
            if users.has(u, "service.desk")]


def buildings(user) -> list[Building]:
    """The estate's buildings in their order, for a plan."""
    users.require(user, "service.manage")
    return list(Building.select().order_by(Building.sort_key, Building.code))


def month_stats(user, month: str) -> MonthStats:
    """The month's visits by problem; a problem is recurring when it was raised at least
    three times over this month and the two before it."""
    users.require(user, "service.desk")
    start, end = _month_bounds(month)
    earlier = (start - datetime.timedelta(days=1)).replace(day=1)
    earlier = (earlier - datetime.timedelta(days=1)).replace(day=1)
    rows = list(Visit.select(Visit.house, Visit.problem, Visit.followed_up_at)
                .where(Visit.visited_at >= start, Visit.visited_at < end).tuples())
    by_problem = {k: 0 for k in PROBLEMS}
    for _house, problem, _done in rows:
        by_problem[problem] += 1
    span = Counter(p for (p,) in Visit.select(Visit.problem).where(
        Visit.visited_at >= earlier, Visit.visited_at < end, Visit.problem != "none").tuples())
    recurring = [(p, n) for p, n in span.most_common() if n >= 3]
    return MonthStats(len(rows), len({h for h, _p, _d in rows}), by_problem,
                      sum(1 for _h, p, done in rows if p != "none" and done is None), recurring)


# --- the yearly survey ---------------------------------------------------------------------------------

def set_survey(user, year: int, title: str, questions: list[tuple[str, str]]) -> Survey:
    """The year's survey and its questions (text, kind); once answers are in, its questions
    stay as they are."""
    users.require(user, "service.manage")
    errors: dict = {}
    if not title.strip():
        errors["title"] = (QT_TRANSLATE_NOOP("Office", "Give the survey a title"), {})
    clean = [(t.strip(), k) for t, k in questions if t.strip()]
    if not clean:
        errors["questions"] = (QT_TRANSLATE_NOOP("Office", "Write at least one question"), {})
    if any(k not in QUESTION_KINDS for _t, k in clean):
        errors["questions"] = (QT_TRANSLATE_NOOP("Office", "Choose one of the list"), {})
    if errors:
        raise ValidationError(errors)
    with atomic():
        survey = Survey.get_or_none(Survey.year == year)
        if survey is None:
            survey = Survey.create(year=year, title=title.strip()[:128])
        else:
            if SurveyAnswer.select().join(SurveyQuestion).where(SurveyQuestion.survey == survey.id).exists():
                raise OfficeError(QT_TRANSLATE_NOOP(
                    "Office", "Answers to the {year} survey are in: its questions can no longer change"), year=year)
            survey.title = title.strip()[:128]
            survey.save()
            SurveyQuestion.delete().where(SurveyQuestion.survey == survey.id).execute()
        SurveyQuestion.insert_many([dict(survey=survey.id, position=n, text=t[:256], kind=k)
                                    for n, (t, k) in enumerate(clean, start=1)]).execute()
        audit.record(user, "survey.set", "survey", survey.id, f"{year} {survey.title}", {"questions": len(clean)})
    return survey


def survey_of(user, year: int) -> Survey | None:
    """The year's satisfaction survey, or None while it has none."""
    users.require(user, "service.desk")
    return Survey.get_or_none(Survey.year == year)


def questions(survey_id: int) -> list[SurveyQuestion]:
    return list(SurveyQuestion.select().where(SurveyQuestion.survey == survey_id).order_by(SurveyQuestion.position))


def enter_answers(user, survey_id: int, house_id: int, answers: dict[int, object]) -> int:
    """One house's answers (question id → 1–5, True/False or words), replacing any entered
    before; all or nothing."""
    users.require(user, "service.desk")
    qs = {q.id: q for q in questions(survey_id)}
    errors: dict = {}
    if House.get_or_none(House.id == house_id) is None:
        errors["house"] = (QT_TRANSLATE_NOOP("Office", "No such house"), {})
    rows = []
    for qid, value in answers.items():
        q = qs.get(qid)
        if q is None:
            raise NotFound(QT_TRANSLATE_NOOP("Office", "This question is not in the survey"))
        if value is None or value == "":
            continue
        if q.kind == "score":
            if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= 5:
                errors[f"q{q.position}"] = (QT_TRANSLATE_NOOP("Office", "Question {n}: a score from 1 to 5"),
                                            {"n": q.position})
                continue
            rows.append((q.id, value, ""))
        elif q.kind == "yes_no":
            if not isinstance(value, bool):
                errors[f"q{q.position}"] = (QT_TRANSLATE_NOOP("Office", "Question {n}: yes or no"), {"n": q.position})
                continue
            rows.append((q.id, int(value), ""))
        else:
            rows.append((q.id, None, str(value).strip()[:512]))
    if errors:
        raise ValidationError(errors)
    now = clock.now()
    with atomic():
        SurveyAnswer.delete().where(SurveyAnswer.question.in_(list(qs)), SurveyAnswer.house == house_id).execute()
        if rows:
            SurveyAnswer.insert_many([dict(question=qid, house=house_id, score=score, text=text, entered_at=now,
                                           entered_by=user.id) for qid, score, text in rows]).execute()
        audit.record(user, "survey.answer", "house", house_id, str(survey_id), {"answers": len(rows)})
    return len(rows)


@dataclass
class Tally:
    question: SurveyQuestion
    answered: int
    average: float | None  # a score's mean
    counts: dict  # score → count (1–5), or {"yes": n, "no": n}
    texts: list[str]


def tally(user, survey_id: int) -> tuple[int, list[Tally]]:
    """(houses that answered, each question's results)."""
    users.require(user, "service.desk")
    out = []
    houses = set()
    for q in questions(survey_id):
        answers = list(SurveyAnswer.select(SurveyAnswer.house, SurveyAnswer.score, SurveyAnswer.text)
                       .where(SurveyAnswer.question == q.id).tuples())
        houses.update(h for h, _s, _t in answers)
        if q.kind == "score":
            counts = {n: sum(1 for _h, s, _t in answers if s == n) for n in range(1, 6)}
            scores = [s for _h, s, _t in answers if s is not None]
            out.append(Tally(q, len(answers), sum(scores) / len(scores) if scores else None, counts, []))
        elif q.kind == "yes_no":
            out.append(Tally(q, len(answers), None, {"yes": sum(1 for _h, s, _t in answers if s == 1),
                                                     "no": sum(1 for _h, s, _t in answers if s == 0)}, []))
        else:
            out.append(Tally(q, len(answers), None, {}, [t for _h, _s, t in answers if t]))
    return len(houses), out
