"""API tokens are remembered by the process for a few seconds; revoking one, or deactivating its user, is not."""

import pytest
from rest_framework.authtoken.models import Token

from core.api import authentication
from teams import policy

ME = "/api/v1/me/today/"


@pytest.fixture
def alice(api, agent):
    return api.as_user(agent)


def test_a_remembered_token_runs_no_query(alice, django_assert_num_queries):
    assert alice.get(ME).status_code == 200
    with django_assert_num_queries(0):  # token remembered, answer and unread count cached
        assert alice.get(ME).status_code == 200


def test_a_deleted_token_is_refused_at_once(alice, agent):
    assert alice.get(ME).status_code == 200
    Token.objects.filter(user=agent).get().delete()
    assert alice.get(ME).status_code == 401


def test_a_deactivated_user_is_refused_at_once(alice, agent):
    assert alice.get(ME).status_code == 200
    agent.is_active = False
    agent.save(update_fields=["is_active"])
    assert alice.get(ME).status_code == 401


def test_the_memory_expires(alice, agent, monkeypatch, django_assert_num_queries):
    now = [1000.0]
    monkeypatch.setattr(authentication.time, "monotonic", lambda: now[0])
    alice.get(ME)
    Token.objects.filter(user=agent).update(key="0" * 40)  # a change no signal reports (another process's)
    assert alice.get(ME).status_code == 200  # still remembered
    now[0] += authentication.TOKEN_CACHE_SECONDS
    assert alice.get(ME).status_code == 401


def test_each_request_gets_its_own_copy_of_the_user(alice, agent, monkeypatch):
    """policy.team_access caches scopes on the user object: they must not carry over to the next request."""
    seen = []
    original = policy.team_access

    def spy(user):
        seen.append(user)
        return original(user)

    monkeypatch.setattr("teams.policy.team_access", spy)
    alice.get("/api/v1/teams/")
    alice.get("/api/v1/teams/")
    assert len({id(user) for user in seen}) >= 2
    assert all(user.pk == agent.pk for user in seen)


def test_turned_off_it_asks_the_database_every_time(alice, monkeypatch, django_assert_num_queries):
    monkeypatch.setattr(authentication, "TOKEN_CACHE_SECONDS", 0)
    alice.get(ME)
    with django_assert_num_queries(1):  # the token; the answer and the unread count come from the cache
        assert alice.get(ME).status_code == 200
