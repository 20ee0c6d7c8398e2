"""Demo recognition: last week's best-agent award per team (computed, as Monday's job would), a special
award, kudos between colleagues this week and a good case on the wall."""

import datetime as dt

from django.contrib.auth import get_user_model

from conversations.models import Conversation
from recognition import good_cases, kudos
from recognition.awards import award_special_grant, award_weekly_grant
from recognition.awards.periods import week_label
from recognition.models import Award, GoodCase, Kudos, KudosValue
from teams.models import Membership, Role, Team

KUDOS = [
    (KudosValue.PATIENCE, "谢谢你帮我接手那位情绪激动的顾客，处理得很耐心！"),
    (KudosValue.EXPERTISE, "面料问题讲得太清楚了，学到了。"),
    (KudosValue.TEAMWORK, "高峰期帮我分担了好几个会话，感谢！"),
]


def demo_recognition_seed(*, department: Team, today: dt.date) -> None:
    """Seed once: the awards are unique per week anyway; kudos and good cases only when there are none."""
    teams = list(Team.objects.filter(parent=department).order_by("pk"))
    last_week = week_label(today - dt.timedelta(days=7))
    for team in teams:
        if Conversation.objects.filter(team=team).exists():
            award_weekly_grant(team=team, week=last_week)
    if Kudos.objects.filter(team__in=teams).exists():
        return
    supervisor_of = {
        membership.team_id: membership.user
        for membership in Membership.objects.filter(team__in=teams, role=Role.SUPERVISOR).select_related("user")
    }
    for team in teams:
        agents = list(
            get_user_model()
            .objects.filter(memberships__team=team, memberships__role=Role.AGENT, memberships__active=True)
            .order_by("username")
        )
        for index, (value, message) in enumerate(KUDOS):
            giver, receiver = agents[index], agents[(index + 2) % len(agents)]
            kudos.kudos_give(giver=giver, receiver=receiver, value=value, message=message, team=team)
        supervisor = supervisor_of[team.pk]
        great = Conversation.objects.filter(team=team, rating=5, resolved=True).order_by("-started_at").first()
        if great is not None and not GoodCase.objects.filter(conversation=great).exists():
            good_cases.good_case_mark(
                actor=supervisor, conversation=great, note="回复快、推荐准，顾客当场下单并给了五星。"
            )
        if not Award.objects.filter(team=team, kind="special").exists():
            award_special_grant(
                team=team,
                winner=agents[-1],
                citation="连续两周零差评，主动帮新人复盘会话。",
                actor=supervisor,
            )
