"""The customer-service floor as locust users: agents, supervisors, chat-system integrations and browsers.

Run by `manage.py loadtest` (see `.ci/load.sh`); never import it from Django or pytest (locust patches the
standard library with gevent). Everyone is a real person of the seeded database: the runner mints their API
tokens and passes them in the JSON file named by LOADTEST_PEOPLE. Requests are named per endpoint
(`loadtest/endpoints.py`). A 429 counts as a failure whose message starts with "429", which the runner
reports apart from real errors.

The mix, per 50 users: 30 agents watching their day, 10 supervisors on the team dashboard and the lists
behind it, 4 chat systems pushing batches of conversations, 6 people in the browser (half agents, half
supervisors). Waits compress a real floor (an agent's page polls every 30 s) into a busier one.
LOADTEST_SMOKE=1 makes every user request each of its endpoints once at the start and wait little, so a
run of a few seconds covers everything.
"""

import datetime as dt
import itertools
import json
import os
import random
import re
import sys
import uuid
from pathlib import Path

from locust import HttpUser, between, constant, task

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from loadtest import endpoints

PEOPLE = json.loads(Path(os.environ["LOADTEST_PEOPLE"]).read_text()) if "LOADTEST_PEOPLE" in os.environ else {}
SMOKE = os.environ.get("LOADTEST_SMOKE") == "1"
TODAY = PEOPLE.get("today", dt.date.today().isoformat())
# gunicorn runs the production settings behind an imagined TLS proxy, which says so in this header.
PROXY_HEADERS = {"X-Forwarded-Proto": "https"}
CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
RUN_ID = uuid.uuid4().hex[:8]  # external ids of posted conversations are new in every run


def _days_ago(days: int) -> str:
    return (dt.date.fromisoformat(TODAY) - dt.timedelta(days=days)).isoformat()


def _next_person(role: str) -> dict:
    """Each user of a class takes the next person of that role (round robin over the minted ones)."""
    cycle = _CYCLES.setdefault(role, itertools.cycle(PEOPLE.get(role) or [{}]))
    return next(cycle)


_CYCLES: dict = {}


class _FloorUser(HttpUser):
    abstract = True
    role = ""
    fixed_count = 1 if SMOKE else 0  # a smoke run has one user of each class (weights could leave one out)
    wait_time = constant(0.2) if SMOKE else between(1, 5)

    def on_start(self):
        self.person = _next_person(self.role)
        self.client.headers.update(PROXY_HEADERS)
        if "token" in self.person:
            self.client.headers["Authorization"] = f"Token {self.person['token']}"
        if SMOKE:
            for method in self.every_task():
                method()

    def every_task(self):
        return [getattr(self, name) for name in self.task_names]

    def get(self, name: str, path: str, **params):
        self._check(self.client.get(path, params=params or None, name=name, catch_response=True))

    def _check(self, response, expected=(200,)):
        with response:
            if response.status_code == endpoints.THROTTLED:
                response.failure(endpoints.THROTTLED_MESSAGE)
            elif response.status_code in expected:
                response.success()  # a 404 may be expected, which locust would count as a failure
            else:
                response.failure(f"HTTP {response.status_code}: {response.text[:200]}")


class Agent(_FloorUser):
    """An agent's "My day" client: the day, the plan, the bell, their own numbers."""

    weight = 30
    role = "agents"
    task_names = ["my_day", "my_day_extras", "my_plan", "notifications", "my_metrics"]

    @task(6)
    def my_day(self):
        self.get(endpoints.AGENT["my_day"], "/api/v1/me/today/")

    @task(3)
    def my_day_extras(self):
        self.get(endpoints.AGENT["my_day_extras"], "/api/v1/dashboard/me/")

    @task(2)
    def my_plan(self):
        self.get(endpoints.AGENT["my_plan"], "/api/v1/plans/", agent=self.person.get("id"), date=TODAY)

    @task(3)
    def notifications(self):
        self.get(endpoints.AGENT["notifications"], "/api/v1/notifications/")

    @task(2)
    def my_metrics(self):
        self.get(
            endpoints.AGENT["my_metrics"],
            "/api/v1/metrics/daily/",
            agent=self.person.get("username"),
            date_from=_days_ago(random.choice([6, 13])),
        )


class Supervisor(_FloorUser):
    """A team lead: the dashboard's JSON and the lists a BI tool or the lead's own screen pages through."""

    weight = 10
    role = "supervisors"
    task_names = ["team_dashboard", "team_metrics", "team_daily_metrics", "qa_reviews", "conversations", "team_plans"]

    @task(5)
    def team_dashboard(self):
        self.get(
            endpoints.SUPERVISOR["team_dashboard"],
            "/api/v1/dashboard/team/",
            team=self.person.get("team"),
            period=random.choice(["day", "week", "month"]),
        )

    @task(3)
    def team_metrics(self):
        self.get(
            endpoints.SUPERVISOR["team_metrics"],
            "/api/v1/metrics/daily/",
            team=self.person.get("team"),
            date_from=_days_ago(random.choice([0, 6, 13])),
            date_to=TODAY,
        )

    @task(1)
    def team_daily_metrics(self):
        self.get(
            endpoints.SUPERVISOR["team_daily_metrics"],
            "/api/v1/metrics/team-daily/",
            team=self.person.get("team"),
            date_from=_days_ago(29),
        )

    @task(2)
    def qa_reviews(self):
        self.get(endpoints.SUPERVISOR["qa_reviews"], "/api/v1/qa/reviews/", team=self.person.get("team"))

    @task(2)
    def conversations(self):
        filters = {"team": self.person.get("team"), "date_from": _days_ago(random.choice([0, 1, 6]))}
        if random.random() < 0.5:
            filters["category"] = random.choice(["pre_sales", "after_sales", "complaint"])
        if random.random() < 0.3:
            filters["page"] = 2
        self._check(
            self.client.get(
                "/api/v1/conversations/",
                params=filters,
                name=endpoints.SUPERVISOR["conversations"],
                catch_response=True,
            ),
            expected=(200, 404),  # page 2 of a short list is a 404, as DRF pages answer
        )

    @task(1)
    def team_plans(self):
        self.get(endpoints.SUPERVISOR["team_plans"], "/api/v1/plans/", team=self.person.get("team"), date=TODAY)


