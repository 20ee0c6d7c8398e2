from django import template

from training import access

register = template.Library()


@register.inclusion_tag("training/includes/training_nav.html", takes_context=True)
def training_nav(context, current: str):
    """The training area's tabs; the team overview, assessments and grading only for authors."""
    user = context["request"].user
    return {"training_tab": current, "is_author": bool(access.authored_team_ids(user))}
