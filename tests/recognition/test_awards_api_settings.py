"""/api/v1/award-settings/: a team's eligibility rules and webhook, for those who manage it; the secret is
write-only; bad input names the field and writes nothing; every change is audited without the secret."""

import pytest

from recognition.models import AwardAudit, AwardSettings

URL = "/api/v1/award-settings/"
SECRET = "s3cret-s3cret-s3cret"


def detail(team) -> str:
    return f"{URL}{team.pk}/"


@pytest.mark.parametrize(
    ("actor", "expected"),
    [
        ("agent", 403),
        ("second_agent", 403),
        ("qa_inspector", 403),
        ("supervisor", 200),
        ("manager", 200),
        ("sibling_agent", 404),
        ("outsider", 404),
    ],
)
def test_who_reads_and_changes_a_teams_settings(api, request, team, actor, expected):
    client = api.as_user(request.getfixturevalue(actor))
    assert client.get(detail(team)).status_code == expected
    response = client.patch(detail(team), {"min_conversations": 5}, format="json")
    assert response.status_code == expected, response.content
    stored = AwardSettings.objects.filter(team=team).values_list("min_conversations", flat=True).first()
    assert stored == (5 if expected == 200 else None)


def test_anonymous_gets_401(api, team):
    assert api.as_user(None).get(URL).status_code == 401
    assert api.patch(detail(team), {"min_conversations": 0}, format="json").status_code == 401


def test_the_list_holds_the_teams_one_manages_with_defaults(api, team, sibling_team, supervisor, manager, agent):
    rows = api.as_user(supervisor).get(URL).json()["results"]
    assert [(row["team"], row["configured"]) for row in rows] == [(team.pk, False)]
    assert (rows[0]["min_conversations"], rows[0]["min_qa_reviews"], rows[0]["exclude_upheld_auto_fail"]) == (
        20,
        1,
        True,
    )
    assert {row["team"] for row in api.as_user(manager).get(URL).json()["results"]} >= {team.pk, sibling_team.pk}
    assert api.as_user(agent).get(URL).json()["results"] == []


def test_the_secret_is_write_only(api, team, supervisor):
    client = api.as_user(supervisor)
    body = {"webhook_url": "https://bot.example.com/hook", "webhook_secret": SECRET}
    response = client.patch(detail(team), body, format="json")
    assert response.status_code == 200, response.content
    assert "webhook_secret" not in response.json() and response.json()["webhook_secret_set"] is True
    assert SECRET not in client.get(detail(team)).content.decode()
    assert SECRET not in client.get(URL).content.decode()
    # Omitted: kept. Changing the rules alone keeps the secret and the URL.
    client.patch(detail(team), {"min_qa_reviews": 3}, format="json")
    stored = AwardSettings.objects.get(team=team)
    assert (stored.webhook_secret, stored.webhook_url, stored.min_qa_reviews) == (SECRET, body["webhook_url"], 3)


def test_put_sets_everything(api, team, supervisor):
    body = {
        "min_conversations": 0,
        "min_qa_reviews": 0,
        "exclude_upheld_auto_fail": False,
        "webhook_url": "",
    }
    response = api.as_user(supervisor).put(detail(team), body, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["configured"] is True
    stored = AwardSettings.objects.get(team=team)
    assert (stored.min_conversations, stored.min_qa_reviews, stored.exclude_upheld_auto_fail) == (0, 0, False)
    missing = api.as_user(supervisor).put(detail(team), {"min_conversations": 1}, format="json")
    assert missing.status_code == 400 and "webhook_url" in missing.json()


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"min_conversations": -1}, "min_conversations"),
        ({"min_qa_reviews": "many"}, "min_qa_reviews"),
        ({"min_conversations": 10**9}, "min_conversations"),
        ({"webhook_url": "not a url", "webhook_secret": SECRET}, "webhook_url"),
        ({"webhook_url": "ftp://files.example.com/x", "webhook_secret": SECRET}, "webhook_url"),
        ({"webhook_url": "https://bot.example.com/hook"}, "webhook_secret"),  # a URL needs a secret
        ({"webhook_url": "https://bot.example.com/hook", "webhook_secret": "short"}, "webhook_secret"),
        ({"exclude_upheld_auto_fail": "perhaps"}, "exclude_upheld_auto_fail"),
    ],
)
def test_bad_settings_name_the_field_and_write_nothing(api, team, supervisor, body, field):
    response = api.as_user(supervisor).patch(detail(team), body, format="json")
    assert response.status_code == 400 and field in response.json(), response.content
    assert not AwardSettings.objects.filter(team=team).exists()
    assert not AwardAudit.objects.exists()


def test_clearing_the_secret_while_a_url_is_set_is_refused(api, team, supervisor):
    client = api.as_user(supervisor)
    client.patch(detail(team), {"webhook_url": "https://bot.example.com/hook", "webhook_secret": SECRET}, format="json")
    response = client.patch(detail(team), {"webhook_secret": ""}, format="json")
    assert response.status_code == 400 and "webhook_secret" in response.json()
    assert AwardSettings.objects.get(team=team).webhook_secret == SECRET
    turned_off = client.patch(detail(team), {"webhook_url": "", "webhook_secret": ""}, format="json")
    assert turned_off.status_code == 200 and turned_off.json()["webhook_secret_set"] is False


def test_changes_are_audited_without_the_secret(api, team, supervisor):
    client = api.as_user(supervisor)
    client.patch(detail(team), {"min_conversations": 12}, format="json")
    client.patch(detail(team), {"webhook_url": "https://bot.example.com/h", "webhook_secret": SECRET}, format="json")
    client.patch(detail(team), {"min_conversations": 12}, format="json")  # no change: no entry
    entries = list(AwardAudit.objects.filter(team=team, action="settings").order_by("id"))
    assert len(entries) == 2
    assert (entries[0].before["min_conversations"], entries[0].after["min_conversations"]) == (20, 12)
    assert entries[1].after["webhook_secret_changed"] is True and entries[1].actor == supervisor
    assert all(SECRET not in str(entry.before) + str(entry.after) for entry in entries)


def test_the_list_runs_a_fixed_number_of_queries(api, manager, department, django_assert_max_num_queries):
    from tests.factories import TeamFactory

    client = api.as_user(manager)
    for index in range(2):
        AwardSettings.objects.create(team=TeamFactory(parent=department, name=f"A{index}"))
    with django_assert_max_num_queries(6):
        first = len(client.get(URL).json()["results"])
    for index in range(20):
        AwardSettings.objects.create(team=TeamFactory(parent=department, name=f"B{index}"))
    from teams.policy import forget_team_access

    forget_team_access(manager)
    with django_assert_max_num_queries(6):
        assert len(client.get(URL, {"page_size": 100}).json()["results"]) == first + 20
