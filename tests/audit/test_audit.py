"""The audit log: logins, refusals, role changes, QA scores and dispute outcomes, awards, imports and exports
each write an entry (actor, time, object, action, result); entries never change; supervisors and managers read
their teams' entries and nobody else's."""

import datetime as dt

import pytest
from django.db import connection

from audit.models import AuditAction, AuditEntry, AuditResult
from qa_reviews import services as qa
from recognition.models import Award, AwardKind
from teams.models import Membership
from tests.conversations.factories import ConversationFactory, MessageFactory
from tests.conversations.test_import_files import GOOD_CSV
from tests.factories import PASSWORD
from tests.qa_reviews.test_reviews import CRITERIA, points

LOG = "/api/v1/audit/"


def entries(action: str) -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(action=action).order_by("id"))


def test_logins_failures_lockouts_and_logouts(client, agent, team):
    client.post("/accounts/login/", {"username": agent.username, "password": "wrong"})
    client.post("/accounts/login/", {"username": agent.username, "password": PASSWORD}, REMOTE_ADDR="198.51.100.4")
    client.post("/accounts/logout/")
    failed, login, logout = entries("login_failed"), entries("login"), entries("logout")
    assert [(e.actor_name, e.result, e.team_id) for e in failed] == [("alice", AuditResult.FAILED, team.pk)]
    assert [(e.actor_id, e.ip, e.team_id) for e in login] == [(agent.pk, "198.51.100.4", team.pk)]
    assert [e.actor_id for e in logout] == [agent.pk]
    for _ in range(5):
        client.post("/accounts/login/", {"username": agent.username, "password": "wrong"})
    assert [e.result for e in entries("login_locked")] == [AuditResult.DENIED]


def test_a_refusal_is_recorded(api, agent, team):
    response = api.as_user(agent).post("/api/v1/shops/", {"team": team.pk, "code": "x", "name": "X"}, format="json")
    assert response.status_code == 403
    [entry] = entries("access_denied")
    assert (entry.actor_id, entry.result, entry.detail["path"]) == (agent.pk, AuditResult.DENIED, "/api/v1/shops/")


def test_role_changes_name_who_changed_what(api, supervisor, second_agent, team):
    membership = Membership.objects.get(user=second_agent, team=team)
    response = api.as_user(supervisor).patch(f"/api/v1/members/{membership.pk}/", {"active": False}, format="json")
    assert response.status_code == 200, response.content
    [entry] = [e for e in entries("role_changed") if e.object_id == str(membership.pk)][-1:]
    assert entry.actor_id == supervisor.pk and entry.team_id == team.pk
    assert (entry.detail["before"]["active"], entry.detail["after"]["active"]) == (True, False)


def test_scores_and_dispute_outcomes(team, agent, qa_inspector, supervisor):
    scorecard = qa.scorecard_create(team=team, actor=qa_inspector, name="Chat quality", criteria=CRITERIA)
    conversation = ConversationFactory(team=team, agent=agent)
    MessageFactory(conversation=conversation, text="hi")
    review = qa.review_save(
        conversation=conversation,
        reviewer=qa_inspector,
        scorecard=scorecard,
        points=points(scorecard, [0, 2, None, 1]),
        submit=True,
    )
    qa.review_dispute(review=review, agent=agent, reason="I greeted within 10 seconds")
    qa.dispute_resolve(
        review=review, supervisor=supervisor, resolution="Greeting at 0:08", points=points(scorecard, [1, 2, None, 1])
    )
    [scored] = entries("score_changed")
    [resolved] = entries("dispute_resolved")
    assert (scored.actor_id, scored.team_id, scored.object_id) == (qa_inspector.pk, team.pk, str(review.pk))
    assert resolved.actor_id == supervisor.pk and resolved.detail["total"] != scored.detail["total"]


