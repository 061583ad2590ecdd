"""Visits (走访/回访) on a plan by clerk, building and month, with the owner's opinion and
its follow-up; the yearly owners' survey (业主意见征询) with the office's own questions."""
import peewee as pw


def apply(db, migrator):
    class Base(pw.Model):
        class Meta:
            database = db

    class AppUser(Base):
        class Meta:
            table_name = "app_user"

    class Building(Base):
        class Meta:
            table_name = "building"

    class House(Base):
        class Meta:
            table_name = "house"

    class VisitPlan(Base):
        clerk = pw.ForeignKeyField(AppUser, on_delete="RESTRICT", backref="+")
        building = pw.ForeignKeyField(Building, on_delete="RESTRICT")
        month = pw.CharField(max_length=7, index=True)
        note = pw.CharField(max_length=128, default="")

        class Meta:
            table_name = "visit_plan"
            indexes = ((("clerk", "building", "month"), True),)

    class Visit(Base):
        plan = pw.ForeignKeyField(VisitPlan, null=True, on_delete="SET NULL")
        house = pw.ForeignKeyField(House, on_delete="RESTRICT", index=True)
        visited_at = pw.DateTimeField(index=True)
        visited_by = pw.ForeignKeyField(AppUser, null=True, on_delete="SET NULL", backref="+")
        how = pw.CharField(max_length=8, default="visit")
        met = pw.CharField(max_length=64, default="")
        opinion = pw.CharField(max_length=512, default="")
        problem = pw.CharField(max_length=16, default="none", index=True)
        follow_up = pw.CharField(max_length=256, default="")
        followed_up_at = pw.DateTimeField(null=True)

        class Meta:
            table_name = "visit"

    class Survey(Base):
        year = pw.IntegerField(unique=True)
        title = pw.CharField(max_length=128)

        class Meta:
            table_name = "survey"

    class SurveyQuestion(Base):
        survey = pw.ForeignKeyField(Survey, on_delete="CASCADE")
        position = pw.IntegerField()
        text = pw.CharField(max_length=256)
        kind = pw.CharField(max_length=8)

        class Meta:
            table_name = "survey_question"

    class SurveyAnswer(Base):
        question = pw.ForeignKeyField(SurveyQuestion, on_delete="CASCADE")
        house = pw.ForeignKeyField(House, on_delete="RESTRICT")
        score = pw.IntegerField(null=True)
        text = pw.CharField(max_length=512, default="")
        entered_at = pw.DateTimeField()
        entered_by = pw.ForeignKeyField(AppUser, null=True, on_delete="SET NULL", backref="+")

        class Meta:
            table_name = "survey_answer"
            indexes = ((("question", "house"), True),)

    db.create_tables([VisitPlan, Visit, Survey, SurveyQuestion, SurveyAnswer])
