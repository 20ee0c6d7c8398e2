"""A filter or page size the API cannot read is a 400 naming it, never a silently unfiltered or clipped list."""

import pytest

from tests.conversations.factories import ConversationFactory


@pytest.fixture
def client(api, supervisor, team, agent):
    ConversationFactory(team=team, agent=agent)
    return api.as_user(supervisor)


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ({"team": "0.5"}, "team", "A whole number."),
        ({"resolved": "banana"}, "resolved", "true or false."),
        ({"date_from": ""}, "date_from", "Give a value, or leave the filter out."),
        ({"team": ["1", "2"]}, "team", "Give this filter once."),
        ({"page_size": "1000"}, "page_size", "A whole number from 1 to 500."),
        ({"page_size": "0"}, "page_size", "A whole number from 1 to 500."),
    ],
)
def test_an_unreadable_value_is_a_400_naming_the_parameter(client, query, field, message):
    response = client.get("/api/v1/conversations/", query)
    assert response.status_code == 400
    assert response.json() == {field: [message]}


def test_every_unreadable_filter_is_named_at_once(client):
    response = client.get("/api/v1/conversations/", {"team": "x", "resolved": "2"})
    assert response.status_code == 400
    assert set(response.json()) == {"team", "resolved"}


def test_readable_values_still_filter(client, team):
    response = client.get("/api/v1/conversations/", {"team": str(team.pk), "resolved": "false", "page_size": "500"})
    assert response.status_code == 200 and response.json()["count"] == 1
