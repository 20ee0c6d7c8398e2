"""The permission policy on its own: scopes per role, private records, edge cases."""

from teams import policy
from teams.models import Membership, Role, Shift
from tests.factories import ShiftFactory, TeamFactory, UserFactory, member


def test_scopes_per_role(
    team, sibling_team, department, agent, supervisor, qa_inspector, manager, outsider, other_team
):
    expectations = {
        # user: (readable, supervised, managed)
        agent: ({team.pk, department.pk}, set(), set()),
        supervisor: ({team.pk, department.pk}, {team.pk}, {team.pk}),
        qa_inspector: ({team.pk, department.pk}, {team.pk}, set()),
        manager: (
            {team.pk, sibling_team.pk, department.pk},
            {team.pk, sibling_team.pk, department.pk},
            {team.pk, sibling_team.pk, department.pk},
        ),
        outsider: ({other_team.pk, other_team.parent_id}, {other_team.pk}, {other_team.pk}),
    }
    for user, (readable, supervised, managed) in expectations.items():
        access = policy.team_access(user)
        assert (set(access.readable), set(access.supervised), set(access.managed)) == (readable, supervised, managed), (
            user
        )


def test_manager_scope_reaches_every_level_below(db):
    top = TeamFactory()
    middle = TeamFactory(parent=top)
    bottom = TeamFactory(parent=middle)
    boss = member(top, Role.MANAGER)
    assert set(policy.team_access(boss).managed) == {top.pk, middle.pk, bottom.pk}


def test_inactive_membership_and_inactive_user_see_nothing(team, agent, supervisor):
    Membership.objects.filter(user=agent).update(active=False)
    assert policy.team_access(agent) == policy.NO_ACCESS
    supervisor.is_active = False
    assert policy.team_access(supervisor) == policy.NO_ACCESS


def test_anonymous_sees_nothing(db):
    from django.contrib.auth.models import AnonymousUser

    assert policy.team_access(AnonymousUser()) == policy.NO_ACCESS


def test_superuser_sees_and_manages_everything(team, other_team):
    admin = UserFactory(is_superuser=True)
    access = policy.team_access(admin)
    assert {team.pk, other_team.pk} <= access.managed


def test_access_is_computed_once_per_user_object(team, supervisor, django_assert_num_queries):
    with django_assert_num_queries(2):
        policy.team_access(supervisor)
    with django_assert_num_queries(0):
        policy.team_access(supervisor)
    policy.forget_team_access(supervisor)
    with django_assert_num_queries(2):
        policy.team_access(supervisor)


def test_private_records_are_the_owners_unless_supervised(team, agent, second_agent, supervisor, qa_inspector):
    own = ShiftFactory(team=team, user=agent)
    colleague = ShiftFactory(team=team, user=second_agent)

    def visible(user):
        return set(policy.scope_queryset(user, Shift.objects.all(), owner_field="user").values_list("pk", flat=True))

    assert visible(agent) == {own.pk}
    assert visible(second_agent) == {colleague.pk}
    assert visible(supervisor) == {own.pk, colleague.pk}
    assert visible(qa_inspector) == {own.pk, colleague.pk}


def test_private_records_of_a_former_team_stay_hidden(team, sibling_team, agent):
    # An agent's own record filed under a team they cannot read is still not theirs to see.
    stale = ShiftFactory(team=sibling_team, user=agent)
    assert not policy.scope_queryset(agent, Shift.objects.all(), owner_field="user").filter(pk=stale.pk).exists()


def test_team_id_of_follows_lookups(team, agent):
    shift = ShiftFactory(team=team, user=agent)
    assert policy.team_id_of(shift) == team.pk
    assert policy.team_id_of(team, "id") == team.pk
    assert policy.team_id_of(shift, "team__parent") == team.parent_id
