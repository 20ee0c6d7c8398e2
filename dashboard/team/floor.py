"""The rest of the supervisor's morning: busiest hours, QA scores and disputes, the day's plans and the open
complaints with their SLA clocks. Each panel is one or two queries whatever the team size or history."""

import datetime as dt
import zoneinfo

from django.db.models import Avg, BooleanField, Count, ExpressionWrapper, F, Q, Sum
from django.db.models.functions import ExtractIsoWeekDay

from dashboard.team.agents import PLAN_MISSING, PLAN_OFF
from dashboard.team.numbers import plain
from dashboard.team.periods import HEATMAP_WEEKS, Span, heatmap_span
from kpi.models import HourlyVolume
from plans.models import PlanStatus
from qa_reviews.models import COUNTED_STATUSES, Complaint, ComplaintStatus, Review, ReviewStatus
from teams.models import Team

BUSIEST_CELLS = 5
BUSIEST_HOURS = 3
# Review totals (0-100) by bucket: [low, high), the last one closed at 100.
QA_BUCKETS = ((0, 60), (60, 70), (70, 80), (80, 90), (90, None))
DISPUTES_SHOWN = 5
COMPLAINTS_SHOWN = 10
OPEN_COMPLAINT = (ComplaintStatus.NEW, ComplaintStatus.RESPONDING)
PLAN_STATES = (PlanStatus.REVIEWED, PlanStatus.SUBMITTED, PlanStatus.DRAFT, PLAN_MISSING, PLAN_OFF)


def local_bounds(team: Team, span: Span) -> tuple[dt.datetime, dt.datetime]:
    """The span's first instant and the instant after its last day, in the team's time zone."""
    zone = zoneinfo.ZoneInfo(team.timezone)
    start = dt.datetime.combine(span.start, dt.time.min, tzinfo=zone)
    return start, dt.datetime.combine(span.end + dt.timedelta(days=1), dt.time.min, tzinfo=zone)


def hourly_heatmap(*, team_id: int, day: dt.date) -> dict:
    """Conversations started by weekday (Monday first) and local hour over the four weeks up to `day`."""
    span = heatmap_span(day)
    cells = [[0] * 24 for _weekday in range(7)]
    grouped = (
        HourlyVolume.objects.filter(team_id=team_id, date__gte=span.start, date__lte=span.end)
        .values("hour", weekday=ExtractIsoWeekDay("date"))
        .annotate(conversations=Sum("conversations"))
        .order_by()
    )
    for row in grouped:
        cells[row["weekday"] - 1][row["hour"]] = row["conversations"]
    ranked = sorted(
        ((count, weekday, hour) for weekday, hours in enumerate(cells) for hour, count in enumerate(hours) if count),
        key=lambda cell: (-cell[0], cell[1], cell[2]),
    )
    by_hour = [sum(cells[weekday][hour] for weekday in range(7)) for hour in range(24)]
    hours = sorted((hour for hour in range(24) if by_hour[hour]), key=lambda hour: (-by_hour[hour], hour))
    return {
        "date_from": span.start,
        "date_to": span.end,
        "weeks": HEATMAP_WEEKS,
        "cells": cells,
        "max": ranked[0][0] if ranked else 0,
        "busiest": [
            {"weekday": weekday + 1, "hour": hour, "conversations": count}
            for count, weekday, hour in ranked[:BUSIEST_CELLS]
        ],
        "busiest_hours": [{"hour": hour, "conversations": by_hour[hour]} for hour in hours[:BUSIEST_HOURS]],
    }


def _bucket(low: int, high: int | None) -> Q:
    return Q(total__gte=low) & (Q(total__lt=high) if high is not None else Q())


