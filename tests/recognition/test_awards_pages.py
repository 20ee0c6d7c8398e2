"""Award pages: "why this person won" with the stored numbers, the same rows as the API for each person, the list
with its filters and grant forms, and the award settings page (secret masked)."""

import pytest

from recognition.models import Award, AwardAudit, AwardKind, AwardSettings
from tests.recognition import award_data
from tests.recognition.awards_breakdowns import award_with, candidate, simple_award, table_rows
from tests.recognition.test_awards_api import VISIBLE, ranked  # noqa: F401  (the fixture)

LIST = "/recognition/awards/"
SECRET = "page-secret-0123456789"


def detail(award) -> str:
    return f"/recognition/awards/{award.pk}/"


def settings_page(team) -> str:
    return f"/recognition/teams/{team.pk}/award-settings/"


@pytest.mark.parametrize(
    ("actor", "expected"),
    [
        ("agent", 200),
        ("second_agent", 200),
        ("supervisor", 200),
        ("qa_inspector", 200),
        ("manager", 200),
        ("sibling_agent", 404),
        ("outsider", 404),
    ],
)
def test_who_opens_an_award_page(client, request, ranked, actor, expected):  # noqa: F811
    award, _people = ranked
    client.force_login(request.getfixturevalue(actor))
    assert client.get(detail(award)).status_code == expected
    listed = client.get(LIST).content.decode()
    assert (f'data-award="{award.pk}"' in listed) == (expected == 200)


def test_anonymous_is_sent_to_log_in(client, ranked):  # noqa: F811
    award, _people = ranked
    for url in (detail(award), LIST, settings_page(award.team)):
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("actor", list(VISIBLE))
def test_the_page_shows_the_same_rows_as_the_api(client, api, request, ranked, actor):  # noqa: F811
    award, _people = ranked
    user = request.getfixturevalue(actor)
    client.force_login(user)
    page_rows = set(table_rows(client.get(detail(award)).content.decode()))
    api_rows = {
        row["agent_id"]
        for row in api.as_user(user).get(f"/api/v1/awards/{award.pk}/").json()["breakdown"]["candidates"]
    }
    assert page_rows == api_rows and len(page_rows) == len(VISIBLE[actor])


def test_the_page_shows_the_numbers_stored_in_the_breakdown(client, ranked, supervisor):  # noqa: F811
    award, people = ranked
    client.force_login(supervisor)
    html = client.get(detail(award)).content.decode()
    rows = table_rows(html)
    for stored in award.breakdown["candidates"]:
        text = rows[stored["agent_id"]]
        assert text.startswith(f"{stored['rank']} {stored['display_name']}")
        assert f"{stored['total']:.2f}" in text
        assert f" {stored['conversations']} {stored['qa_reviews']} {stored['qa_score_avg']:.2f}" in text
        for line in stored["lines"]:
            assert f"{line['normalised']:.3f} × {line['weight']} → {line['contribution']:.2f}" in text
    assert f"{people['erin'].pk}" in html and 'id="award-winner"' in html
    assert "80.00" in html and "15.00" in html  # score and margin
    assert "weight 1" in html and award.breakdown["formula"] in html
    assert "at least 20 conversations in the period" in html and "at least 1 QA review in the period" in html
    assert "4.9" in rows[people["dave"].pk] and "an upheld auto-fail QA review" in rows[people["dave"].pk]


def test_an_agent_sees_why_the_top_scorer_did_not_win_without_the_private_reason(client, ranked, agent):  # noqa: F811
    award, people = ranked
    client.force_login(agent)
    html = client.get(detail(award)).content.decode()
    rows = table_rows(html)
    assert set(rows) == {people[name].pk for name in ("dave", "erin", "frank", "alice")}
    assert "upheld auto-fail" not in rows[people["dave"].pk]
    assert "the reason is shown to supervisors" in html
    own = rows[agent.pk]
    assert "fewer than 1 QA review" in own and "an upheld auto-fail QA review" in own and "you" in own
    assert "2 more colleagues are in the table" in html
    assert str(people["gina"]) not in html


def test_a_tie_says_how_it_was_broken(client, team, agent, second_agent, supervisor):
    rows = [
        candidate(agent, conversations=40, csat=4.5, norm_conversations=1.0, norm_csat=0.0),
        candidate(second_agent, conversations=30, csat=4.9, norm_conversations=0.0, norm_csat=1.0),
    ]
    award = award_with(team, rows)
    client.force_login(supervisor)
    html = client.get(detail(award)).content.decode()
    assert 'id="award-tie"' in html and "total (higher) → conversations (more)" in html


