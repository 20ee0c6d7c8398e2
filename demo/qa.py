"""Demo QA: a scorecard and sampling rules per team, last week's sample half worked through, agents who
acknowledged or disputed, a closed calibration session, a case with its action and lesson, and complaints
(one of them past its first-response SLA)."""

import datetime as dt
import random

from django.contrib.auth import get_user_model
from django.utils import timezone

from conversations.models import Conversation, Sender
from qa_reviews import calibration, cases, complaints, sampling, services
from qa_reviews.models import (
    AssignmentStatus,
    CalibrationSession,
    Complaint,
    ComplaintCategory,
    ComplaintPriority,
    ComplaintStatus,
    ReviewAssignment,
    SamplingKind,
    SamplingRule,
    Scorecard,
)
from teams.models import Membership, Role, Team

SCORECARD_NAME = "Chat quality"
CRITERIA = [
    {"section": "Opening", "title": "Greets and confirms the question", "weight": 1, "max_points": 2},
    {"section": "Solution", "title": "Correct and complete answer", "weight": 3, "max_points": 4},
    {"section": "Solution", "title": "Offers an alternative or upsell", "weight": 1, "max_points": 2,
     "allow_not_applicable": True},
    {"section": "Manner", "title": "Polite, patient tone", "weight": 2, "max_points": 4},
    {"section": "Manner", "title": "No promises outside policy", "weight": 1, "max_points": 1, "auto_fail": True},
]  # fmt: skip
RULES = [
    ("Low ratings", SamplingKind.LOW_RATING, 1),
    ("Negative sentiment", SamplingKind.NEGATIVE_SENTIMENT, 1),
    ("Random check", SamplingKind.RANDOM, 1),
]
REVIEWED_SHARE = 0.6  # of last week's sample; the rest waits in the inspector's queue


def demo_qa_seed(*, department: Team) -> dict[str, int]:
    """Seed once: a second run only tops up the weekly sample (which is idempotent itself)."""
    inspector = get_user_model().objects.get(username="qa")
    supervisors = dict(
        Membership.objects.filter(team__parent=department, role=Role.SUPERVISOR).values_list("team_id", "user")
    )
    teams = list(Team.objects.filter(parent=department).order_by("pk"))
    first_run = not Scorecard.objects.filter(team__in=teams).exists()
    sampled = 0
    for team in teams:
        supervisor = get_user_model().objects.get(pk=supervisors[team.pk])
        scorecard = Scorecard.objects.filter(team=team, is_current=True).first() or services.scorecard_create(
            team=team, actor=supervisor, name=SCORECARD_NAME, criteria=CRITERIA
        )
        for name, kind, per_agent in RULES:
            if not SamplingRule.objects.filter(team=team, name=name).exists():
                sampling.sampling_rule_create(
                    team=team,
                    actor=supervisor,
                    name=name,
                    kind=kind,
                    per_agent_per_week=per_agent,
                    scorecard=scorecard,
                    reviewers=[inspector],
                )
        sampled += sampling.sampling_run(team=team)
        if first_run:
            _work_the_queue(team=team, inspector=inspector, supervisor=supervisor, scorecard=scorecard)
    if first_run:
        people = get_user_model().objects.in_bulk(supervisors.values())
        _calibrate(team=teams[0], inspector=inspector, supervisor=people[supervisors[teams[0].pk]])
        _complaints(team=teams[-1], supervisor=people[supervisors[teams[-1].pk]])
    complaints.complaints_flag_sla_breaches()
    return {
        "assignments": ReviewAssignment.objects.filter(team__in=teams).count(),
        "reviewed": ReviewAssignment.objects.filter(team__in=teams, status=AssignmentStatus.DONE).count(),
        "sampled now": sampled,
    }


def _points_for(chat: Conversation, scorecard: Scorecard, rng: random.Random) -> dict[int, int | None]:
    """Points that follow the customer's rating, with a little of the inspector's own judgement."""
    quality = ((chat.rating or 4) - 1) / 4
    points = {}
    for criterion in scorecard.criteria.all():
        if criterion.auto_fail:
            points[criterion.pk] = 0 if chat.rating == 1 and rng.random() < 0.3 else criterion.max_points
        elif criterion.allow_not_applicable and rng.random() < 0.4:
            points[criterion.pk] = None
        else:
            share = min(1.0, max(0.0, quality + rng.uniform(-0.2, 0.25)))
            points[criterion.pk] = round(share * criterion.max_points)
    return points