class Integrator(_FloorUser):
    """A chat system pushing the conversations that just closed, in batches, and checking file imports."""

    weight = 4
    role = "integrators"
    wait_time = constant(0.5) if SMOKE else between(2, 6)
    task_names = ["bulk", "imports"]
    batch_size = 20
    sequence = itertools.count(1)

    @task(4)
    def bulk(self):
        now = dt.datetime.now(dt.UTC)
        agents = self.person.get("agents") or [None]
        shops = self.person.get("shops") or [None]
        batch = []
        for _ in range(self.batch_size):
            started = now - dt.timedelta(minutes=random.randint(20, 60))
            messages, moment = [], started
            for turn in range(random.randint(2, 5)):
                messages.append({"sender": "customer", "sent_at": moment.isoformat(), "text": "请问什么时候发货？"})
                moment += dt.timedelta(seconds=random.randint(10, 90))
                messages.append({"sender": "agent", "sent_at": moment.isoformat(), "text": f"您好，今天发货。({turn})"})
                moment += dt.timedelta(seconds=random.randint(30, 120))
            rating = random.choice([None, 5, 5, 4, 3])
            batch.append(
                {
                    "source": "load-api",  # removed by the next seed_load (demo/load.py: LOAD_API_SOURCE)
                    "external_id": f"{RUN_ID}-{self.person.get('username')}-{next(self.sequence)}",
                    "channel": "web",
                    "shop": random.choice(shops),
                    "agent": random.choice(agents),
                    "customer": f"buyer-{random.randint(10000, 99999)}",
                    "category": random.choice(["pre_sales", "after_sales", "complaint"]),
                    "started_at": started.isoformat(),
                    "closed_at": moment.isoformat(),
                    "resolved": random.random() < 0.8,
                    "rating": rating,
                    "ordered": False,
                    "order_amount": "0.00",
                    "messages": messages,
                }
            )
        self._check(
            self.client.post(
                "/api/v1/conversations/bulk/", json=batch, name=endpoints.INTEGRATOR["bulk"], catch_response=True
            )
        )

    @task(1)
    def imports(self):
        self.get(endpoints.INTEGRATOR["imports"], "/api/v1/imports/", team=self.person.get("team"))


class _Browser(_FloorUser):
    """Someone in the browser: signs in on the login page, then keeps their page open."""

    abstract = True
    wait_time = constant(0.5) if SMOKE else between(3, 8)

    def on_start(self):
        self.person = _next_person(self.role)
        self.client.headers.update(PROXY_HEADERS)
        self.login()
        if SMOKE:
            for method in self.every_task():
                method()

    def get(self, name: str, path: str, **params):
        self._check(
            self.client.get(path, params=params or None, name=name, allow_redirects=False, catch_response=True)
        )  # a redirect to the login page is a failure here

    def _check(self, response, expected=(200,)):
        super()._check(response, expected)
        # The production settings mark cookies Secure; the imagined TLS proxy that would carry them is not here.
        for cookie in self.client.cookies:
            cookie.secure = False

    def login(self):
        with self.client.get("/accounts/login/", name=endpoints.BROWSER["login_page"], catch_response=True) as page:
            found = CSRF_INPUT.search(page.text or "")
            if page.status_code != 200 or not found:
                page.failure(f"HTTP {page.status_code}: no login form")
                return
        for cookie in self.client.cookies:
            cookie.secure = False
        self._check(
            self.client.post(
                "/accounts/login/",
                data={
                    "username": self.person.get("username"),
                    "password": PEOPLE.get("password"),
                    "csrfmiddlewaretoken": found.group(1),
                },
                headers={"Referer": f"https://{self.host.split('://', 1)[-1].rstrip('/')}/accounts/login/"},
                name=endpoints.BROWSER["login"],
                allow_redirects=False,
                catch_response=True,
            ),
            expected=(302,),
        )


class BrowserAgent(_Browser):
    weight = 3
    role = "browser_agents"
    task_names = ["my_day_page", "my_day_progress"]

    @task(2)
    def my_day_page(self):
        self.get(endpoints.BROWSER["my_day_page"], "/dashboard/me/")

    @task(3)
    def my_day_progress(self):
        self._check(
            self.client.get(
                "/dashboard/me/progress/",
                headers={"HX-Request": "true"},
                name=endpoints.BROWSER["my_day_progress"],
                allow_redirects=False,
                catch_response=True,
            )
        )


class BrowserSupervisor(_Browser):
    weight = 3
    role = "browser_supervisors"
    task_names = ["team_dashboard_page"]

    @task
    def team_dashboard_page(self):
        self.get(endpoints.BROWSER["team_dashboard_page"], "/dashboard/team/", team=self.person.get("team"))
