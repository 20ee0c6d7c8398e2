"""The inspector's queue (/qa/queue/) and the sampling rules pages."""

import datetime as dt

import pytest

from qa_reviews import sampling, services
from qa_reviews.models import AssignmentStatus, ReviewAssignment, SamplingKind, SamplingRule
from teams.models import Role
from tests.factories import member
from tests.qa_reviews.test_reviews import CRITERIA
from tests.qa_reviews.test_sampling import WEEK, chat, local, make_rule


@pytest.fixture
def scorecard(team, qa_inspector):
    return services.scorecard_create(team=team, actor=qa_inspector, name="Chat quality", criteria=CRITERIA)


@pytest.fixture
def sampled(team, qa_inspector, agent, scorecard):
    conversation = chat(team, agent, rating=1)
    rule = make_rule(team, qa_inspector, SamplingKind.LOW_RATING, scorecard=scorecard)
    sampling.week_sample(rule=rule, week_start=WEEK)
    return rule, conversation


def test_inspector_works_the_queue(client, qa_inspector, sampled, scorecard):
    rule, conversation = sampled
    client.force_login(qa_inspector)
    page = client.get("/qa/queue/").content.decode()
    review_link = f"/qa/conversations/{conversation.pk}/review/?scorecard={scorecard.pk}"
    assert review_link in page and "Low rating (2 or less)" in page and 'id="open-count">1<' in page
    assert f"/qa/sampling-rules/{rule.pk}/run/" in page

    points = {f"criterion-{c.pk}": str(c.max_points) for c in scorecard.criteria.all()}
    client.post(review_link, {"scorecard": scorecard.pk, **points, "submit": "1"})
    assignment = ReviewAssignment.objects.get()
    assert assignment.status == AssignmentStatus.DONE and assignment.review is not None
    page = client.get("/qa/queue/").content.decode()
    assert 'id="open-count">0<' in page and f"/qa/reviews/{assignment.review_id}/" in page


def test_the_review_link_uses_the_current_version_of_the_rules_scorecard(client, qa_inspector, sampled, scorecard):
    rule, conversation = sampled
    services.review_save(
        conversation=chat(rule.team, conversation.agent),
        reviewer=qa_inspector,
        scorecard=scorecard,
        points={c.pk: 1 for c in scorecard.criteria.all()},
    )
    newer = services.scorecard_revise(scorecard=scorecard, actor=qa_inspector, criteria=CRITERIA[:2])
    client.force_login(qa_inspector)
    page = client.get("/qa/queue/").content.decode()
    assert f"/qa/conversations/{conversation.pk}/review/?scorecard={newer.pk}" in page


def test_a_supervisor_sees_the_team_queue_but_reviews_only_their_own(client, supervisor, sampled):
    _rule, conversation = sampled
    client.force_login(supervisor)
    assert f"/qa/conversations/{conversation.pk}/review/" not in client.get("/qa/queue/").content.decode()
    team_page = client.get("/qa/queue/?who=team").content.decode()
    assert str(conversation) in team_page and f"/qa/conversations/{conversation.pk}/review/" not in team_page


@pytest.mark.parametrize("actor", ["agent", "second_agent"])
def test_agents_have_no_queue_and_cannot_run_rules(client, request, actor, sampled):
    rule, _conversation = sampled
    client.force_login(request.getfixturevalue(actor))
    assert client.get("/qa/queue/").status_code == 403
    assert client.get("/qa/sampling-rules/").status_code == 403
    assert client.get(f"/qa/sampling-rules/{rule.pk}/").status_code == 404
    before = ReviewAssignment.objects.count()
    assert client.post(f"/qa/sampling-rules/{rule.pk}/run/").status_code == 404
    assert ReviewAssignment.objects.count() == before


def test_an_outsider_sees_nothing_of_the_team(client, outsider, sampled):
    rule, conversation = sampled
    client.force_login(outsider)
    assert str(conversation) not in client.get("/qa/queue/?who=team").content.decode()
    assert rule.name not in client.get("/qa/sampling-rules/").content.decode()
    assert client.get(f"/qa/sampling-rules/{rule.pk}/").status_code == 404
    response = client.post(f"/qa/sampling-rules/{rule.pk}/", {"name": "Hijacked", "kind": "random"})
    assert response.status_code == 404 and SamplingRule.objects.get(pk=rule.pk).name != "Hijacked"
    assert client.post(f"/qa/sampling-rules/{rule.pk}/run/").status_code == 404


def test_queue_page_uses_a_fixed_number_of_queries(client, team, qa_inspector, django_assert_max_num_queries):
    rule = make_rule(team, qa_inspector, per_agent_per_week=1)
    client.force_login(qa_inspector)
    for size in (2, 10):
        for _ in range(size):
            chat(team, member(team, Role.AGENT))
        sampling.week_sample(rule=rule, week_start=WEEK)
        ReviewAssignment.objects.filter(pk=ReviewAssignment.objects.first().pk).update(status=AssignmentStatus.DONE)
        with django_assert_max_num_queries(9):
            response = client.get("/qa/queue/?who=team")
        assert response.status_code == 200


def test_run_sampling_now_from_the_queue(client, team, qa_inspector, agent):
    rule = make_rule(team, qa_inspector)
    chat(team, agent, local(WEEK + dt.timedelta(days=1)))
    client.force_login(qa_inspector)
    response = client.post(f"/qa/sampling-rules/{rule.pk}/run/", {"week_start": WEEK.isoformat()}, follow=True)
    assert "1 conversations sampled from the week of 2026-11-02" in response.content.decode()
    assert ReviewAssignment.objects.filter(rule=rule).count() == 1
    response = client.post(f"/qa/sampling-rules/{rule.pk}/run/", {"week_start": "2026-11-03"}, follow=True)
    assert "A week starts on a Monday." in response.content.decode()
    assert ReviewAssignment.objects.count() == 1


def test_create_and_edit_a_rule_in_the_browser(client, team, supervisor, qa_inspector, agent):
    client.force_login(supervisor)
    assert client.get("/qa/sampling-rules/").status_code == 200
    response = client.post(
        "/qa/sampling-rules/",
        {
            "team": team.pk,
            "name": "Slow replies",
            "kind": "slow_first_response",
            "per_agent_per_week": 2,
            "slow_first_response_seconds": 120,
            "reviewers": [qa_inspector.pk],
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    rule = SamplingRule.objects.get()
    assert (rule.kind, rule.slow_first_response_seconds, list(rule.reviewers.all())) == (
        SamplingKind.SLOW_FIRST_RESPONSE,
        120,
        [qa_inspector],
    )
    page = client.get("/qa/sampling-rules/").content.decode()
    assert "Slow replies" in page

    edit = f"/qa/sampling-rules/{rule.pk}/"
    assert client.get(edit).status_code == 200
    response = client.post(
        edit,
        {
            "name": "Slow replies",
            "kind": "slow_first_response",
            "per_agent_per_week": 4,
            "slow_first_response_seconds": 120,
        },
    )
    assert response.status_code == 302
    rule.refresh_from_db()
    assert (rule.per_agent_per_week, rule.is_active, rule.reviewers.count(), rule.team) == (4, False, 0, team)


def test_form_errors_are_shown_and_nothing_is_written(client, team, supervisor, agent):
    client.force_login(supervisor)
    response = client.post(
        "/qa/sampling-rules/",
        {"team": team.pk, "name": "Bad", "kind": "random", "per_agent_per_week": 0, "slow_first_response_seconds": 300},
    )
    assert response.status_code == 200 and "invalid-feedback" in response.content.decode()
    assert not SamplingRule.objects.exists()
