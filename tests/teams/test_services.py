import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from teams import services
from teams.models import Membership, Shift


def test_member_create_writes_nothing_when_the_membership_is_invalid(team):
    with pytest.raises(ValidationError) as error:
        services.member_create(username="ghost", team=team, role="boss")
    assert "role" in error.value.message_dict
    assert not Membership.objects.exists()
    from django.contrib.auth import get_user_model

    assert not get_user_model().objects.filter(username="ghost").exists()


def test_member_create_rejects_a_username_differing_only_in_case(team, agent):
    with pytest.raises(ValidationError) as error:
        services.member_create(username="ALICE", team=team)
    assert "username" in error.value.message_dict


def test_team_update_rejects_cycles(department, team):
    with pytest.raises(ValidationError) as error:
        services.team_update(team=department, data={"parent": team})
    assert "parent" in error.value.message_dict
    with pytest.raises(ValidationError):
        services.team_update(team=team, data={"parent": team})


def test_shift_update_moves_a_shift_without_clashing_with_itself(team, agent):
    shift = services.shift_create(
        team=team, user=agent, date=dt.date(2026, 12, 1), start_time=dt.time(9), end_time=dt.time(18)
    )
    services.shift_update(shift=shift, data={"start_time": dt.time(10)})
    assert Shift.objects.get().start_time == dt.time(10)


def test_membership_update_changes_display_name_and_role(team, agent):
    membership = Membership.objects.get(user=agent)
    services.membership_update(membership=membership, data={"display_name": "Alice W.", "role": "qa"})
    agent.refresh_from_db()
    membership.refresh_from_db()
    assert (agent.display_name, membership.role) == ("Alice W.", "qa")


def test_responsibility_requires_owner_and_backup_in_the_team(team, agent, sibling_agent):
    with pytest.raises(ValidationError) as error:
        services.responsibility_create(team=team, category="Refunds", owner=agent, backup=sibling_agent)
    assert "backup" in error.value.message_dict
