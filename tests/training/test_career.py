"""The career path: levels and their rules, and each agent's progress from hand-made QA reviews, KPI targets
and metrics (the expected numbers are worked out in the comments)."""

import datetime as dt
import zoneinfo
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from qa_reviews.models import CalibrationSession, ReviewStatus, Scorecard
from teams.models import Position, Role
from tests.factories import member
from tests.training.factories_onboarding import complete_course, kpi_day, make_course, qa_review
from training import career
from training.models import CareerLevel


def today_of(team) -> dt.date:
    return timezone.now().astimezone(zoneinfo.ZoneInfo(team.timezone)).date()


@pytest.fixture
def basics(team):
    return make_course(team, "Product basics")


@pytest.fixture
def advanced(team):
    return make_course(team, "Handling complaints")


@pytest.fixture
def path(team, supervisor, basics, advanced):
    """Pre-sales: 1 Agent I (basics), 2 Agent II (QA >= 85, KPI >= 80 %), 3 Senior (QA >= 90, advanced)."""
    create = career.career_level_create
    return [
        create(actor=supervisor, team=team, position="pre_sales", rank=1, name="Agent I", required_courses=[basics]),
        create(
            actor=supervisor,
            team=team,
            position="pre_sales",
            rank=2,
            name="Agent II",
            min_qa_score=Decimal("85"),
            min_kpi_attainment=Decimal("80"),
        ),
        create(
            actor=supervisor,
            team=team,
            position="pre_sales",
            rank=3,
            name="Senior",
            min_qa_score=Decimal("90"),
            required_courses=[advanced],
        ),
    ]


def alice_record(team, agent, qa_inspector, sibling_team, basics):
    """alice: QA (80 + 90 + 85.5) / 3 = 85.1666… -> 85.17; KPI (120 + 80 + 50) / 3 = 83.33 %."""
    for total in (80, 90, 85.5):
        qa_review(team, agent, qa_inspector, total, days_ago=10)
    qa_review(team, agent, qa_inspector, 10, status=ReviewStatus.DRAFT)  # a draft does not count
    qa_review(team, agent, qa_inspector, 20, days_ago=91)  # too old
    session = CalibrationSession.objects.create(
        team=team, name="Calibration", scorecard=Scorecard.objects.get(team=team), created_by=qa_inspector
    )
    qa_review(team, agent, qa_inspector, 0, calibration=session)  # a blind calibration score
    sibling_supervisor = member(sibling_team, Role.SUPERVISOR, username="sib-sup")
    qa_review(sibling_team, agent, sibling_supervisor, 5)  # another team's review
    today = today_of(team)
    day = dt.timedelta(days=1)
    kpi_day(team, agent, today - day, "conversations", 10, conversations=12)  # 120 %
    kpi_day(team, agent, today - 2 * day, "conversations", 10, conversations=8)  # 80 %
    # Lower is better: target 30 s, actual 60 s -> 100 × 30 / 60 = 50 %.
    kpi_day(
        team, agent, today - 2 * day, "first_response_seconds", 30, first_response_count=2, first_response_ms_sum=120000
    )
    kpi_day(team, agent, today, "conversations", 10, conversations=0)  # today is not over: not counted
    kpi_day(team, agent, today - 31 * day, "conversations", 10, conversations=1)  # before the window
    kpi_day(team, agent, today - 3 * day, "sales_amount", 1000)  # no computed metrics that day: not counted
    complete_course(basics, agent, team)


def test_progress_from_reviews_targets_and_courses(team, sibling_team, path, agent, second_agent, qa_inspector, basics):
    alice_record(team, agent, qa_inspector, sibling_team, basics)
    rows = {row.user: row for row in career.career_progress(team=team)}
    alice, bob = rows[agent], rows[second_agent]

    assert (alice.qa_score, alice.qa_reviews) == (Decimal("85.17"), 3)
    assert (alice.kpi_attainment, alice.kpi_days) == (Decimal("83.33"), 3)
    assert alice.current_level == path[1]  # courses for 1; QA 85.17 >= 85 and KPI 83.33 >= 80 for 2
    assert alice.next_level == path[2]
    assert [(c.kind, c.value, c.required, c.met) for c in alice.criteria] == [
        ("course", False, True, False),
        ("qa_score", Decimal("85.17"), Decimal("90.00"), False),
    ]
    assert alice.criteria[0].label == "Handling complaints"
    assert alice.percent_to_next == 0

    assert (bob.current_level, bob.next_level, bob.qa_score, bob.kpi_attainment) == (None, path[0], None, None)
    assert [(c.kind, c.met) for c in bob.criteria] == [("course", False)]


