"""Reads of the courses area: courses and their audience, assignments with progress, a person's learning,
the supervisor's overview, periodic assessments, and courses suggested by failed QA criteria.

Every list is set-based: a fixed number of queries whatever the number of rows.
"""

import datetime as dt
import zoneinfo
from collections import defaultdict

from django.contrib.auth import get_user_model
from django.db.models import (
    Avg,
    Case,
    Count,
    Exists,
    F,
    IntegerField,
    Max,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from qa_reviews.models import COUNTED_STATUSES, Criterion, CriterionScore
from teams import policy
from teams.models import Membership, Role, Team
from training import access
from training.models import (
    AssessmentSchedule,
    Assignment,
    Attempt,
    AttemptStatus,
    Course,
    Material,
    MaterialProgress,
    Quiz,
)

SUGGESTION_WINDOW_DAYS = 90
OPEN_SHOWN = 100
COMPLETED_SHOWN = 20
OVERVIEW_QUIZ_COLUMNS = 12


# ------------------------------------------------------------------------------------------ audience


def team_subtree_ids(team_id: int) -> set[int]:
    """The team and every team under it (one query)."""
    children: dict[int | None, list[int]] = defaultdict(list)
    for pk, parent_id in Team.objects.values_list("id", "parent_id"):
        children[parent_id].append(pk)
    seen, stack = set(), [team_id]
    while stack:
        current = stack.pop()
        if current not in seen:
            seen.add(current)
            stack.extend(children[current])
    return seen


def course_audience_team_ids(course: Course) -> set[int]:
    """A course is for its team and the teams under it."""
    return team_subtree_ids(course.team_id)


def audience_memberships(course: Course, *, team_ids) -> QuerySet[Membership]:
    """Active memberships of active people in these teams whose position the course is meant for."""
    memberships = Membership.objects.filter(team_id__in=list(team_ids), active=True, user__is_active=True)
    if course.audience_positions:
        memberships = memberships.filter(position__in=course.audience_positions)
    return memberships


# ------------------------------------------------------------------------------------------- courses


def _count_of(model, **filters):
    """A correlated COUNT(*) subquery, 0 when nothing matches."""
    field = next(iter(filters))
    rows = model.objects.filter(**filters).order_by().values(field).annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(rows, output_field=IntegerField()), 0)


def course_list(*, user) -> QuerySet[Course]:
    """Courses the user may see: published ones of readable teams, drafts of authored teams, assigned ones."""
    return (
        access.visible_courses(user)
        .select_related("team")
        .annotate(
            materials_count=_count_of(Material, course=OuterRef("pk")),
            has_quiz=Exists(Quiz.objects.filter(course=OuterRef("pk"))),
        )
        .order_by("title", "id")
    )


def course_detail(*, user, course_id: int) -> Course:
    """One visible course with its materials in order and the QA criteria it trains (raises DoesNotExist)."""
    return (
        course_list(user=user)
        .prefetch_related(
            Prefetch("materials", queryset=Material.objects.order_by("position", "id")),
            Prefetch("qa_criteria", queryset=Criterion.objects.select_related("scorecard").order_by("title", "id")),
        )
        .get(pk=course_id)
    )


def authorable_courses(*, user) -> QuerySet[Course]:
    return course_list(user=user).filter(team_id__in=access.authored_team_ids(user))


# --------------------------------------------------------------------------------------- assignments


def with_progress(assignments: QuerySet[Assignment]) -> QuerySet[Assignment]:
    """Annotate steps (materials, plus the quiz if the course has one), steps done and progress_percent."""
    has_quiz = Exists(Quiz.objects.filter(course_id=OuterRef("course_id")))
    quiz_passed = Exists(Attempt.objects.filter(assignment_id=OuterRef("pk"), passed=True))
    return assignments.annotate(
        materials_count=_count_of(Material, course_id=OuterRef("course_id")),
        materials_done=_count_of(MaterialProgress, assignment_id=OuterRef("pk")),
        has_quiz=has_quiz,
        quiz_passed=quiz_passed,
        steps=F("materials_count") + Case(When(has_quiz, then=Value(1)), default=Value(0)),
        steps_done=F("materials_done") + Case(When(quiz_passed, then=Value(1)), default=Value(0)),
        progress_percent=Case(
            When(completed_at__isnull=False, then=Value(100)),
            When(steps=0, then=Value(0)),
            default=F("steps_done") * 100 / F("steps"),
            output_field=IntegerField(),
        ),
    )


def assignment_list(*, user) -> QuerySet[Assignment]:
    """The user's own assignments and every assignment of the teams they supervise, with progress."""
    return with_progress(
        access.visible_assignments(user).select_related("course", "course__team", "user", "team", "assigned_by")
    ).order_by("due_date", "id")


def mark_overdue(assignments, now: dt.datetime | None = None) -> list[Assignment]:
    """Set `is_overdue` on each (open and past its due date in its team's time zone); needs team loaded."""
    now = now or timezone.now()
    rows = list(assignments)
    for assignment in rows:
        today = now.astimezone(zoneinfo.ZoneInfo(assignment.team.timezone)).date()
        assignment.is_overdue = assignment.completed_at is None and assignment.due_date < today
    return rows


def assignment_detail(*, user, assignment_id: int) -> Assignment:
    """A visible assignment with its course's materials in order and which of them are done."""
    assignment = assignment_list(user=user).get(pk=assignment_id)
    assignment.materials = list(assignment.course.materials.order_by("position", "id"))
    assignment.done_material_ids = set(assignment.progress.values_list("material_id", flat=True))
    mark_overdue([assignment])
    return assignment