def _work_the_queue(*, team: Team, inspector, supervisor, scorecard: Scorecard) -> None:
    assignments = list(
        ReviewAssignment.objects.filter(team=team, reviewer=inspector, status=AssignmentStatus.OPEN)
        .select_related("conversation__agent")
        .order_by("conversation__started_at")
    )
    reviews = []
    for assignment in assignments[: round(len(assignments) * REVIEWED_SHARE)]:
        chat = assignment.conversation
        rng = random.Random(chat.external_id)
        low = (chat.rating or 5) <= 2
        pinned = {}
        if low:
            first_reply = chat.messages.filter(sender=Sender.AGENT).order_by("sent_at").first()
            if first_reply is not None:
                pinned[first_reply.pk] = "先致歉，再确认问题；这里直接给了模板回复。"
        reviews.append(
            services.review_save(
                conversation=chat,
                reviewer=inspector,
                scorecard=scorecard,
                points=_points_for(chat, scorecard, rng),
                comment="回复及时，语气友好。" if not low else "顾客不满意：没有先安抚情绪，也没有给出处理时间。",
                reviewer_notes="与主管在周会上讨论。" if low else "",
                message_comments=pinned,
                submit=True,
            )
        )
    for index, review in enumerate(reviews):
        if index % 3 == 0:
            services.review_acknowledge(review=review, agent=review.agent)
        elif index % 7 == 1:
            services.review_dispute(review=review, agent=review.agent, reason="顾客的问题在我回复前已经由物流解决了。")
    worst = min((r for r in reviews if r.total is not None), key=lambda r: r.total, default=None)
    if worst is not None:
        _case_from(review=worst, inspector=inspector, supervisor=supervisor)


def _case_from(*, review, inspector, supervisor) -> None:
    case = cases.case_open_from_review(review=review, actor=inspector, evidence="聊天截图见会话记录。")
    cases.case_update(
        case=case,
        actor=supervisor,
        root_cause="新人不熟悉退款时效，没有先安抚顾客就给了模板回复。",
        meeting_notes="周会复盘：全组过一遍退款时效和安抚话术。",
        lesson_learned="先共情、再确认问题、最后给出明确的处理时间；不确定的时效先查再答。",
    )
    cases.case_action_create(
        case=case,
        actor=supervisor,
        what="整理退款时效话术并在早会上演练",
        where="早会",
        how="每人演练两个真实案例",
        due_at=timezone.now() + dt.timedelta(days=5),
        assignees=[review.agent],
    )


def _calibrate(*, team: Team, inspector, supervisor) -> None:
    chats = list(
        Conversation.objects.filter(team=team, qa_assignments__isnull=False, rating__isnull=False)
        .exclude(agent__in=[inspector, supervisor])
        .order_by("started_at")[:3]
    )
    if not chats or CalibrationSession.objects.filter(team=team).exists():
        return
    scorecard = Scorecard.objects.get(team=team, is_current=True)
    session = calibration.calibration_create(
        team=team,
        actor=supervisor,
        name="周度校准",
        scorecard=scorecard,
        conversations=chats,
        reviewers=[inspector, supervisor],
    )
    for reviewer, leniency in ((inspector, 0.0), (supervisor, 0.5)):  # the supervisor is the lenient one
        for chat in chats:
            rng = random.Random(f"{chat.external_id}-{reviewer.username}")
            points = _points_for(chat, scorecard, rng)
            for criterion in scorecard.criteria.all():
                if points[criterion.pk] is not None and not criterion.auto_fail:
                    nudge = rng.choice((-1, 0, 0, 1)) + (1 if rng.random() < leniency else 0)
                    points[criterion.pk] = min(criterion.max_points, max(0, points[criterion.pk] + nudge))
            calibration.calibration_score(
                session=session, reviewer=reviewer, conversation=chat, points=points, submit=True
            )
    calibration.calibration_close(session=session, actor=supervisor)


def _complaints(*, team: Team, supervisor) -> None:
    if Complaint.objects.filter(team=team).exists():
        return
    now = timezone.now()
    owners = list(
        get_user_model().objects.filter(memberships__team=team, memberships__role=Role.AGENT).order_by("username")
    )
    complaints.complaint_create(  # left unanswered: the SLA job flags it
        team=team,
        actor=supervisor,
        summary="退款三天还没到账",
        details="顾客说客服承诺 24 小时内到账。",
        category=ComplaintCategory.REFUND,
        priority=ComplaintPriority.HIGH,
        channel="phone",
        customer="buyer-2041",
        owner=owners[0],
        received_at=now - dt.timedelta(hours=2),
    )
    answered = complaints.complaint_create(
        team=team,
        actor=supervisor,
        summary="快递外包装破损",
        category=ComplaintCategory.LOGISTICS,
        channel="web",
        customer="buyer-7730",
        owner=owners[1],
        received_at=now - dt.timedelta(minutes=50),
    )
    complaints.complaint_transition(complaint=answered, actor=owners[1], to_status=ComplaintStatus.RESPONDING)
    solved = complaints.complaint_create(
        team=team,
        actor=supervisor,
        summary="客服态度冷淡",
        category=ComplaintCategory.SERVICE,
        priority=ComplaintPriority.URGENT,
        channel="web",
        customer="buyer-5512",
        owner=supervisor,
        received_at=now - dt.timedelta(days=2),
    )
    for status in (ComplaintStatus.RESPONDING, ComplaintStatus.RESOLVED):
        complaints.complaint_transition(complaint=solved, actor=supervisor, to_status=status, note="已致歉并补偿优惠券")
    complaints.complaint_follow_up(complaint=solved, actor=supervisor, satisfaction=4)
