"""Who sees and changes what in training (on top of teams.policy).

- Authors (the team's supervisors, QA inspectors and managers: policy.can_supervise_team) write courses,
  quizzes, articles, onboarding templates and career levels of the teams they supervise, assign training
  there, grade short answers and read everyone's progress, attempts and results in those teams.
- Everyone reads the *published* courses and articles of the teams they can read (their own teams and the
  departments above them), and their own assignments, attempts and onboarding, nothing of colleagues'.
- Drafts are visible to the authors of their team only. What is not visible answers 404.
"""

from django.db.models import Q, QuerySet

from teams import policy
from training.models import Article, ArticleStatus, Assignment, Attempt, Course, Onboarding


def can_author(user, team_id: int | None) -> bool:
    return policy.can_supervise_team(user, team_id)


def authored_team_ids(user) -> frozenset[int]:
    return policy.team_access(user).supervised


def visible_courses(user) -> QuerySet[Course]:
    """Published courses of readable teams, drafts of supervised teams, and any course assigned to the user."""
    access = policy.team_access(user)
    if not access.readable:
        return Course.objects.none()
    return Course.objects.filter(
        Q(team__in=access.readable, is_published=True) | Q(team__in=access.supervised) | Q(assignments__user=user.pk)
    ).distinct()


def visible_articles(user) -> QuerySet[Article]:
    access = policy.team_access(user)
    if not access.readable:
        return Article.objects.none()
    return Article.objects.filter(
        Q(team__in=access.readable, status=ArticleStatus.PUBLISHED) | Q(team__in=access.supervised)
    )


def visible_assignments(user) -> QuerySet[Assignment]:
    return policy.scope_queryset(user, Assignment.objects.all(), owner_field="user")


def visible_attempts(user) -> QuerySet[Attempt]:
    return policy.scope_queryset(user, Attempt.objects.all(), owner_field="user")


def visible_onboardings(user) -> QuerySet[Onboarding]:
    return policy.scope_queryset(user, Onboarding.objects.all(), owner_field="user")
