from django.core.management import call_command

from conversations.models import Conversation, Message
from demo.department import DEMO_PASSWORD
from kpi.models import DailyAgentMetric, DailyTarget, MonthlyTarget
from qa_reviews.models import CalibrationSession, Case, Complaint, Review, ReviewAssignment, Scorecard
from teams.models import Membership, Responsibility, Role, Shift, Shop, Team
from training.models import Article, Assignment, Attempt, CareerLevel, Course, Onboarding

MODELS = (
    Team,
    Membership,
    Shop,
    Responsibility,
    Shift,
    Conversation,
    Message,
    DailyAgentMetric,
    MonthlyTarget,
    DailyTarget,
    Scorecard,
    ReviewAssignment,
    Review,
    CalibrationSession,
    Case,
    Complaint,
    Course,
    Assignment,
    Attempt,
    Article,
)


def _counts():
    return tuple(model.objects.count() for model in MODELS)


def test_seed_demo_builds_a_department_and_is_idempotent(db, capsys):
    call_command("seed_demo", "--chat-days", "2")
    first = _counts()
    call_command("seed_demo", "--chat-days", "2")
    assert _counts() == first
    assert Conversation.objects.exists() and DailyAgentMetric.objects.exists()
    assert MonthlyTarget.objects.count() == 3 and DailyTarget.objects.filter(agent__isnull=False).exists()

    output = capsys.readouterr().out
    assert DEMO_PASSWORD in output and "sup.pre" in output and "manager" in output

    assert Team.objects.filter(parent__isnull=False).count() == 2
    assert Membership.objects.filter(role=Role.AGENT).count() == 20
    assert Membership.objects.filter(role=Role.SUPERVISOR).count() == 2
    assert Membership.objects.filter(role=Role.QA).exists()
    assert Membership.objects.filter(role=Role.MANAGER, team__parent__isnull=True).exists()
    assert Shop.objects.count() == 3
    assert Responsibility.objects.filter(owner__isnull=False, backup__isnull=False).count() >= 8


def test_seed_demo_staffs_every_day_of_the_month(db):
    call_command("seed_demo", "--chat-days", "0")
    days = set(Shift.objects.values_list("date", flat=True))
    for day in days:
        for team in Team.objects.filter(parent__isnull=False):
            assert Shift.objects.filter(team=team, date=day).count() >= 5


def test_seed_demo_gives_qa_a_week_to_work_on(db):
    call_command("seed_demo", "--chat-days", "14")
    assert ReviewAssignment.objects.filter(status="open").exists(), "the inspector's queue has work left"
    assert Review.objects.filter(calibration=None, status="disputed").exists()
    assert Review.objects.filter(calibration=None, status="acknowledged").exists()
    assert CalibrationSession.objects.filter(status="closed").exists()
    assert Case.objects.filter(action_task__isnull=False).exclude(lesson_learned="").exists()
    assert Complaint.objects.filter(status="new", sla_breached_at__isnull=False).exists()
    assert DailyAgentMetric.objects.filter(qa_reviews__gt=0).exists(), "QA scores reach the computed metrics"


def test_seed_demo_gives_training_courses_quizzes_and_a_knowledge_base(db):
    call_command("seed_demo", "--chat-days", "14")
    assert Course.objects.filter(is_published=True, quiz__isnull=False).count() == 2
    assert Assignment.objects.filter(completed_at__isnull=False).exists()
    assert Assignment.objects.filter(completed_at__isnull=True).exists()
    assert Attempt.objects.filter(passed=True).exists() and Attempt.objects.filter(passed=False).exists()
    assert Attempt.objects.filter(status="awaiting").exists(), "a short answer waits for the supervisor"
    assert Article.objects.filter(status="published").count() >= 4
    assert Article.objects.filter(source_case__isnull=False, kind="lesson").exists(), "last week's case became a lesson"
    assert Onboarding.objects.exists() and CareerLevel.objects.exists()


def test_seed_demo_gives_recognition_an_award_with_its_working(db):
    from recognition.models import Award, GoodCase, Kudos

    call_command("seed_demo", "--chat-days", "14")
    weekly = Award.objects.filter(kind="weekly")
    assert weekly.count() == 2 and all(award.winner_id and award.breakdown["candidates"] for award in weekly)
    assert Award.objects.filter(kind="special").exclude(citation="").exists()
    assert Kudos.objects.exists() and GoodCase.objects.exists()
    call_command("seed_demo", "--chat-days", "14")
    assert Award.objects.filter(kind="weekly").count() == 2, "a second seed adds no award"
