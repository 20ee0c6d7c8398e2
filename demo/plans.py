"""Demo plans for the seeded days: most agents submitted their summary, some were reviewed."""

import datetime as dt
import random
import zoneinfo

from django.contrib.auth import get_user_model

from plans.models import DailyPlan, PlanStatus
from plans.services import daily_plans_create, plan_item_add, plan_review, plan_submit
from teams.models import Membership, Role, Team

PROBLEMS = ["退款系统很慢", "有一位顾客要求赔偿，需要主管确认", "", "", "尺码表和实物不一致"]
IMPROVEMENTS = ["回复再快一点", "多推荐搭配商品", "", "熟悉新的退货政策"]


def demo_plans_seed(*, department: Team, today: dt.date, days: int) -> int:
    zone = zoneinfo.ZoneInfo(department.timezone)
    supervisor_of = dict(
        Membership.objects.filter(team__parent=department, role=Role.SUPERVISOR).values_list("team_id", "user")
    )
    for offset in range(days, 0, -1):  # past days only: today's plans are still being worked on
        day = today - dt.timedelta(days=offset)
        daily_plans_create(now=dt.datetime.combine(day, dt.time(23, 0), tzinfo=zone))
    plans = DailyPlan.objects.filter(team__parent=department, date__lt=today, status=PlanStatus.DRAFT).select_related(
        "agent"
    )
    users = {user.pk: user for user in get_user_model().objects.filter(pk__in=supervisor_of.values())}
    reviewers = {team_id: users[user_id] for team_id, user_id in supervisor_of.items()}
    submitted = 0
    for plan in plans:
        rng = random.Random(f"{plan.agent_id}-{plan.date}")
        if not plan.items.exists():
            plan_item_add(plan=plan, actor=plan.agent, text="回复前一天未结束的会话")
        if rng.random() < 0.15:
            continue  # forgot to submit: shows on the board
        plan.problems = rng.choice(PROBLEMS)
        plan.improvements = rng.choice(IMPROVEMENTS)
        plan.save(update_fields=["problems", "improvements"])
        plan_submit(plan=plan, actor=plan.agent)
        submitted += 1
        if plan.team_id in reviewers and rng.random() < 0.6:
            plan_review(plan=plan, reviewer=reviewers[plan.team_id], comment="辛苦了")
    return submitted
