"""Every dashboard route name, collected from the areas' routes_*.py modules."""

from tests.dashboard import routes_bench, routes_manager, routes_me, routes_profile, routes_team

DASHBOARD_ROUTES = (
    routes_team.ROUTES | routes_me.ROUTES | routes_manager.ROUTES | routes_profile.ROUTES | routes_bench.ROUTES
)
