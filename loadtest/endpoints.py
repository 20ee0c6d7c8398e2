"""The request names the locustfile reports, one per endpoint (ids and query values left out), by user class.

Shared by the locustfile and its smoke test (which checks every one was requested), without importing locust.
"""

AGENT = {
    "my_day": "GET /api/v1/me/today/",
    "my_day_extras": "GET /api/v1/dashboard/me/",
    "my_plan": "GET /api/v1/plans/?agent&date",
    "notifications": "GET /api/v1/notifications/",
    "my_metrics": "GET /api/v1/metrics/daily/?agent&date_from",
}
SUPERVISOR = {
    "team_dashboard": "GET /api/v1/dashboard/team/?team&period",
    "team_metrics": "GET /api/v1/metrics/daily/?team&date_from&date_to",
    "team_daily_metrics": "GET /api/v1/metrics/team-daily/?team&date_from",
    "qa_reviews": "GET /api/v1/qa/reviews/?team",
    "conversations": "GET /api/v1/conversations/?team&date_from&category",
    "team_plans": "GET /api/v1/plans/?team&date",
}
INTEGRATOR = {
    "bulk": "POST /api/v1/conversations/bulk/",
    "imports": "GET /api/v1/imports/",
}
BROWSER = {
    "login_page": "GET /accounts/login/",
    "login": "POST /accounts/login/",
    "my_day_page": "GET /dashboard/me/ (page)",
    "my_day_progress": "GET /dashboard/me/progress/ (htmx)",
    "team_dashboard_page": "GET /dashboard/team/?team (page)",
}
ALL = {**AGENT, **SUPERVISOR, **INTEGRATOR, **BROWSER}

# A response with this status is the rate limit doing its job, reported apart from errors.
THROTTLED = 429
THROTTLED_MESSAGE = "429 throttled"
