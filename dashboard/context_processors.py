"""The navigation bar's dashboard links: the team dashboard for whoever supervises a team (supervisors, QA
inspectors, managers), the manager overview for whoever manages more than one team."""

from django.utils.functional import SimpleLazyObject

from teams import policy


def dashboard_links(request) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}

    def links() -> dict:
        access = policy.team_access(user)  # computed once per request's user, and most pages need it anyway
        return {
            "team": bool(access.supervised),
            "manager": len(access.managed) > 1,
            "audit": bool(access.managed) or user.is_superuser,
        }

    return {"dashboard_links": SimpleLazyObject(links)}
