"""Every recognition route name, collected from the areas' routes_*.py modules."""

from tests.recognition import routes_awards, routes_kudos, routes_leaderboard

RECOGNITION_ROUTES = routes_awards.ROUTES | routes_kudos.ROUTES | routes_leaderboard.ROUTES