def test_an_award_nobody_won_says_why(client, team, agent, supervisor):
    award = award_with(
        team,
        [
            candidate(
                agent, conversations=3, csat=4.0, norm_conversations=1, norm_csat=1, ineligible=["min_conversations"]
            )
        ],
    )
    client.force_login(supervisor)
    html = client.get(detail(award)).content.decode()
    assert "Nobody won this award." in html and "No agent met the eligibility rules." in html
    assert "fewer than 20 conversations" in html


def test_a_special_award_shows_the_citation_and_who_granted_it(client, team, agent, supervisor):
    award = Award.objects.create(
        team=team,
        kind=AwardKind.SPECIAL,
        period_start="2026-11-20",
        period_end="2026-11-20",
        winner=agent,
        citation="Calmed a furious buyer & kept the order.",
        granted_by=supervisor,
    )
    AwardAudit.objects.create(award=award, team=team, action="granted", actor=supervisor)
    client.force_login(agent)
    html = client.get(detail(award)).content.decode()
    assert "Calmed a furious buyer &amp; kept the order." in html
    assert f"granted by {supervisor}" in html and 'id="candidates"' not in html
    assert 'id="award-history"' in html


def test_the_list_filters_and_pages_run_a_fixed_number_of_queries(
    client, team, sibling_team, agent, second_agent, sibling_agent, manager, django_assert_max_num_queries
):
    simple_award(team, agent, second_agent, period="2026-W40")
    simple_award(sibling_team, sibling_agent, period="2026-W40")
    client.force_login(manager)
    with django_assert_max_num_queries(14):
        html = client.get(LIST).content.decode()
    assert html.count("data-award=") == 2
    for week in range(1, 40):
        simple_award(team, agent, second_agent, period=f"2025-W{week:02d}")
    with django_assert_max_num_queries(14):
        html = client.get(LIST).content.decode()
    assert html.count("data-award=") == 25 and "Page 1 of 2" in html
    assert client.get(LIST, {"team": sibling_team.pk}).content.decode().count("data-award=") == 1
    assert client.get(LIST, {"kind": "monthly"}).content.decode().count("data-award=") == 0
    client.force_login(agent)
    assert client.get(LIST, {"team": sibling_team.pk}).content.decode().count("data-award=") == 0


def test_only_those_who_manage_a_team_see_the_grant_forms(
    client, team, sibling_team, agent, supervisor, qa_inspector, manager
):
    for user, shown in ((agent, False), (qa_inspector, False), (supervisor, True), (manager, True)):
        client.force_login(user)
        html = client.get(LIST).content.decode()
        assert ('id="special-form"' in html) == shown and ('id="monthly-form"' in html) == shown
        assert (f'id="settings-{team.pk}"' in html) == shown
        assert (f'id="settings-{sibling_team.pk}"' in html) == (user == manager)


def test_a_supervisor_grants_a_special_award_on_the_page(client, team, agent, supervisor):
    client.force_login(supervisor)
    body = {"intent": "special", "special-team": team.pk, "special-winner": agent.pk, "special-citation": "Great care."}
    response = client.post(LIST, body)
    award = Award.objects.get(kind="special")
    assert response.status_code == 302 and response["Location"] == detail(award)
    assert (award.winner, award.citation, award.granted_by) == (agent, "Great care.", supervisor)


@pytest.mark.parametrize(
    ("actor", "change", "field", "message"),
    [
        ("supervisor", {"special-citation": " "}, "citation", "This field is required."),
        ("supervisor", {"special-winner": "sibling_agent"}, "winner", "Select a valid choice."),
        # The manager may pick alice (their department), but not for the sibling team: the engine says so.
        ("manager", {"special-team": "sibling_team"}, "winner", "The winner must be an active member of the team."),
    ],
)
def test_special_award_errors_land_on_the_field(
    client, request, team, sibling_team, agent, sibling_agent, actor, change, field, message
):
    client.force_login(request.getfixturevalue(actor))
    named = {"sibling_agent": sibling_agent.pk, "sibling_team": sibling_team.pk}
    body = {"intent": "special", "special-team": team.pk, "special-winner": agent.pk, "special-citation": "Great care."}
    body.update({key: named.get(value, value) for key, value in change.items()})
    response = client.post(LIST, body)
    assert response.status_code == 200
    errors = response.context["special_form"].errors
    assert any(message in error for error in errors.get(field, [])), errors
    assert message in response.content.decode().replace("&#x27;", "'")
    assert not Award.objects.exists()


def test_a_supervisor_grants_the_best_agent_of_a_month_on_the_page(client, team, agent, second_agent, supervisor):
    import datetime as dt

    award_data.simple_weights(team)
    award_data.worked(team, agent, day=dt.date(2026, 10, 5), conversations=40, csat=4.5)
    award_data.worked(team, second_agent, day=dt.date(2026, 10, 6), conversations=30, csat=4.0)
    client.force_login(supervisor)
    response = client.post(LIST, {"intent": "monthly", "monthly-team": team.pk, "monthly-month": "2026-10"})
    award = Award.objects.get(kind="monthly")
    assert response.status_code == 302 and response["Location"] == detail(award)
    assert (award.period, award.winner) == ("2026-10", agent)
    page = client.get(detail(award)).content.decode()
    assert set(table_rows(page)) == {agent.pk, second_agent.pk}


