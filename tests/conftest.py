"""Role fixtures shared by every test (the healthchecks way: named people).

department "Online Service" (manager mona)
  ├── team "Pre-sales"  — supervisor sue, QA quinn, agents alice and bob
  └── team "After-sales" (sibling; nobody above is in it) — agent sam
department "Other Company" — team "Their Team": supervisor oscar (the outsider)
"""

import pytest
from django.core.cache import cache
from django.utils import translation
from rest_framework.test import APIClient

from teams.models import Role
from tests.factories import TeamFactory, member, token_for


@pytest.fixture(autouse=True)
def default_language():
    """A request served in Chinese leaves Chinese active in the thread: start every test in English."""
    with translation.override("en"):
        yield


@pytest.fixture
def department(db):
    return TeamFactory(name="Online Service")


@pytest.fixture
def team(department):
    return TeamFactory(name="Pre-sales", parent=department)


@pytest.fixture
def sibling_team(department):
    return TeamFactory(name="After-sales", parent=department)


@pytest.fixture
def other_team(db):
    return TeamFactory(name="Their Team", parent=TeamFactory(name="Other Company"))


@pytest.fixture
def agent(team):
    return member(team, Role.AGENT, username="alice")


@pytest.fixture
def second_agent(team):
    return member(team, Role.AGENT, username="bob")


@pytest.fixture
def supervisor(team):
    return member(team, Role.SUPERVISOR, username="sue")


@pytest.fixture
def qa_inspector(team):
    return member(team, Role.QA, username="quinn")


@pytest.fixture
def manager(department):
    return member(department, Role.MANAGER, username="mona")


@pytest.fixture
def sibling_agent(sibling_team):
    return member(sibling_team, Role.AGENT, username="sam")


@pytest.fixture
def outsider(other_team):
    return member(other_team, Role.SUPERVISOR, username="oscar")


@pytest.fixture
def api():
    """An API client; `api.as_user(user)` authenticates it with that user's real token."""
    client = APIClient()

    def as_user(user):
        client.credentials(HTTP_AUTHORIZATION=f"Token {token_for(user)}" if user else "")
        return client

    client.as_user = as_user
    return client


@pytest.fixture(autouse=True)
def empty_cache():
    """Cached answers are keyed by ids, which a rolled-back test may hand out again (SQLite): start empty."""
    cache.clear()
    yield