def qa_summary(*, team: Team, span: Span) -> dict:
    """Totals of the reviews submitted in the span, by bucket, and the disputes waiting for a decision."""
    start, end = local_bounds(team, span)
    counted = Q(status__in=COUNTED_STATUSES, calibration__isnull=True, submitted_at__gte=start, submitted_at__lt=end)
    disputed = Q(status=ReviewStatus.DISPUTED, calibration__isnull=True)
    buckets = {
        f"bucket{i}": Count("id", filter=counted & _bucket(low, high)) for i, (low, high) in enumerate(QA_BUCKETS)
    }
    figures = Review.objects.filter(counted | disputed, team_id=team.pk).aggregate(
        reviews=Count("id", filter=counted & Q(total__isnull=False)),
        average=Avg("total", filter=counted),
        open_disputes=Count("id", filter=disputed),
        **buckets,
    )
    disputes = (
        Review.objects.filter(disputed, team_id=team.pk)
        .order_by("submitted_at", "id")
        .values(
            "id",
            "agent_id",
            "agent__username",
            "agent__display_name",
            "reviewer__username",
            "reviewer__display_name",
            "total",
            "submitted_at",
            "dispute_reason",
        )[:DISPUTES_SHOWN]
    )
    return {
        "date_from": span.start,
        "date_to": span.end,
        "reviews": figures["reviews"],
        "average": plain(figures["average"]),
        "buckets": [
            {"low": low, "high": high, "count": figures[f"bucket{i}"]} for i, (low, high) in enumerate(QA_BUCKETS)
        ],
        "open_disputes": figures["open_disputes"],
        "disputes": [
            {
                "id": review["id"],
                "agent_id": review["agent_id"],
                "agent": review["agent__display_name"] or review["agent__username"],
                "reviewer": review["reviewer__display_name"] or review["reviewer__username"],
                "total": plain(review["total"]),
                "submitted_at": review["submitted_at"],
                "reason": review["dispute_reason"],
            }
            for review in disputes
        ],
    }


def plan_summary(*, day: dt.date, rows: list[dict]) -> dict:
    """The day's plans of the team's agents (the rows of the agents table): how many in each state, and who
    is scheduled but has not submitted yet."""
    members = [row for row in rows if row["member"]]
    counts = {state: 0 for state in PLAN_STATES}
    for row in members:
        counts[row["plan_status"]] += 1
    waiting = [
        {"agent_id": row["agent_id"], "name": row["name"], "status": row["plan_status"]}
        for row in sorted(members, key=lambda row: row["name"])
        if row["plan_status"] in (PlanStatus.DRAFT, PLAN_MISSING)
    ]
    return {
        "date": day,
        "agents": len(members),
        "scheduled": sum(1 for row in members if row["scheduled"]),
        "submitted": counts[PlanStatus.SUBMITTED] + counts[PlanStatus.REVIEWED],
        "counts": counts,
        "waiting": waiting,
    }


def open_complaints(*, team_id: int, now: dt.datetime) -> dict:
    """Open complaints, those still waiting for a first answer first (soonest due first), with the SLA clock."""
    open_ = Complaint.objects.filter(team_id=team_id, status__in=OPEN_COMPLAINT)
    late = (
        Q(sla_breached_at__isnull=False)
        | Q(first_responded_at__isnull=True, first_response_due_at__lt=now)
        | Q(first_responded_at__gt=F("first_response_due_at"))
    )
    counts = open_.aggregate(
        open=Count("id"),
        awaiting=Count("id", filter=Q(first_responded_at__isnull=True)),
        breached=Count("id", filter=late),
    )
    answered = ExpressionWrapper(Q(first_responded_at__isnull=False), output_field=BooleanField())
    shown = (
        open_.annotate(answered=answered)
        .order_by("answered", "first_response_due_at", "id")
        .values(
            "id",
            "summary",
            "priority",
            "status",
            "owner__username",
            "owner__display_name",
            "received_at",
            "first_response_due_at",
            "first_responded_at",
            "sla_breached_at",
        )[:COMPLAINTS_SHOWN]
    )
    items = []
    for complaint in shown:
        due, answered_at = complaint["first_response_due_at"], complaint["first_responded_at"]
        items.append(
            {
                "id": complaint["id"],
                "summary": complaint["summary"],
                "priority": complaint["priority"],
                "status": complaint["status"],
                "owner": complaint["owner__display_name"] or complaint["owner__username"] or "",
                "received_at": complaint["received_at"],
                "first_response_due_at": due,
                "first_responded_at": answered_at,
                "seconds_left": None if answered_at else int((due - now).total_seconds()),
                "breached": bool(complaint["sla_breached_at"] or (answered_at > due if answered_at else due < now)),
            }
        )
    return {**counts, "items": items}
