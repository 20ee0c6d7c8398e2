"""Courses: authoring with ordered materials, assigning to people and teams (once each), progress and
completion, overdue notices (once), and courses suggested by failed QA criteria."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from notifications.models import Notification
from qa_reviews import services as qa
from teams.models import Membership, Position, Role, Team
from tests.conversations.factories import ConversationFactory
from tests.factories import MembershipFactory, member
from training import courses, selectors_courses
from training.models import Assignment, Attempt, AttemptStatus, Course, Material, MaterialProgress, Quiz
from training.signals import assignment_completed, assignments_created

SHANGHAI = "Asia/Shanghai"


def today(zone: str = SHANGHAI) -> dt.date:
    return courses.local_today(zone)


def in_days(days: int, zone: str = SHANGHAI) -> dt.date:
    return today(zone) + dt.timedelta(days=days)


def text(title: str, body: str = "Read this.", minutes: int = 10) -> dict:
    return {"kind": "text", "title": title, "body": body, "estimated_minutes": minutes}


def make_course(team, author, *, title="Return policy", parts=2, publish=True, **fields) -> Course:
    course = courses.course_create(
        team=team, actor=author, title=title, materials=[text(f"Part {n}") for n in range(1, parts + 1)], **fields
    )
    if publish:
        course = courses.course_set_published(course=course, actor=author, published=True)
    return course


def assign(course, actor, *, users=(), teams=(), due=None) -> list[Assignment]:
    return courses.assignments_create(course=course, actor=actor, due_date=due or in_days(7), users=users, teams=teams)


# ------------------------------------------------------------------------------------------ authoring


def test_author_creates_a_course_with_ordered_materials(team, supervisor):
    course = courses.course_create(
        team=team,
        actor=supervisor,
        title="  Returns in 7 days ",
        audience_positions=["after_sales", "pre_sales", "pre_sales"],
        materials=[
            text("Policy", minutes=5),
            {"kind": "video", "title": "Recorded session", "video_url": "https://video.example.com/s/1", "body": "x"},
            {"kind": "attachment", "title": "Cheat sheet", "attachment": SimpleUploadedFile("sheet.pdf", b"%PDF")},
        ],
    )
    assert course.title == "Returns in 7 days" and not course.is_published
    assert course.audience_positions == ["pre_sales", "after_sales"]
    assert course.estimated_minutes == 25  # 5 + 10 + 10: the materials' minutes added up
    rows = list(course.materials.values_list("position", "kind", "title"))
    assert rows == [(0, "text", "Policy"), (1, "video", "Recorded session"), (2, "attachment", "Cheat sheet")]
    assert course.materials.get(kind="attachment").attachment.name.endswith(".pdf")


@pytest.mark.parametrize(
    ("material", "field"),
    [
        ({"kind": "text", "title": "Empty", "body": "  "}, "materials[0].body"),
        ({"kind": "video", "title": "No link"}, "materials[0].video_url"),
        ({"kind": "video", "title": "Bad link", "video_url": "javascript:alert(1)"}, "materials[0].video_url"),
        ({"kind": "attachment", "title": "No file"}, "materials[0].attachment"),
    ],
)
def test_a_material_without_its_content_names_the_field_and_writes_nothing(team, supervisor, material, field):
    with pytest.raises(ValidationError) as error:
        courses.course_create(team=team, actor=supervisor, title="Broken", materials=[material])
    assert field in error.value.message_dict
    assert not Course.objects.exists() and not Material.objects.exists()


def test_attachments_are_size_limited(team, supervisor, monkeypatch):
    monkeypatch.setattr("training.courses.authoring.ATTACHMENT_MAX_BYTES", 10)
    big = SimpleUploadedFile("big.pdf", b"x" * 11)
    with pytest.raises(ValidationError) as error:
        courses.course_create(
            team=team,
            actor=supervisor,
            title="Big",
            materials=[{"kind": "attachment", "title": "Big", "attachment": big}],
        )
    assert "materials[0].attachment" in error.value.message_dict
    assert not Course.objects.exists()


@pytest.mark.parametrize("who", ["agent", "outsider", "sibling_agent"])
def test_only_authors_of_the_team_write_courses(request, team, supervisor, who):
    person = request.getfixturevalue(who)
    with pytest.raises(PermissionDenied):
        courses.course_create(team=team, actor=person, title="Mine", materials=[text("Part")])
    course = make_course(team, supervisor)
    with pytest.raises(PermissionDenied):
        courses.course_update(course=course, actor=person, title="Hijacked")
    with pytest.raises(PermissionDenied):
        courses.course_set_published(course=course, actor=person, published=False)
    course.refresh_from_db()
    assert Course.objects.count() == 1 and course.title == "Return policy" and course.is_published


def test_qa_inspectors_and_managers_author_too(team, qa_inspector, manager):
    assert make_course(team, qa_inspector, title="By QA").team == team
    assert make_course(team, manager, title="By the manager").team == team


def test_unknown_positions_and_foreign_criteria_are_refused(team, supervisor, other_team, outsider):
    with pytest.raises(ValidationError) as error:
        courses.course_create(team=team, actor=supervisor, title="x", audience_positions=["chef"])
    assert "audience_positions" in error.value.message_dict
    foreign = qa.scorecard_create(
        team=other_team, actor=outsider, name="Theirs", criteria=[{"title": "Secret", "weight": 1, "max_points": 1}]
    )
    with pytest.raises(ValidationError) as error:
        courses.course_create(team=team, actor=supervisor, title="x", qa_criteria=foreign.criteria.all())
    assert "qa_criteria" in error.value.message_dict
    assert not Course.objects.exists()


def test_editing_keeps_progress_of_kept_materials_and_reorders(team, supervisor, agent):
    course = make_course(team, supervisor, parts=3)
    first, second, third = course.materials.all()
    (assignment,) = assign(course, supervisor, users=[agent])
    courses.material_mark_done(assignment=assignment, material=first, actor=agent)
    courses.course_update(
        course=course,
        actor=supervisor,
        title="Return policy v2",
        materials=[{"id": third.pk, "title": "Now first"}, {"id": first.pk}, text("Brand new")],
    )
    assert list(course.materials.values_list("title", "position")) == [
        ("Now first", 0),
        ("Part 1", 1),
        ("Brand new", 2),
    ]
    assert not Material.objects.filter(pk=second.pk).exists()
    assert MaterialProgress.objects.filter(assignment=assignment, material=first).exists()


def test_removing_the_last_open_material_completes_the_assignment(team, supervisor, agent):
    course = make_course(team, supervisor, parts=2)
    first, _second = course.materials.all()
    (assignment,) = assign(course, supervisor, users=[agent])
    courses.material_mark_done(assignment=assignment, material=first, actor=agent)
    courses.course_update(course=course, actor=supervisor, materials=[{"id": first.pk}])
    assignment.refresh_from_db()
    assert assignment.completed_at is not None


def test_a_material_of_another_course_cannot_be_moved_in(team, supervisor):
    course, other = make_course(team, supervisor), make_course(team, supervisor, title="Other")
    with pytest.raises(ValidationError) as error:
        courses.course_update(course=course, actor=supervisor, materials=[{"id": other.materials.first().pk}])
    assert "materials[0].id" in error.value.message_dict


def test_publishing_needs_a_material(team, supervisor):
    course = courses.course_create(team=team, actor=supervisor, title="Empty")
    with pytest.raises(ValidationError) as error:
        courses.course_set_published(course=course, actor=supervisor, published=True)
    assert "materials" in error.value.message_dict
    course.refresh_from_db()
    assert not course.is_published


# ---------------------------------------------------------------------------------------- assignments


def test_a_team_assignment_reaches_every_active_agent_once(team, supervisor, agent, second_agent, qa_inspector):
    inactive = member(team, Role.AGENT, username="gone")
    Membership.objects.filter(user=inactive).update(active=False)
    course = make_course(team, supervisor)
    created = assign(course, supervisor, teams=[team], users=[agent])
    assert sorted(a.user.username for a in created) == ["alice", "bob"]
    assert {a.team_id for a in created} == {team.pk}
    again = assign(course, supervisor, teams=[team], users=[agent, second_agent])
    assert again == [] and Assignment.objects.count() == 2


def test_a_person_in_two_chosen_teams_gets_one_assignment(
    department, team, sibling_team, manager, agent, sibling_agent
):
    MembershipFactory(user=agent, team=sibling_team, role=Role.AGENT, position=Position.PRE_SALES)
    course = make_course(department, manager)
    created = assign(course, manager, teams=[team, sibling_team])
    assert sorted((a.user.username, a.team_id) for a in created) == [("alice", team.pk), ("sam", sibling_team.pk)]


def test_another_due_date_is_another_assignment(team, supervisor, agent):
    course = make_course(team, supervisor)
    assign(course, supervisor, users=[agent], due=in_days(7))
    assign(course, supervisor, users=[agent], due=in_days(14))
    assert Assignment.objects.filter(user=agent).count() == 2


def test_people_and_teams_outside_what_the_actor_supervises_are_refused(
    team, sibling_team, supervisor, agent, sibling_agent, other_team
):
    course = make_course(team, supervisor)
    with pytest.raises(ValidationError) as error:
        assign(course, supervisor, users=[agent, sibling_agent])
    assert str(sibling_agent) in error.value.message_dict["users"][0]
    with pytest.raises(ValidationError) as error:
        assign(course, supervisor, teams=[team, other_team])
    assert "teams" in error.value.message_dict
    assert not Assignment.objects.exists() and not Notification.objects.exists()


def test_agents_cannot_assign(team, supervisor, agent, second_agent):
    course = make_course(team, supervisor)
    with pytest.raises(PermissionDenied):
        assign(course, agent, users=[second_agent])
    assert not Assignment.objects.exists()


def test_the_courses_positions_limit_who_is_reached(team, supervisor, agent):
    after_sales = member(team, Role.AGENT, position=Position.AFTER_SALES, username="carol")
    course = make_course(team, supervisor, audience_positions=["after_sales"])
    assert [a.user for a in assign(course, supervisor, teams=[team])] == [after_sales]
    with pytest.raises(ValidationError) as error:
        assign(course, supervisor, users=[agent])
    assert "users" in error.value.message_dict


def test_a_department_course_reaches_the_teams_below(department, team, manager, supervisor, agent):
    course = make_course(department, manager)
    assert [a.user for a in assign(course, supervisor, teams=[team])] == [agent]


@pytest.mark.parametrize(
    ("change", "field"),
    [({"publish": False}, "course"), ({"due": -1}, "due_date"), ({"nobody": True}, "users")],
)
def test_bad_assignments_name_the_field(team, supervisor, agent, change, field):
    course = make_course(team, supervisor, publish=change.get("publish", True))
    with pytest.raises(ValidationError) as error:
        courses.assignments_create(
            course=course,
            actor=supervisor,
            due_date=in_days(change.get("due", 7)),
            users=[] if change.get("nobody") else [agent],
        )
    assert field in error.value.message_dict
    assert not Assignment.objects.exists()


def test_assignees_are_notified_once_and_listeners_hear_after_the_commit(
    team, supervisor, agent, django_capture_on_commit_callbacks
):
    heard = []

    def listener(sender, assignments, **kwargs):
        heard.append(sorted(a.user_id for a in assignments))

    assignments_created.connect(listener)
    try:
        course = make_course(team, supervisor)
        with django_capture_on_commit_callbacks(execute=True):
            assign(course, supervisor, users=[agent])
            assert heard == []  # not before the commit
        assert heard == [[agent.pk]]
        with django_capture_on_commit_callbacks(execute=True):
            assign(course, supervisor, users=[agent])
        assert heard == [[agent.pk]]  # nothing new: no signal
    finally:
        assignments_created.disconnect(listener)
    notices = Notification.objects.filter(recipient=agent, kind="training-assigned")
    assert notices.count() == 1 and "Return policy" in notices.get().text


# ------------------------------------------------------------------------------------------- progress


def _progress(assignment) -> int:
    return selectors_courses.assignment_list(user=assignment.user).get(pk=assignment.pk).progress_percent


def test_materials_done_complete_the_assignment_once(team, supervisor, agent):
    completions = []

    def listener(sender, assignment, **kwargs):
        completions.append(assignment.pk)

    assignment_completed.connect(listener)
    try:
        course = make_course(team, supervisor, parts=2)
        first, second = course.materials.all()
        (assignment,) = assign(course, supervisor, users=[agent])
        assert _progress(assignment) == 0
        courses.material_mark_done(assignment=assignment, material=first, actor=agent)
        courses.material_mark_done(assignment=assignment, material=first, actor=agent)  # again: nothing changes
        assert MaterialProgress.objects.count() == 1 and _progress(assignment) == 50
        assignment = courses.material_mark_done(assignment=assignment, material=second, actor=agent)
        assert assignment.completed_at is not None and _progress(assignment) == 100
        courses.material_mark_done(assignment=assignment, material=second, actor=agent)
        assert completions == [assignment.pk]
    finally:
        assignment_completed.disconnect(listener)


@pytest.mark.parametrize("who", ["second_agent", "supervisor"])
def test_only_the_assignee_marks_materials_done(request, team, supervisor, agent, who):
    course = make_course(team, supervisor)
    (assignment,) = assign(course, supervisor, users=[agent])
    with pytest.raises(PermissionDenied):
        courses.material_mark_done(
            assignment=assignment, material=course.materials.first(), actor=request.getfixturevalue(who)
        )
    assert not MaterialProgress.objects.exists()


def test_a_material_of_another_course_is_refused(team, supervisor, agent):
    course, other = make_course(team, supervisor), make_course(team, supervisor, title="Other")
    (assignment,) = assign(course, supervisor, users=[agent])
    with pytest.raises(ValidationError) as error:
        courses.material_mark_done(assignment=assignment, material=other.materials.first(), actor=agent)
    assert "material" in error.value.message_dict


def test_a_course_with_a_quiz_completes_when_the_quiz_is_passed(team, supervisor, agent):
    course = make_course(team, supervisor, parts=2)
    quiz = Quiz.objects.create(course=course)
    (assignment,) = assign(course, supervisor, users=[agent])
    for material in course.materials.all():
        assignment = courses.material_mark_done(assignment=assignment, material=material, actor=agent)
    assert assignment.completed_at is None and _progress(assignment) == 66  # 2 of 3 steps
    Attempt.objects.create(
        quiz=quiz, user=agent, team=team, assignment=assignment, number=1, status=AttemptStatus.GRADED, passed=True
    )
    from training.progress import assignment_refresh

    assert assignment_refresh(assignment)
    assert _progress(assignment) == 100


# ------------------------------------------------------------------------------------------- overdue


def _utc(day: dt.date, hour: int) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, tzinfo=dt.UTC)


def test_overdue_assignments_notify_the_assignee_and_supervisors_once(team, supervisor, agent, second_agent):
    course = make_course(team, supervisor)
    due = in_days(1)
    late, done = assign(course, supervisor, users=[agent, second_agent], due=due)
    if late.user != agent:
        late, done = done, late
    for material in course.materials.all():
        courses.material_mark_done(assignment=done, material=material, actor=done.user)
    # 23:00 UTC on the due day is 07:00 the next morning in Shanghai: overdue there.
    assert courses.assignments_notify_overdue(now=_utc(due, 15)) == 0  # 23:00 on the due day: not yet
    assert courses.assignments_notify_overdue(now=_utc(due, 17)) == 1
    assert courses.assignments_notify_overdue(now=_utc(due, 18)) == 0  # run twice: once
    notices = Notification.objects.filter(kind__startswith="training-overdue")
    assert sorted(n.recipient.username for n in notices) == ["alice", "sue"]
    assert Assignment.objects.get(pk=late.pk).overdue_notified_at is not None
    assert Assignment.objects.get(pk=done.pk).overdue_notified_at is None


def test_the_due_date_is_judged_in_the_teams_time_zone(db):
    west = Team.objects.create(name="West coast", timezone="America/Los_Angeles")
    boss, person = member(west, Role.SUPERVISOR), member(west, Role.AGENT)
    course = make_course(west, boss)
    due = in_days(1, "America/Los_Angeles")
    assign(course, boss, users=[person], due=due)
    next_day = due + dt.timedelta(days=1)
    # 07:00 UTC on the day after is 23:00 (or midnight) of the due day in Los Angeles: not yet overdue.
    assert courses.assignments_notify_overdue(now=_utc(next_day, 6)) == 0
    assert courses.assignments_notify_overdue(now=_utc(next_day, 9)) == 1


# -------------------------------------------------------------------------------------- suggestions

CRITERIA = [
    {"title": "Greets within 30 s", "weight": 1, "max_points": 1},
    {"title": "Solves the problem", "weight": 3, "max_points": 5},
    {"title": "No rude language", "weight": 1, "max_points": 1, "auto_fail": True},
]


@pytest.fixture
def scorecard(team, qa_inspector):
    return qa.scorecard_create(team=team, actor=qa_inspector, name="Chat quality", criteria=CRITERIA)


def review(scorecard, reviewer, agent, points: list[int]):
    conversation = ConversationFactory(team=scorecard.team, agent=agent)
    scores = dict(zip(scorecard.criteria.values_list("pk", flat=True), points, strict=True))
    return qa.review_save(conversation=conversation, reviewer=reviewer, scorecard=scorecard, points=scores, submit=True)


def test_a_failed_criterion_suggests_its_course_across_scorecard_versions(
    team, supervisor, qa_inspector, agent, second_agent, scorecard
):
    solving = scorecard.criteria.get(title="Solves the problem")
    course = make_course(team, supervisor, title="Solving problems", qa_criteria=[solving])
    make_course(team, supervisor, title="Draft on solving", qa_criteria=[solving], publish=False)
    review(scorecard, qa_inspector, second_agent, [1, 3, 1])  # 3 of 5: not below half
    v2 = qa.scorecard_revise(scorecard=scorecard, actor=qa_inspector, criteria=CRITERIA)
    assert v2.pk != scorecard.pk  # a used scorecard gets a new version with new criteria rows
    failed = review(v2, qa_inspector, agent, [1, 2, 1])  # 2 of 5 on the new version's criterion
    suggested = selectors_courses.course_suggestions(user=agent)
    assert suggested == [course] and suggested[0].suggested_for == ["Solves the problem"]
    assert selectors_courses.course_suggestions(user=agent, review=failed) == [course]
    assert selectors_courses.course_suggestions(user=second_agent) == []
    assign(course, supervisor, users=[agent])
    assert selectors_courses.course_suggestions(user=agent) == []  # already working on it


def test_zero_on_an_auto_fail_criterion_suggests_and_old_reviews_do_not(
    team, supervisor, qa_inspector, agent, scorecard
):
    manners = make_course(
        team, supervisor, title="Manners", qa_criteria=[scorecard.criteria.get(title="No rude language")]
    )
    failed = review(scorecard, qa_inspector, agent, [1, 5, 0])
    assert selectors_courses.course_suggestions(user=agent) == [manners]
    type(failed).objects.filter(pk=failed.pk).update(submitted_at=failed.submitted_at - dt.timedelta(days=91))
    assert selectors_courses.course_suggestions(user=agent) == []