@pytest.mark.parametrize("month", ["2099-01", "2026-13", ""])
def test_a_bad_month_is_refused_on_the_month_field(client, team, supervisor, month):
    client.force_login(supervisor)
    response = client.post(LIST, {"intent": "monthly", "monthly-team": team.pk, "monthly-month": month})
    assert response.status_code == 200 and "month" in response.context["monthly_form"].errors
    assert not Award.objects.exists()


@pytest.mark.parametrize("actor", ["agent", "qa_inspector"])
def test_people_who_do_not_manage_a_team_cannot_grant(client, request, team, agent, actor):
    client.force_login(request.getfixturevalue(actor))
    body = {"intent": "special", "special-team": team.pk, "special-winner": agent.pk, "special-citation": "Me!"}
    assert client.post(LIST, body).status_code == 403
    assert (
        client.post(LIST, {"intent": "monthly", "monthly-team": team.pk, "monthly-month": "2026-10"}).status_code == 403
    )
    assert not Award.objects.exists()


def test_an_outsider_cannot_grant_in_our_team(client, team, agent, outsider):
    client.force_login(outsider)
    body = {"intent": "special", "special-team": team.pk, "special-winner": agent.pk, "special-citation": "Hijack"}
    response = client.post(LIST, body)
    assert response.status_code == 200 and "team" in response.context["special_form"].errors
    assert not Award.objects.exists()


# --- settings ------------------------------------------------------------------------------------------------


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
def test_who_opens_and_changes_the_settings_page(client, request, team, actor, expected):
    client.force_login(request.getfixturevalue(actor))
    assert client.get(settings_page(team)).status_code == expected
    body = {"min_conversations": 3, "min_qa_reviews": 0, "webhook_url": ""}
    response = client.post(settings_page(team), body)
    assert response.status_code == (302 if expected == 200 else expected)
    assert AwardSettings.objects.filter(team=team, min_conversations=3).exists() == (expected == 200)


def test_the_settings_page_saves_and_masks_the_secret(client, team, supervisor):
    client.force_login(supervisor)
    body = {
        "min_conversations": 10,
        "min_qa_reviews": 2,
        "exclude_upheld_auto_fail": "on",
        "webhook_url": "https://bot.example.com/hook",
        "webhook_secret": SECRET,
    }
    assert client.post(settings_page(team), body).status_code == 302
    html = client.get(settings_page(team)).content.decode()
    assert SECRET not in html and "set; never shown" in html and "https://bot.example.com/hook" in html
    # Saving again without typing the secret keeps it; the checkbox removes it (with the URL, else refused).
    client.post(settings_page(team), {**body, "webhook_secret": "", "min_qa_reviews": 4})
    stored = AwardSettings.objects.get(team=team)
    assert (stored.webhook_secret, stored.min_qa_reviews, stored.exclude_upheld_auto_fail) == (SECRET, 4, True)
    refused = client.post(settings_page(team), {**body, "webhook_secret": "", "clear_secret": "on"})
    assert refused.status_code == 200 and "webhook_secret" in refused.context["form"].errors
    client.post(settings_page(team), {**body, "webhook_url": "", "webhook_secret": "", "clear_secret": "on"})
    assert AwardSettings.objects.get(team=team).webhook_secret == ""


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"min_conversations": -1}, "min_conversations"),
        ({"webhook_url": "not a url"}, "webhook_url"),
        ({"webhook_secret": "short"}, "webhook_secret"),
        ({"webhook_secret": ""}, "webhook_secret"),
    ],
)
def test_settings_errors_land_on_the_field(client, team, supervisor, change, field):
    client.force_login(supervisor)
    body = {
        "min_conversations": 10,
        "min_qa_reviews": 1,
        "webhook_url": "https://bot.example.com/h",
        "webhook_secret": SECRET,
    }
    response = client.post(settings_page(team), {**body, **change})
    assert response.status_code == 200 and field in response.context["form"].errors
    assert not AwardSettings.objects.filter(team=team).exists()


def test_the_settings_page_lists_recent_deliveries(client, team, agent, supervisor):
    from recognition.models import WebhookDelivery

    award = simple_award(team, agent)
    WebhookDelivery.objects.create(
        award=award, url="https://bot.example.com/h", status="failed", attempts=5, last_error="HTTP 503"
    )
    client.force_login(supervisor)
    html = client.get(settings_page(team)).content.decode()
    assert 'id="webhook-deliveries"' in html and "HTTP 503" in html