def test_a_level_counts_only_when_every_lower_level_is_met(team, path, agent, qa_inspector, advanced):
    # alice meets level 3's QA and course criteria, but not level 1's course: she has no level yet.
    for total in (95, 97):
        qa_review(team, agent, qa_inspector, total)
    complete_course(advanced, agent, team)
    alice = career.career_progress(team=team, users=[agent])[0]
    assert (alice.current_level, alice.next_level) == (None, path[0])


def test_the_top_of_the_path_and_no_path(team, path, agent, second_agent, qa_inspector, basics, advanced):
    from kpi.models import DailyTarget

    for total in (92, 94):
        qa_review(team, agent, qa_inspector, total)
    kpi_day(team, agent, today_of(team) - dt.timedelta(days=5), "conversations", 10, conversations=9)
    complete_course(basics, agent, team)
    complete_course(advanced, agent, team)
    alice = career.career_progress(team=team, users=[agent.pk])[0]
    assert (alice.current_level, alice.next_level, alice.criteria, alice.percent_to_next) == (path[2], None, [], 100)
    assert DailyTarget.objects.count() == 1
    # bob works after-sales, which has no path.
    from teams.models import Membership

    Membership.objects.filter(user=second_agent).update(position=Position.AFTER_SALES)
    bob = career.career_progress(team=team, users=[second_agent])[0]
    assert (bob.levels, bob.current_level, bob.next_level, bob.percent_to_next) == ([], None, None, 0)


def test_a_team_without_levels_follows_its_department(department, team, manager, agent):
    course = make_course(department, "Company basics")
    level = career.career_level_create(
        actor=manager, team=department, position="pre_sales", rank=1, name="Associate", required_courses=[course]
    )
    assert career.career_path(team=team) == {"pre_sales": [level]}
    own = career.career_level_create(actor=manager, team=team, position="pre_sales", rank=1, name="Team associate")
    assert career.career_path(team=team) == {"pre_sales": [own]}
    assert career.career_progress(team=team, users=[agent])[0].current_level == own  # no criteria: met


def test_only_active_agents_are_listed(team, path, agent, second_agent, supervisor, qa_inspector):
    from teams.models import Membership

    Membership.objects.filter(user=second_agent).update(active=False)
    assert [row.user for row in career.career_progress(team=team)] == [agent]


@pytest.mark.parametrize("agents", [2, 12])
def test_progress_takes_a_fixed_number_of_queries(
    team, path, qa_inspector, basics, agents, django_assert_max_num_queries
):
    today = today_of(team)
    for number in range(agents):
        person = member(team, Role.AGENT, username=f"agent{number:02d}")
        qa_review(team, person, qa_inspector, 80 + number)
        kpi_day(team, person, today - dt.timedelta(days=1), "conversations", 10, conversations=number)
        if number % 2:
            complete_course(basics, person, team)
    with django_assert_max_num_queries(8):
        rows = career.career_progress(team=team)
    assert len(rows) == agents
    assert [row.kpi_attainment for row in rows[:2]] == [Decimal("0.00"), Decimal("10.00")]


# ------------------------------------------------------------------------------------------ the levels


def test_level_rules_name_the_field(team, supervisor, sibling_team, path):
    foreign = make_course(sibling_team, "Sibling course")
    with pytest.raises(ValidationError) as error:
        career.career_level_create(
            actor=supervisor,
            team=team,
            position="night",
            rank=0,
            name="",
            min_qa_score=Decimal("101"),
            min_kpi_attainment=Decimal("-1"),
            required_courses=[foreign],
        )
    assert set(error.value.message_dict) == {
        "position",
        "rank",
        "name",
        "min_qa_score",
        "min_kpi_attainment",
        "required_courses",
    }
    with pytest.raises(ValidationError) as taken:
        career.career_level_create(actor=supervisor, team=team, position="pre_sales", rank=2, name="Again")
    assert taken.value.message_dict == {"rank": ["This position already has a level 2: “Agent II”."]}
    assert CareerLevel.objects.count() == 3


def test_only_authors_manage_levels(team, path, agent, outsider, qa_inspector, supervisor):
    for person in (agent, outsider):
        with pytest.raises(PermissionDenied):
            career.career_level_create(actor=person, team=team, position="pre_sales", rank=9, name="Boss")
        with pytest.raises(PermissionDenied):
            career.career_level_update(level=path[0], actor=person, name="Renamed")
        with pytest.raises(PermissionDenied):
            career.career_level_delete(level=path[0], actor=person)
    path[0].refresh_from_db()
    assert path[0].name == "Agent I" and CareerLevel.objects.count() == 3
    changed = career.career_level_update(level=path[0], actor=qa_inspector, name="Agent One", required_courses=[])
    assert (changed.name, list(changed.required_courses.all())) == ("Agent One", [])
    career.career_level_delete(level=path[2], actor=supervisor)
    assert CareerLevel.objects.count() == 2
