from django import template

from teams import policy

register = template.Library()


@register.inclusion_tag("qa_reviews/includes/qa_nav.html", takes_context=True)
def qa_nav(context, current: str):
    """The QA area's tabs, with the inspector-only ones for people who supervise a team."""
    user = context["request"].user
    return {"qa_tab": current, "user_supervises": bool(policy.team_access(user).supervised), "user": user}
