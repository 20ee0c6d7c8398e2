"""Complaint pages: the list with the SLA clock, recording one, moving it on, follow-up, and the team's SLA."""

import datetime as dt

import pytest
from django.utils import timezone

from qa_reviews import complaints
from qa_reviews.models import Complaint, ComplaintPolicy, ComplaintStatusChange
from tests.conversations.factories import ConversationFactory
from tests.factories import member


def record(team, actor, **fields):
    values = {"summary": "Lid cracked", "category": "product", "customer": "buyer-5", **fields}
    return complaints.complaint_create(team=team, actor=actor, **values)


def test_the_list_shows_the_sla_clock(client, team, agent, supervisor):
    breached = record(team, agent, summary="Flagged late", received_at=timezone.now() - dt.timedelta(hours=2))
    complaints.complaints_flag_sla_breaches()
    overdue = record(team, agent, summary="Late, not yet flagged", received_at=timezone.now() - dt.timedelta(hours=1))
    running = record(team, agent, summary="Just in")
    client.force_login(supervisor)
    page = client.get("/complaints/").content.decode()
    assert 'data-sla="breached"' in page and "SLA breached" in page
    assert 'data-sla="overdue"' in page and "overdue" in page
    assert 'data-sla="running"' in page and " left" in page
    assert all(c.summary in page for c in (breached, overdue, running))
    filtered = client.get("/complaints/", {"breached": "true"}).content.decode()
    assert "Flagged late" in filtered and "Just in" not in filtered


@pytest.mark.parametrize("size", [2, 30])
def test_the_list_page_query_count_does_not_grow(client, team, supervisor, django_assert_max_num_queries, size):
    agents = [member(team, username=f"agent{i}") for i in range(3)]
    for i in range(size):
        record(team, supervisor, owner=agents[i % 3], conversation=ConversationFactory(team=team))
    client.force_login(supervisor)
    with django_assert_max_num_queries(17):
        response = client.get("/complaints/")
    assert response.status_code == 200 and response.content.decode().count("<tr ") == size


def test_an_agent_records_a_complaint_on_the_page(client, team, agent):
    client.force_login(agent)
    response = client.post(
        "/complaints/",
        {"team": team.pk, "summary": "Never delivered", "category": "logistics", "priority": "high", "customer": "b-1"},
    )
    complaint = Complaint.objects.get()
    assert response["Location"] == f"/complaints/{complaint.pk}/"
    assert (complaint.owner, complaint.sla_minutes, complaint.priority) == (agent, 30, "high")


def test_form_errors_are_shown_and_nothing_is_recorded(client, team, sibling_team, agent, sibling_agent):
    client.force_login(agent)
    missing = client.post("/complaints/", {"team": team.pk, "category": "logistics", "customer": "b-1"})
    assert missing.status_code == 200 and "This field is required" in missing.content.decode()
    foreign = ConversationFactory(team=sibling_team, agent=sibling_agent)
    other = client.post(
        "/complaints/",
        {"team": team.pk, "summary": "x", "category": "logistics", "customer": "b", "conversation": foreign.pk},
    )
    assert f"No conversation {foreign.pk} in your teams." in other.content.decode()
    not_my_team = client.post(
        "/complaints/", {"team": sibling_team.pk, "summary": "x", "category": "other", "customer": "b"}
    )
    assert not_my_team.status_code == 200 and not Complaint.objects.exists()


@pytest.mark.parametrize(
    ("actor", "expected"),
    [
        ("agent", 200),
        ("second_agent", 404),
        ("supervisor", 200),
        ("qa_inspector", 200),
        ("manager", 200),
        ("outsider", 404),
    ],
)
def test_who_opens_a_complaint(client, request, team, agent, actor, expected):
    complaint = record(team, agent, conversation=ConversationFactory(team=team, agent=agent))
    client.force_login(request.getfixturevalue(actor))
    response = client.get(f"/complaints/{complaint.pk}/")
    assert response.status_code == expected
    if expected == 200:
        page = response.content.decode()
        assert 'id="complaint-history"' in page and "Start responding" in page
        assert f'href="/conversations/{complaint.conversation_id}/"' in page


def test_moving_a_complaint_on_the_page(client, team, agent, supervisor):
    complaint = record(team, agent)
    client.force_login(agent)
    client.post(f"/complaints/{complaint.pk}/transition/", {"status": "responding", "note": "Phoned"})
    client.post(f"/complaints/{complaint.pk}/transition/", {"status": "resolved"})
    response = client.post(f"/complaints/{complaint.pk}/transition/", {"status": "responding"}, follow=True)
    assert "Say why the complaint is reopened." in response.content.decode()  # a reason is needed to reopen
    complaint.refresh_from_db()
    assert complaint.status == "resolved" and complaint.history.count() == 3
    page = response.content.decode()
    assert 'id="complaint-follow-up"' in page and "Reopen" in page and "Phoned" in page
    client.post(f"/complaints/{complaint.pk}/follow-up/", {"satisfaction": "2"})
    bad = client.post(f"/complaints/{complaint.pk}/follow-up/", {"satisfaction": "9"}, follow=True)
    assert "Satisfaction is a whole number from 1 to 5." in bad.content.decode()
    assert Complaint.objects.get(pk=complaint.pk).follow_up_satisfaction == 2


def test_a_colleague_who_recorded_it_sees_it_but_cannot_move_it(client, team, agent, second_agent):
    complaint = record(team, second_agent, owner=agent)
    client.force_login(second_agent)
    page = client.get(f"/complaints/{complaint.pk}/").content.decode()
    assert 'id="complaint-transition"' not in page
    assert client.post(f"/complaints/{complaint.pk}/transition/", {"status": "responding"}).status_code == 403
    assert ComplaintStatusChange.objects.count() == 1


def test_outsiders_cannot_post_actions(client, team, agent, outsider):
    complaint = record(team, agent)
    client.force_login(outsider)
    assert client.post(f"/complaints/{complaint.pk}/transition/", {"status": "responding"}).status_code == 404
    assert client.post(f"/complaints/{complaint.pk}/follow-up/", {"satisfaction": "5"}).status_code == 404
    complaint.refresh_from_db()
    assert complaint.status == "new"


def test_setting_the_team_sla_on_the_page(client, team, agent, supervisor):
    client.force_login(agent)
    assert client.post("/complaints/sla/", {"team": team.pk, "first_response_minutes": "5"}).status_code == 404
    client.force_login(supervisor)
    assert 'id="complaint-sla"' in client.get("/complaints/").content.decode()
    invalid = client.post("/complaints/sla/", {"team": team.pk, "first_response_minutes": "0"}, follow=True)
    assert "The first response SLA is 1 to" in invalid.content.decode()
    assert not ComplaintPolicy.objects.exists()
    client.post("/complaints/sla/", {"team": team.pk, "first_response_minutes": "12"})
    assert ComplaintPolicy.objects.get(team=team).first_response_minutes == 12
    assert record(team, agent).sla_minutes == 12


def test_supervisors_open_a_case_from_the_complaint_page(client, team, agent, supervisor):
    complaint = record(team, agent)
    client.force_login(agent)
    assert 'id="complaint-cases"' not in client.get(f"/complaints/{complaint.pk}/").content.decode()
    client.force_login(supervisor)
    page = client.get(f"/complaints/{complaint.pk}/").content.decode()
    assert f'action="/complaints/{complaint.pk}/case/"' in page
    client.post(f"/complaints/{complaint.pk}/case/")
    case = complaint.cases.get()
    assert f'href="/qa/cases/{case.pk}/"' in client.get(f"/complaints/{complaint.pk}/").content.decode()
