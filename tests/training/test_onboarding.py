"""Onboarding checklists: instantiated for new agents once, steps ticked by reading, course completion and
supervisors, completion with its notifications, and the template rules."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from notifications.models import Notification
from teams.models import Membership, Position, Role
from teams.services import membership_update
from tests.factories import TeamFactory, member
from tests.training.factories_onboarding import complete_course, make_article, make_course, make_template
from training import onboarding
from training.models import ArticleRead, ArticleStatus, Onboarding, OnboardingStepDone, StepKind


@pytest.fixture
def article(team):
    return make_article(team)


@pytest.fixture
def course(team):
    return make_course(team)


@pytest.fixture
def template(team, supervisor, article, course):
    return make_template(team, supervisor, article=article, course=course)


def states_of(checklist):
    return onboarding.onboarding_states([checklist])[checklist.pk]


def done_flags(checklist) -> list[bool]:
    return [step.done for step in states_of(checklist).steps]


# ---------------------------------------------------------------------------------------- instantiation


def test_a_new_agent_gets_the_checklist_once_and_is_told(team, template):
    nina = member(team, Role.AGENT, username="nina")
    checklist = Onboarding.objects.get(user=nina)
    assert (checklist.template, checklist.team) == (template, team)
    notice = Notification.objects.get(recipient=nina, kind="training-onboarding-started")
    assert notice.link == f"/training/onboarding/{checklist.pk}/"
    assert notice.text == "Your onboarding checklist “Pre-sales onboarding” is ready: open it to see your steps."
    # Saving the membership again, or running the service again, adds nothing.
    membership = Membership.objects.get(user=nina)
    membership.save()
    assert onboarding.onboarding_start_for_membership(membership=membership) == []
    assert Onboarding.objects.filter(user=nina).count() == 1
    assert Notification.objects.filter(recipient=nina).count() == 1


@pytest.mark.parametrize("role", [Role.SUPERVISOR, Role.QA, Role.MANAGER])
def test_other_roles_get_no_checklist(team, template, role):
    person = member(team, role, username="newcomer")
    assert not Onboarding.objects.filter(user=person).exists()


def test_an_inactive_new_membership_gets_nothing(team, template):
    person = member(team, Role.AGENT, username="later")
    Onboarding.objects.filter(user=person).delete()
    membership = Membership.objects.get(user=person)
    membership_update(membership=membership, data={"active": False})
    assert not Onboarding.objects.filter(user=person).exists()


def test_only_templates_of_the_position_or_every_position(team, supervisor, article, course):
    everyone = make_template(team, supervisor, article=article, course=course, name="Everyone")
    make_template(team, supervisor, article=article, course=course, name="After-sales", position="after_sales")
    pre = make_template(team, supervisor, article=article, course=course, name="Pre-sales", position="pre_sales")
    nina = member(team, Role.AGENT, Position.PRE_SALES, username="nina")
    assert set(Onboarding.objects.filter(user=nina).values_list("template", flat=True)) == {everyone.pk, pre.pk}


def test_templates_of_the_department_above_apply_and_inactive_ones_do_not(
    department, team, sibling_team, manager, supervisor
):
    article, course = make_article(department), make_course(department)
    department_wide = make_template(department, manager, article=article, course=course, name="Company intro")
    off = make_template(team, supervisor, article=article, course=course, name="Old")
    onboarding.onboarding_template_update(template=off, actor=supervisor, is_active=False)
    nina = member(team, Role.AGENT, username="nina")
    sam = member(sibling_team, Role.AGENT, username="samuel")
    assert list(Onboarding.objects.filter(user=nina).values_list("template", "team")) == [(department_wide.pk, team.pk)]
    assert list(Onboarding.objects.filter(user=sam).values_list("template", "team")) == [
        (department_wide.pk, sibling_team.pk)
    ]
    # A team elsewhere never gets it.
    elsewhere = member(TeamFactory(name="Elsewhere"), Role.AGENT, username="ella")
    assert not Onboarding.objects.filter(user=elsewhere).exists()


def test_reactivation_and_becoming_an_agent_start_what_is_missing(team, supervisor, article, course):
    nina = member(team, Role.AGENT, username="nina")  # joined before any template existed
    membership = Membership.objects.get(user=nina)
    membership_update(membership=membership, data={"active": False})
    template = make_template(team, supervisor, article=article, course=course)
    assert not Onboarding.objects.filter(user=nina).exists()
    membership_update(membership=membership, data={"active": True})
    assert list(Onboarding.objects.filter(user=nina).values_list("template", flat=True)) == [template.pk]
    # Leaving and coming back again: still one checklist.
    membership_update(membership=membership, data={"active": False})
    membership_update(membership=membership, data={"active": True})
    assert Onboarding.objects.filter(user=nina).count() == 1

    quinn_like = member(team, Role.QA, username="qa2")
    assert not Onboarding.objects.filter(user=quinn_like).exists()
    membership_update(membership=Membership.objects.get(user=quinn_like), data={"role": Role.AGENT})
    assert Onboarding.objects.filter(user=quinn_like, template=template).exists()


def test_an_existing_agent_is_not_given_new_templates_when_the_row_is_saved(team, supervisor, agent, article, course):
    make_template(team, supervisor, article=article, course=course)
    membership = Membership.objects.get(user=agent)
    membership.save()
    membership_update(membership=membership, data={"display_name": "Alice A."})
    assert not Onboarding.objects.filter(user=agent).exists()
    # Moving to another position is a new start in that position.
    after = make_template(team, supervisor, article=article, course=course, name="After", position="after_sales")
    membership_update(membership=membership, data={"position": Position.AFTER_SALES})
    assert list(Onboarding.objects.filter(user=agent).values_list("template", flat=True)) == [after.pk]


def test_a_supervisor_starts_one_by_hand_and_again_changes_nothing(team, supervisor, agent, template):
    checklist, created = onboarding.onboarding_start(template=template, user=agent, actor=supervisor)
    assert created and checklist.team == team
    again, created_again = onboarding.onboarding_start(template=template, user=agent, actor=supervisor)
    assert (again.pk, created_again) == (checklist.pk, False)
    assert Notification.objects.filter(recipient=agent, kind="training-onboarding-started").count() == 1


def test_starting_by_hand_is_for_the_member_team_supervisors(
    team, agent, second_agent, outsider, sibling_agent, supervisor, template
):
    with pytest.raises(PermissionDenied):
        onboarding.onboarding_start(template=template, user=agent, actor=second_agent)
    with pytest.raises(PermissionDenied):
        onboarding.onboarding_start(template=template, user=agent, actor=outsider)
    with pytest.raises(ValidationError) as error:
        onboarding.onboarding_start(template=template, user=sibling_agent, actor=supervisor)
    assert "user" in error.value.message_dict
    assert not Onboarding.objects.exists()


# ----------------------------------------------------------------------------------------------- steps


@pytest.fixture
def checklist(team, template, supervisor):
    nina = member(team, Role.AGENT, username="nina")
    return Onboarding.objects.get(user=nina, template=template)


def test_steps_tick_by_reading_completing_and_a_supervisor(checklist, article, course, team, supervisor):
    nina = checklist.user
    assert done_flags(checklist) == [False, False, False]
    ArticleRead.objects.create(article=article, user=nina)
    assert done_flags(checklist) == [True, False, False]
    complete_course(course, nina, team)
    assert done_flags(checklist) == [True, True, False]
    shadow = checklist.template.steps.get(kind=StepKind.SHADOW)
    onboarding.onboarding_step_confirm(onboarding=checklist, step=shadow, actor=supervisor)
    state = states_of(checklist)
    assert [step.how for step in state.steps] == ["article_read", "course_completed", "confirmed"]
    assert state.steps[2].confirmed_by == supervisor


def test_someone_else_reading_or_an_open_assignment_ticks_nothing(checklist, article, course, agent, team):
    from training.models import Assignment

    ArticleRead.objects.create(article=article, user=agent)
    complete_course(course, agent, team)
    Assignment.objects.create(course=course, user=checklist.user, team=team, due_date="2030-02-01")
    assert done_flags(checklist) == [False, False, False]


def test_the_last_step_completes_the_checklist_and_tells_the_supervisor(checklist, article, course, team, supervisor):
    nina = checklist.user
    shadow = checklist.template.steps.get(kind=StepKind.SHADOW)
    onboarding.onboarding_step_confirm(onboarding=checklist, step=shadow, actor=supervisor)
    ArticleRead.objects.create(article=article, user=nina)
    checklist.refresh_from_db()
    assert checklist.completed_at is None
    assert not Notification.objects.filter(kind="training-onboarding-complete").exists()
    complete_course(course, nina, team)  # through training.signals.assignment_completed
    checklist.refresh_from_db()
    assert checklist.completed_at is not None
    notice = Notification.objects.get(kind="training-onboarding-complete")
    assert notice.recipient == supervisor
    assert notice.text == f"{nina} finished the onboarding checklist “Pre-sales onboarding”."
    assert notice.link == f"/training/onboarding/{checklist.pk}/"
    # Refreshing again changes nothing and tells nobody twice.
    assert onboarding.onboarding_refresh(onboardings=[checklist]) == []
    assert Notification.objects.filter(kind="training-onboarding-complete").count() == 1


def test_without_a_team_supervisor_the_managers_above_are_told(department, sibling_team, manager):
    template = onboarding.onboarding_template_create(
        actor=manager,
        team=department,
        name="Company intro",
        steps=[{"kind": StepKind.OTHER, "title": "Sign the handbook"}],
    )
    sam = member(sibling_team, Role.AGENT, username="samuel")
    checklist = Onboarding.objects.get(user=sam, template=template)
    onboarding.onboarding_step_confirm(onboarding=checklist, step=template.steps.get(), actor=manager)
    assert list(
        Notification.objects.filter(kind="training-onboarding-complete").values_list("recipient", flat=True)
    ) == [manager.pk]


def test_who_may_tick(checklist, supervisor, qa_inspector, second_agent, outsider, sibling_agent):
    shadow = checklist.template.steps.get(kind=StepKind.SHADOW)
    for person in (second_agent, outsider, sibling_agent, checklist.user):
        with pytest.raises(PermissionDenied):
            onboarding.onboarding_step_confirm(onboarding=checklist, step=shadow, actor=person)
    assert not OnboardingStepDone.objects.exists()
    onboarding.onboarding_step_confirm(onboarding=checklist, step=shadow, actor=qa_inspector)
    onboarding.onboarding_step_confirm(onboarding=checklist, step=shadow, actor=supervisor)  # again: kept
    assert OnboardingStepDone.objects.get().confirmed_by == qa_inspector


def test_reading_and_course_steps_are_not_ticked_by_hand(checklist, supervisor, article):
    reading = checklist.template.steps.get(kind=StepKind.READ_ARTICLE)
    with pytest.raises(ValidationError) as error:
        onboarding.onboarding_step_confirm(onboarding=checklist, step=reading, actor=supervisor)
    assert "opens the article" in error.value.message_dict["step"][0]
    # Once the article is gone, the step can only be ticked by hand.
    article.delete()
    reading.refresh_from_db()
    onboarding.onboarding_step_confirm(onboarding=checklist, step=reading, actor=supervisor)
    assert done_flags(checklist)[0] is True


def test_a_tick_is_taken_back_only_while_open(checklist, supervisor, article, course, team):
    shadow = checklist.template.steps.get(kind=StepKind.SHADOW)
    onboarding.onboarding_step_confirm(onboarding=checklist, step=shadow, actor=supervisor)
    onboarding.onboarding_step_unconfirm(onboarding=checklist, step=shadow, actor=supervisor)
    assert not OnboardingStepDone.objects.exists()
    onboarding.onboarding_step_confirm(onboarding=checklist, step=shadow, actor=supervisor)
    ArticleRead.objects.create(article=article, user=checklist.user)
    complete_course(course, checklist.user, team)
    with pytest.raises(ValidationError):
        onboarding.onboarding_step_unconfirm(onboarding=checklist, step=shadow, actor=supervisor)
    assert OnboardingStepDone.objects.count() == 1


def test_a_step_of_another_template_is_refused(checklist, team, supervisor, article, course):
    other = make_template(team, supervisor, article=article, course=course, name="Other")
    with pytest.raises(ValidationError) as error:
        onboarding.onboarding_step_confirm(
            onboarding=checklist, step=other.steps.get(kind=StepKind.SHADOW), actor=supervisor
        )
    assert "step" in error.value.message_dict


# -------------------------------------------------------------------------------------------- templates


def test_template_errors_name_the_step_field_and_nothing_is_saved(team, supervisor, sibling_team, manager):
    foreign = make_article(sibling_team, title="Sibling's article")
    archived = make_article(team, title="Old", status=ArticleStatus.ARCHIVED)
    with pytest.raises(ValidationError) as error:
        onboarding.onboarding_template_create(
            actor=supervisor,
            team=team,
            name=" ",
            position="night_shift",
            steps=[
                {"kind": StepKind.READ_ARTICLE},
                {"kind": StepKind.READ_ARTICLE, "article": foreign},
                {"kind": StepKind.READ_ARTICLE, "article": archived},
                {"kind": StepKind.PASS_COURSE, "course": None},
                {"kind": StepKind.SHADOW, "title": ""},
                {"kind": "dance"},
            ],
        )
    assert set(error.value.message_dict) == {
        "name",
        "position",
        "steps[0].article",
        "steps[1].article",
        "steps[2].article",
        "steps[3].course",
        "steps[4].title",
        "steps[5].kind",
    }
    with pytest.raises(ValidationError) as empty:
        onboarding.onboarding_template_create(actor=supervisor, team=team, name="Empty", steps=[])
    assert "steps" in empty.value.message_dict
    from training.models import OnboardingStep, OnboardingTemplate

    assert not OnboardingTemplate.objects.exists() and not OnboardingStep.objects.exists()


def test_only_authors_build_templates(team, agent, qa_inspector, outsider, article, course):
    for person in (agent, outsider):
        with pytest.raises(PermissionDenied):
            make_template(team, person, article=article, course=course)
    assert make_template(team, qa_inspector, article=article, course=course).steps.count() == 3


def test_changing_steps_keeps_ticks_by_id_and_may_complete_open_checklists(checklist, supervisor, article, course):
    template = checklist.template
    reading, course_step, shadow = template.steps.all()
    onboarding.onboarding_step_confirm(onboarding=checklist, step=shadow, actor=supervisor)
    ArticleRead.objects.create(article=article, user=checklist.user)
    # Reorder, keep the shadow step (and its tick), drop the course step: the checklist is now complete.
    onboarding.onboarding_template_update(
        template=template,
        actor=supervisor,
        steps=[
            {"id": shadow.pk, "kind": StepKind.SHADOW, "title": "Shadow a senior"},
            {"id": reading.pk, "kind": StepKind.READ_ARTICLE, "article": article},
        ],
    )
    assert list(template.steps.values_list("pk", "position", "title")) == [
        (shadow.pk, 0, "Shadow a senior"),
        (reading.pk, 1, "Refund policy"),
    ]
    checklist.refresh_from_db()
    assert checklist.completed_at is not None
    assert Notification.objects.filter(kind="training-onboarding-complete").exists()
    # A later step does not reopen it.
    onboarding.onboarding_template_update(
        template=template,
        actor=supervisor,
        steps=[
            {"id": shadow.pk, "kind": StepKind.SHADOW, "title": "Shadow a senior"},
            {"kind": StepKind.OTHER, "title": "Meet the manager"},
        ],
    )
    checklist.refresh_from_db()
    assert checklist.completed_at is not None
    assert course_step.pk not in set(template.steps.values_list("pk", flat=True))


def test_a_step_id_of_another_template_is_refused(team, supervisor, template, article, course):
    other = make_template(team, supervisor, article=article, course=course, name="Other")
    with pytest.raises(ValidationError) as error:
        onboarding.onboarding_template_update(
            template=template,
            actor=supervisor,
            steps=[{"id": other.steps.first().pk, "kind": StepKind.OTHER, "title": "Hijack"}],
        )
    assert "steps[0].id" in error.value.message_dict
    assert other.steps.first().kind == StepKind.READ_ARTICLE


def test_a_started_template_is_deactivated_not_deleted(checklist, supervisor, team, article, course):
    with pytest.raises(ValidationError):
        onboarding.onboarding_template_delete(template=checklist.template, actor=supervisor)
    unused = make_template(team, supervisor, article=article, course=course, name="Unused", position="complaints")
    onboarding.onboarding_template_delete(template=unused, actor=supervisor)
    assert Onboarding.objects.filter(pk=checklist.pk).exists()


# ---------------------------------------------------------------------------------------------- queries


@pytest.mark.parametrize("members", [2, 12])
def test_step_states_take_a_fixed_number_of_queries(
    team, template, article, course, supervisor, members, django_assert_max_num_queries
):
    for number in range(members):
        person = member(team, Role.AGENT, username=f"new{number}")
        ArticleRead.objects.create(article=article, user=person)
        if number % 2:
            complete_course(course, person, team)
    checklists = list(Onboarding.objects.all())
    assert len(checklists) == members
    with django_assert_max_num_queries(4):
        states = onboarding.onboarding_states(checklists)
    assert sum(state.done_count for state in states.values()) == members + members // 2


def test_opening_the_article_page_ticks_the_reading_step(client, checklist, article):
    client.force_login(checklist.user)
    assert client.get(article.get_absolute_url()).status_code == 200  # the knowledge base records the read
    assert done_flags(checklist)[0] is True


def test_a_completion_without_a_signal_is_recorded_when_the_checklist_is_seen(
    client, checklist, article, course, team, supervisor
):
    shadow = checklist.template.steps.get(kind=StepKind.SHADOW)
    onboarding.onboarding_step_confirm(onboarding=checklist, step=shadow, actor=supervisor)
    complete_course(course, checklist.user, team)
    ArticleRead.objects.bulk_create([ArticleRead(article=article, user=checklist.user)])  # sends no post_save
    checklist.refresh_from_db()
    assert checklist.completed_at is None
    client.force_login(checklist.user)
    assert "checklist-complete" in client.get(f"/training/onboarding/{checklist.pk}/").content.decode()
    client.get("/training/onboarding/")
    checklist.refresh_from_db()
    assert checklist.completed_at is not None
    assert Notification.objects.filter(kind="training-onboarding-complete", recipient=supervisor).count() == 1
