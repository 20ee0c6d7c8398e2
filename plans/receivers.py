"""Plans listen to training: new assignments join today's draft plans as learning items, and a completed
assignment ticks its learning items off; and to their own models, to forget cached My day answers
(connected in PlansConfig.ready)."""

import datetime as dt
import zoneinfo

from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete
from django.dispatch import receiver
from django.utils import timezone

from notifications.signals import unread_changed
from plans.models import DailyPlan, ItemKind, PlanItem, PlanStatus, Task
from plans.today_cache import today_answer_forget
from training.signals import assignment_completed, assignments_created


@receiver(assignments_created, dispatch_uid="plans.learning_items_for_new_assignments")
def add_learning_items(sender, assignments, **kwargs) -> None:
    """Put each new assignment on its person's draft plan of today (their team's today), if not yet due."""
    by_user = {}
    for assignment in assignments:
        if assignment.completed_at is None:
            by_user.setdefault(assignment.user_id, []).append(assignment)
    if not by_user:
        return
    now = timezone.now()
    # Today somewhere on earth is UTC's yesterday, today or tomorrow; each plan's team decides which.
    plans = DailyPlan.objects.filter(
        agent_id__in=by_user,
        status=PlanStatus.DRAFT,
        date__gte=now.date() - dt.timedelta(days=1),
        date__lte=now.date() + dt.timedelta(days=1),
    ).select_related("team")
    rows = []
    for plan in plans:
        if plan.date != now.astimezone(zoneinfo.ZoneInfo(plan.team.timezone)).date():
            continue
        rows += [
            PlanItem(
                plan=plan, kind=ItemKind.LEARNING, text=assignment.course.title[:300], training_assignment=assignment
            )
            for assignment in by_user[plan.agent_id]
            if assignment.due_date >= plan.date
        ]
    with transaction.atomic():
        PlanItem.objects.bulk_create(rows, ignore_conflicts=True)
    today_answer_forget(by_user)


@receiver(assignment_completed, dispatch_uid="plans.learning_items_done")
def tick_learning_items(sender, assignment, **kwargs) -> None:
    """A completed assignment's learning items are done on the plans still open (submitted ones stay locked)."""
    PlanItem.objects.filter(training_assignment=assignment, done=False, plan__status=PlanStatus.DRAFT).update(done=True)
    today_answer_forget([assignment.user_id])


# A person's /api/v1/me/today/ answer is forgotten whenever their plan, its items, their tasks or their unread
# notifications change.


@receiver(unread_changed, dispatch_uid="plans.forget_today_unread")
def forget_today_of_readers(sender, user_ids, **kwargs) -> None:
    today_answer_forget(user_ids)


@receiver([post_save, post_delete], sender=DailyPlan, dispatch_uid="plans.forget_today_plan")
def forget_today_of_plan_owner(sender, instance, **kwargs) -> None:
    today_answer_forget([instance.agent_id])


@receiver([post_save, post_delete], sender=PlanItem, dispatch_uid="plans.forget_today_item")
def forget_today_of_item_owner(sender, instance, **kwargs) -> None:
    today_answer_forget(DailyPlan.objects.filter(pk=instance.plan_id).values_list("agent_id", flat=True))


@receiver([post_save, pre_delete], sender=Task, dispatch_uid="plans.forget_today_task")
def forget_today_of_assignees(sender, instance, **kwargs) -> None:
    today_answer_forget(instance.assignees.values_list("pk", flat=True))


@receiver(m2m_changed, sender=Task.assignees.through, dispatch_uid="plans.forget_today_assignees")
def forget_today_of_changed_assignees(sender, instance, action, reverse, pk_set, **kwargs) -> None:
    """Everyone on a changed task: its answer lists the assignees (added, removed and staying)."""
    if action not in ("post_add", "post_remove", "pre_clear"):
        return
    if reverse:  # person.tasks changed: the instance is the person, pk_set the tasks (None: all of them)
        task_ids = pk_set if pk_set is not None else instance.tasks.values_list("pk", flat=True)
        people = {instance.pk, *sender.objects.filter(task_id__in=task_ids).values_list("user_id", flat=True)}
    else:
        people = {*instance.assignees.values_list("pk", flat=True), *(pk_set or ())}
    today_answer_forget(people)
