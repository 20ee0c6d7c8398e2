"""Signal receivers of the training onboarding area: thin, the logic lives in training.onboarding.

- A membership that becomes an active agent's (created so, reactivated, turned into an agent's, or moved to
  another position) gets the checklists of its team's templates. teams never imports training, so the
  receiver listens to the Membership model's own signals; pre_save remembers what the row was.
- A first ArticleRead and a completed assignment may finish checklists.
"""

from django.db.models.signals import post_save, pre_save
from django.dispatch import receiver

from teams.models import Membership, Role
from training import onboarding
from training.models import ArticleRead, Assignment
from training.signals import assignment_completed

_BEFORE = "_training_onboarding_before"


def _shape(membership: Membership) -> tuple:
    return (membership.active and membership.role == Role.AGENT, membership.position)


@receiver(pre_save, sender=Membership, dispatch_uid="training-onboarding-membership-before")
def remember_membership_before_save(sender, instance: Membership, raw=False, **kwargs):
    if raw or instance.pk is None:
        return
    before = Membership.objects.filter(pk=instance.pk).values_list("active", "role", "position").first()
    if before is not None:
        active, role, position = before
        setattr(instance, _BEFORE, (active and role == Role.AGENT, position))


@receiver(post_save, sender=Membership, dispatch_uid="training-onboarding-membership")
def start_onboarding_for_new_agent(sender, instance: Membership, created: bool, raw=False, **kwargs):
    if raw:
        return
    before = None if created else instance.__dict__.pop(_BEFORE, None)
    now = _shape(instance)
    if not now[0] or before == now:
        return
    already_an_agent = before is not None and before[0]  # then only the position changed
    onboarding.onboarding_start_for_membership(membership=instance, new_position_only=already_an_agent)


@receiver(post_save, sender=ArticleRead, dispatch_uid="training-onboarding-article-read")
def article_read(sender, instance: ArticleRead, created: bool, raw=False, **kwargs):
    if created and not raw:
        onboarding.onboarding_refresh_for_article(article_id=instance.article_id, user_id=instance.user_id)


@receiver(assignment_completed, sender=Assignment, dispatch_uid="training-onboarding-assignment-completed")
def assignment_done(sender, assignment: Assignment, **kwargs):
    onboarding.onboarding_refresh_for_course(course_id=assignment.course_id, user_id=assignment.user_id)