def test_awards_imports_and_exports(client, team, agent, supervisor):
    award = Award.objects.create(
        team=team,
        kind=AwardKind.SPECIAL,
        period="",
        period_start=dt.date(2026, 11, 23),
        period_end=dt.date(2026, 11, 29),
        winner=agent,
        granted_by=supervisor,
    )
    [granted] = entries("award_granted")
    assert (granted.actor_id, granted.object_id, granted.detail["winner_id"]) == (
        supervisor.pk,
        str(award.pk),
        agent.pk,
    )

    from django.core.files.uploadedfile import SimpleUploadedFile

    from conversations.services import import_job_create, import_job_run

    job = import_job_create(
        team=team,
        created_by=supervisor,
        upload=SimpleUploadedFile("chats.csv", GOOD_CSV.encode()),
        source="shopchat",
        format_name="csv",
    )
    import_job_run(job_id=job.pk)
    [imported] = entries("import_finished")
    assert (imported.actor_id, imported.team_id, imported.object_id) == (supervisor.pk, team.pk, str(job.pk))

    client.force_login(supervisor)
    response = client.get("/dashboard/team/", {"team": team.pk, "format": "csv"})
    assert response.status_code == 200
    [exported] = entries("exported")
    assert exported.actor_id == supervisor.pk and exported.team_id == team.pk and ".csv" in exported.summary


def test_entries_never_change(agent, team):
    client_entry = AuditEntry.objects.create(action=AuditAction.LOGIN, actor_id=agent.pk, team_id=team.pk)
    client_entry.summary = "rewritten"
    with pytest.raises(PermissionError):
        client_entry.save()
    with pytest.raises(PermissionError):
        client_entry.delete()
    with pytest.raises(PermissionError):
        AuditEntry.objects.filter(pk=client_entry.pk).update(summary="rewritten")
    with pytest.raises(PermissionError):
        AuditEntry.objects.all().delete()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger exists on PostgreSQL only")
def test_the_database_refuses_to_change_an_entry(agent, team):
    from django.db import DatabaseError, transaction

    entry = AuditEntry.objects.create(action=AuditAction.LOGIN, actor_id=agent.pk, team_id=team.pk)
    for statement in (
        "UPDATE audit_auditentry SET summary = 'x' WHERE id = %s",
        "DELETE FROM audit_auditentry WHERE id = %s",
    ):
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(statement, [entry.pk])
    assert AuditEntry.objects.get(pk=entry.pk).summary == ""


def test_each_leader_reads_their_teams_entries(api, client, agent, supervisor, manager, outsider, team, sibling_team):
    own = AuditEntry.objects.create(action=AuditAction.LOGIN, actor_id=agent.pk, team_id=team.pk)
    sibling = AuditEntry.objects.create(action=AuditAction.LOGIN, team_id=sibling_team.pk)
    nobody = AuditEntry.objects.create(action=AuditAction.LOGIN_FAILED, actor_name="ghost")

    def ids(user) -> set[int]:
        return {row["id"] for row in api.as_user(user).get(LOG, {"page_size": 500}).json()["results"]}

    assert {own.pk} <= ids(supervisor) and sibling.pk not in ids(supervisor) and nobody.pk not in ids(supervisor)
    assert {own.pk, sibling.pk} <= ids(manager) and nobody.pk not in ids(manager)
    assert ids(agent) == set() and own.pk not in ids(outsider)
    assert api.as_user(outsider).get(f"{LOG}{own.pk}/").status_code == 404
    assert api.as_user(supervisor).post(LOG, {"action": "login"}, format="json").status_code == 405

    client.force_login(agent)
    assert client.get("/audit/").status_code == 403
    client.force_login(supervisor)
    page = client.get("/audit/", {"action": "login"})
    assert page.status_code == 200 and '<tr data-action="login">' in page.content.decode()


def test_a_bad_filter_is_named_and_nothing_is_written(api, supervisor, team):
    before = AuditEntry.objects.count()
    response = api.as_user(supervisor).get(LOG, {"date_from": "not-a-date", "action": "no-such-action"})
    assert response.status_code == 400
    assert set(response.json()) == {"date_from", "action"}
    assert AuditEntry.objects.count() == before  # a 400 is the caller's mistake, not a refusal to record
