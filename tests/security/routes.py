"""Every project route: its URL for an object in a place, and the methods its view answers."""

from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver, reverse

# Routes owned by Django itself (admin, auth, language switch) are tested by Django.
FRAMEWORK_NAMESPACES = ("admin:",)
FRAMEWORK_ROUTES = {
    "login", "logout", "password_change", "password_change_done", "password_reset", "password_reset_done",
    "password_reset_confirm", "password_reset_complete", "set_language",
}  # fmt: skip

# Which world object a URL keyword names. `pk` names the route's own kind (ROUTE_KINDS).
KWARG_KINDS = {
    "item_id": "plan_item", "material_id": "material", "step_id": "onboarding_step", "team": "team",
    "team_id": "team", "membership_id": "membership", "responsibility_id": "responsibility",
    "conversation_id": "conversation", "job_id": "import", "plan_id": "plan", "task_id": "task",
    "session_id": "calibration", "review_id": "review", "complaint_id": "complaint", "case_id": "case",
    "scorecard_id": "scorecard", "rule_id": "sampling_rule", "user_id": "person", "course_id": "course",
    "assignment_id": "training_assignment", "schedule_id": "assessment", "attempt_id": "attempt",
    "answer_id": "answer", "article_id": "article", "onboarding_id": "onboarding",
    "template_id": "onboarding_template", "level_id": "career_level", "award_id": "award",
    "good_case_id": "good_case", "token": "webhook",
}  # fmt: skip
# Fixed values of URL keywords that are not objects.
FIXED_KWARGS = {"plans-action": {"action": "submit"}, "qa-review-action": {"action": "acknowledge"},
                "complaint-action": {"action": "transition"}, "training-article-version": {"version": 1}}  # fmt: skip
# The kind of object `pk` names, by the route's prefix (the DRF basename).
ROUTE_KINDS = {
    "api:plan-": "plan", "api:task-": "task", "api:team-": "team", "api:member-": "membership", "api:shop-": "shop",
    "api:responsibility-": "responsibility", "api:shift-": "shift", "api:conversation-": "conversation",
    "api:import-": "import", "api:webhook-integration-": "webhook", "api:metrics-daily-": "daily_metric",
    "api:metrics-team-daily-": "team_metric", "api:metrics-hourly-": "hourly", "api:score-weight-": "score_weight",
    "api:notification-": "notification", "api:qa-scorecard-": "scorecard", "api:qa-review-": "review",
    "api:qa-case-": "case", "api:qa-sampling-rule-": "sampling_rule", "api:qa-assignment-": "qa_assignment",
    "api:qa-calibration-": "calibration", "api:complaint-": "complaint", "api:training-course-": "course",
    "api:training-assignment-": "training_assignment", "api:training-assessment-": "assessment",
    "api:training-quiz-": "quiz", "api:training-attempt-": "attempt", "api:training-article-category-":
    "article_category", "api:training-article-": "article", "api:training-onboarding-template-":
    "onboarding_template", "api:training-onboarding-": "onboarding", "api:training-career-level-": "career_level",
    "api:award-settings-": "award_settings", "api:award-": "award", "api:kudos-": "kudos",
    "api:good-case-": "good_case", "api:audit-entry-": "audit_entry",
}  # fmt: skip


@dataclass(frozen=True)
class Route:
    name: str
    pattern: str
    kwarg_names: tuple[str, ...]
    methods: tuple[str, ...]

    @property
    def is_api(self) -> bool:
        return self.name.startswith("api:")

    @property
    def has_object(self) -> bool:
        return bool(self.kwarg_names)

    def kinds(self) -> dict[str, str]:
        """URL keyword -> world kind."""
        kinds = {}
        for kwarg in self.kwarg_names:
            if kwarg == "pk":
                kinds[kwarg] = next(kind for prefix, kind in ROUTE_KINDS.items() if self.name.startswith(prefix))
            elif kwarg not in FIXED_KWARGS.get(self.name, {}):
                kinds[kwarg] = KWARG_KINDS[kwarg]
        return kinds

    def url(self, world, place: str) -> str:
        kwargs = dict(FIXED_KWARGS.get(self.name, {}))
        for kwarg, kind in self.kinds().items():
            obj = world.obj(kind, place)
            kwargs[kwarg] = obj.token if kwarg == "token" else obj.pk
        return reverse(self.name, kwargs=kwargs)

    def target(self, world, place: str):
        """The object the route addresses (its `pk`, else its last keyword), for the unchanged check."""
        kinds = self.kinds()
        if not kinds:
            return None
        kind = kinds.get("pk") or list(kinds.values())[-1]
        return world.obj(kind, place)


def _view_methods(callback, name: str) -> tuple[str, ...]:
    actions = getattr(callback, "actions", None)
    if actions:
        return tuple(sorted(method.upper() for method in actions if method not in ("head", "options")))
    view_class = getattr(callback, "view_class", None) or getattr(callback, "cls", None)
    if view_class is not None:
        handlers = [m for m in ("get", "post", "put", "patch", "delete") if hasattr(view_class, m)]
        return tuple(sorted(method.upper() for method in handlers))
    return ("GET", "POST")  # function views: the table records what each answers, 405 included


def _walk(patterns, namespace: str = "", prefix: str = ""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _walk(pattern.url_patterns, inner, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            name = f"{namespace}{pattern.name}" if pattern.name else f"{namespace}<unnamed {pattern.pattern}>"
            yield name, prefix + str(pattern.pattern), pattern


def project_routes() -> list[Route]:
    """Every named route of the project, once (DRF's format-suffix variants share their route's name)."""
    routes: dict[str, Route] = {}
    for name, full_pattern, pattern in _walk(get_resolver().url_patterns):
        if name.startswith(FRAMEWORK_NAMESPACES) or name in FRAMEWORK_ROUTES or name in routes:
            continue
        kwarg_names = tuple(k for k in pattern.pattern.regex.groupindex if k != "format")
        prefix_kwargs = tuple(k for k in _prefix_kwargs(full_pattern) if k not in kwarg_names)
        routes[name] = Route(name, full_pattern, prefix_kwargs + kwarg_names, _view_methods(pattern.callback, name))
    return sorted(routes.values(), key=lambda route: route.name)


def _prefix_kwargs(full_pattern: str) -> tuple[str, ...]:
    import re

    return tuple(re.findall(r"<(?:\w+:)?(\w+)>", full_pattern.split("^")[0]))