def learning_of(*, viewer, person, now: dt.datetime | None = None) -> dict:
    """A person's learning as the viewer may see it: open assignments, the latest completed, suggestions."""
    assignments = assignment_list(user=viewer).filter(user=person)
    return {
        "person": person,
        "open": mark_overdue(assignments.filter(completed_at__isnull=True)[:OPEN_SHOWN], now),
        "completed": list(assignments.filter(completed_at__isnull=False).order_by("-completed_at")[:COMPLETED_SHOWN]),
        "suggestions": course_suggestions(user=person, now=now),
    }


def person_visible(*, viewer, person_id: int):
    """The person if the viewer is them or supervises one of their teams (else None)."""
    if viewer.pk == person_id:
        return viewer
    supervised = policy.team_access(viewer).supervised
    return policy.users_in_teams(supervised).filter(pk=person_id, is_active=True).first() if supervised else None


# ---------------------------------------------------------------------------------------- overview


def training_overview(*, team: Team, course: Course | None = None, now: dt.datetime | None = None) -> dict:
    """Per person of the team: assigned, done, overdue, mean progress %, and the best graded quiz percent per
    course with a quiz. The caller checks that the viewer supervises the team."""
    today = (now or timezone.now()).astimezone(zoneinfo.ZoneInfo(team.timezone)).date()
    assignments = Assignment.objects.filter(team=team)
    if course is not None:
        assignments = assignments.filter(course=course)
    per_person = {
        row["user_id"]: row
        for row in with_progress(assignments)
        .values("user_id")
        .annotate(
            assigned=Count("id"),
            done=Count("id", filter=Q(completed_at__isnull=False)),
            overdue=Count("id", filter=Q(completed_at__isnull=True, due_date__lt=today)),
            progress=Avg("progress_percent"),
        )
        .order_by()
    }
    agent_ids = Membership.objects.filter(team=team, role=Role.AGENT, active=True).values("user_id")
    people = list(
        get_user_model().objects.filter(Q(pk__in=agent_ids) | Q(pk__in=list(per_person))).order_by("username")
    )
    quiz_courses = list(
        Course.objects.filter(pk__in=assignments.values("course_id"), quiz__isnull=False).order_by("title", "id")[
            :OVERVIEW_QUIZ_COLUMNS
        ]
    )
    best = {
        (row["user_id"], row["quiz__course_id"]): row["best"]
        for row in Attempt.objects.filter(user__in=people, quiz__course__in=quiz_courses, status=AttemptStatus.GRADED)
        .values("user_id", "quiz__course_id")
        .annotate(best=Max("percent"))
        .order_by()
    }
    rows = []
    for person in people:
        figures = per_person.get(person.pk, {})
        rows.append(
            {
                "person": person,
                "assigned": figures.get("assigned", 0),
                "done": figures.get("done", 0),
                "overdue": figures.get("overdue", 0),
                "progress": round(figures["progress"]) if figures.get("progress") is not None else None,
                "best_quiz": [best.get((person.pk, quiz_course.pk)) for quiz_course in quiz_courses],
            }
        )
    return {"team": team, "today": today, "rows": rows, "quiz_courses": quiz_courses}


# ------------------------------------------------------------------------------------- assessments


def assessment_list(*, user) -> QuerySet[AssessmentSchedule]:
    """Periodic assessments of the teams the user authors for."""
    return (
        AssessmentSchedule.objects.filter(team_id__in=access.authored_team_ids(user))
        .select_related("team", "course")
        .annotate(assignments_count=_count_of(Assignment, schedule_id=OuterRef("pk")))
        .order_by("team__name", "course__title", "id")
    )


# ------------------------------------------------------------------------------------ QA suggestions


def failed_criteria(*, user, review=None, now: dt.datetime | None = None) -> set[tuple[int, str]]:
    """(scorecard family, criterion title) of the criteria the user's submitted reviews of the last
    SUGGESTION_WINDOW_DAYS (or the one review given) scored below half their max points, or 0 on auto-fail."""
    scores = CriterionScore.objects.filter(
        review__agent_id=user.pk,
        review__status__in=COUNTED_STATUSES,
        review__calibration__isnull=True,
        points__isnull=False,
    )
    if review is not None:
        scores = scores.filter(review=review)
    else:
        since = (now or timezone.now()) - dt.timedelta(days=SUGGESTION_WINDOW_DAYS)
        scores = scores.filter(review__submitted_at__gte=since)
    failed = scores.alias(doubled=F("points") * 2).filter(
        Q(doubled__lt=F("criterion__max_points")) | Q(criterion__auto_fail=True, points=0)
    )
    return set(failed.values_list("criterion__scorecard__family", "criterion__title").distinct())


def course_suggestions(*, user, review=None, now: dt.datetime | None = None, limit: int = 10) -> list[Course]:
    """Published courses the user may read that train a criterion they failed (matched across scorecard
    versions by family and title), except those they are already working on. Each carries `suggested_for`,
    the titles of the failed criteria it trains."""
    failed = failed_criteria(user=user, review=review, now=now)
    if not failed:
        return []
    matches = Q()
    for family, title in failed:
        matches |= Q(scorecard__family=family, title=title)
    trained = Criterion.objects.filter(matches)
    open_assignment = Assignment.objects.filter(course=OuterRef("pk"), user_id=user.pk, completed_at__isnull=True)
    courses = list(
        course_list(user=user)
        .filter(is_published=True, qa_criteria__in=trained)
        .exclude(Exists(open_assignment))
        .prefetch_related(Prefetch("qa_criteria", queryset=Criterion.objects.select_related("scorecard")))
        .distinct()[:limit]
    )
    for course in courses:
        course.suggested_for = sorted(
            {
                criterion.title
                for criterion in course.qa_criteria.all()
                if (criterion.scorecard.family, criterion.title) in failed
            }
        )
    return courses
