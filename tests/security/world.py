"""The world the route policy is checked in: nine actors and one object of every kind in three places.

department "Online Service" (manager mona)
  ├── team "Pre-sales": supervisor sue, QA quinn, agents alice (the agent) and bob (the same-team agent),
  │   plus rita (her API token was revoked) and dora (deactivated)
  └── team "After-sales" (the other team): supervisor stan, agent sam
department "Other Company" — team "Their Team": supervisor oscar (the outsider)

Places: "own" is alice's object (or one of her team made for her), "same" is bob's in the same team, "other"
is sam's in the sibling team. Objects of a team with no owner exist twice in Pre-sales (own, same) so every
route sees the same three places.
"""

import datetime as dt
from dataclasses import dataclass, field

from django.core.files.base import ContentFile
from django.utils import timezone
from rest_framework.authtoken.models import Token

from audit.models import AuditEntry
from conversations.models import Conversation, ImportJob, Message, WebhookIntegration
from kpi.models import DailyAgentMetric, DailyTeamMetric, HourlyVolume, ScoreWeight
from notifications.models import Notification
from plans.models import DailyPlan, PlanItem, Task
from qa_reviews.models import (
    CalibrationSession,
    Case,
    Complaint,
    Criterion,
    Review,
    ReviewAssignment,
    SamplingRule,
    Scorecard,
)
from recognition.models import Award, AwardSettings, GoodCase, Kudos
from teams.models import Role, Team
from tests.factories import MembershipFactory, ResponsibilityFactory, ShiftFactory, ShopFactory, member, token_for
from training.models import (
    Answer,
    Article,
    ArticleCategory,
    ArticleVersion,
    AssessmentSchedule,
    Assignment,
    Attempt,
    CareerLevel,
    Course,
    Material,
    Onboarding,
    OnboardingStep,
    OnboardingTemplate,
    Question,
    Quiz,
)

ACTORS = (
    "anonymous", "agent", "same_team_agent", "supervisor", "qa_inspector", "manager", "outsider",
    "revoked_token", "deactivated",
)  # fmt: skip
PLACES = ("own", "same", "other")
DAY = dt.date(2026, 11, 16)  # a Monday


@dataclass
class Place:
    team: Team
    person: object  # the agent the object belongs to
    lead: object  # the supervisor of that team


@dataclass
class World:
    people: dict
    tokens: dict
    teams: dict
    objects: dict = field(default_factory=dict)  # kind -> place -> object

    def obj(self, kind: str, place: str):
        return self.objects[kind][place]


def build_world() -> World:
    department = Team.objects.create(name="Online Service")
    team = Team.objects.create(name="Pre-sales", parent=department)
    sibling = Team.objects.create(name="After-sales", parent=department)
    their_team = Team.objects.create(name="Their Team", parent=Team.objects.create(name="Other Company"))
    people = {
        "agent": member(team, Role.AGENT, username="alice"),
        "same_team_agent": member(team, Role.AGENT, username="bob"),
        "supervisor": member(team, Role.SUPERVISOR, username="sue"),
        "qa_inspector": member(team, Role.QA, username="quinn"),
        "manager": member(department, Role.MANAGER, username="mona"),
        "outsider": member(their_team, Role.SUPERVISOR, username="oscar"),
        "revoked_token": member(team, Role.AGENT, username="rita"),
        "deactivated": member(team, Role.AGENT, username="dora"),
        "sibling_agent": member(sibling, Role.AGENT, username="sam"),
        "sibling_supervisor": member(sibling, Role.SUPERVISOR, username="stan"),
        "anonymous": None,
    }
    tokens = {name: token_for(person) for name, person in people.items() if person is not None}
    Token.objects.filter(user=people["revoked_token"]).delete()
    people["deactivated"].is_active = False
    people["deactivated"].save(update_fields=["is_active"])
    world = World(people=people, tokens=tokens, teams={"team": team, "sibling": sibling, "theirs": their_team})
    places = {
        "own": Place(team, people["agent"], people["supervisor"]),
        "same": Place(team, people["same_team_agent"], people["supervisor"]),
        "other": Place(sibling, people["sibling_agent"], people["sibling_supervisor"]),
    }
    for place_name, place in places.items():
        for kind, objects in _objects_of(place, place_name, world).items():
            world.objects.setdefault(kind, {})[place_name] = objects
    return world


def _objects_of(place: Place, name: str, world: World) -> dict:
    team, person, lead = place.team, place.person, place.lead
    now = timezone.now()
    started = timezone.make_aware(dt.datetime.combine(DAY, dt.time(10, 0)))
    o: dict = {"team": team, "person": person, "lead": lead}
    o["membership"] = person.memberships.get(team=team)
    o["shop"] = ShopFactory(team=team, code=f"shop-{name}")
    o["responsibility"] = ResponsibilityFactory(team=team, category=f"Refunds {name}", owner=person)
    o["shift"] = ShiftFactory(team=team, user=person, date=DAY)
    chat = Conversation.objects.create(
        source="native", external_id=f"chat-{name}", team=team, agent=person, category="refund",
        started_at=started, customer=f"buyer-{name}",
    )  # fmt: skip
    o["conversation"] = chat
    o["spare_conversation"] = Conversation.objects.create(
        source="native", external_id=f"spare-{name}", team=team, agent=person, category="refund",
        started_at=started, customer=f"buyer-{name}",
    )  # fmt: skip
    o["message"] = Message.objects.create(
        conversation=chat, fingerprint=f"fp-{name}", sender="customer", sent_at=started, text="Where is my parcel?"
    )
    o["import"] = ImportJob.objects.create(
        team=team, source="native", format="jsonl", file=ContentFile(b"", name=f"{name}.jsonl"),
        original_name=f"{name}.jsonl", created_by=lead,
    )  # fmt: skip
    o["webhook"] = WebhookIntegration.objects.create(team=team, name=f"Chatwoot {name}", created_by=lead)
    o["daily_metric"] = DailyAgentMetric.objects.create(date=DAY, team=team, agent=person, conversations=3)
    o["team_metric"] = DailyTeamMetric.objects.create(date=DAY - dt.timedelta(days=PLACES.index(name)), team=team)
    o["hourly"] = HourlyVolume.objects.create(team=team, date=DAY, hour=PLACES.index(name))
    o["score_weight"] = ScoreWeight.objects.create(
        team=team, metric=("csat", "resolution_rate", "fcr_rate")[PLACES.index(name)], weight=1
    )
    o["notification"] = Notification.objects.create(
        recipient=person, kind="kudos", message=f"Hello {name}", dedupe_key=f"hello-{name}"
    )
    plan = DailyPlan.objects.create(agent=person, team=team, date=DAY)
    o["plan"] = plan
    o["plan_item"] = PlanItem.objects.create(plan=plan, text="Answer the refund queue")
    task = Task.objects.create(team=team, what=f"Call back {name}", due_at=now, created_by=lead)
    task.assignees.set([person])
    o["task"] = task
    scorecard = Scorecard.objects.create(team=team, name=f"Chat quality {name}", family=100 + PLACES.index(name))
    criterion = Criterion.objects.create(scorecard=scorecard, title="Greets", weight=1, max_points=5)
    o["scorecard"], o["criterion"] = scorecard, criterion
    review = Review.objects.create(
        conversation=chat, team=team, agent=person, reviewer=lead, scorecard=scorecard, status="submitted",
        submitted_at=now, total=80, reviewer_notes="Only for the reviewers",
    )  # fmt: skip
    o["review"] = review
    rule = SamplingRule.objects.create(team=team, name=f"Random {name}", kind="random", scorecard=scorecard)
    o["sampling_rule"] = rule
    o["qa_assignment"] = ReviewAssignment.objects.create(
        rule=rule, week_start=DAY, team=team, conversation=chat, reviewer=lead, due_date=DAY
    )
    calibration = CalibrationSession.objects.create(
        team=team, name=f"Calib {name}", scorecard=scorecard, created_by=lead
    )
    calibration.conversations.set([chat])
    calibration.reviewers.set([lead])
    o["calibration"] = calibration
    o["complaint"] = Complaint.objects.create(
        team=team, summary=f"Broken lid {name}", category="product", customer=f"buyer-{name}", owner=person,
        received_at=now, sla_minutes=60, first_response_due_at=now, created_by=lead,
    )  # fmt: skip
    o["case"] = Case.objects.create(team=team, title=f"Late parcel {name}", responsible=person, opened_by=lead)
    course = Course.objects.create(team=team, title=f"Returns {name}", is_published=True, created_by=lead)
    o["course"] = course
    o["material"] = Material.objects.create(
        course=course, title="Policy", attachment=ContentFile(b"%PDF-1.4", name=f"policy-{name}.pdf")
    )
    o["spare_course"] = Course.objects.create(team=team, title=f"Spare {name}", is_published=True, created_by=lead)
    o["training_assignment"] = Assignment.objects.create(
        course=course, user=person, team=team, due_date=DAY, assigned_by=lead
    )
    o["assessment"] = AssessmentSchedule.objects.create(team=team, course=course, created_by=lead)
    quiz = Quiz.objects.create(course=course)
    question = Question.objects.create(quiz=quiz, kind="text", text="Explain the refund rule", points=5)
    o["quiz"] = quiz
    attempt = Attempt.objects.create(quiz=quiz, user=person, team=team, number=1, status="awaiting", submitted_at=now)
    o["attempt"] = attempt
    o["answer"] = Answer.objects.create(attempt=attempt, question=question, text="Within 7 days")
    category = ArticleCategory.objects.create(team=team, name=f"Policies {name}")
    o["article_category"] = category
    article = Article.objects.create(
        team=team, category=category, title=f"Refunds {name}", body="Refund within 7 days.", status="published",
        created_by=lead,
    )  # fmt: skip
    ArticleVersion.objects.create(article=article, version=1, title=article.title, body=article.body, edited_by=lead)
    o["article"] = article
    template = OnboardingTemplate.objects.create(team=team, name=f"Onboarding {name}")
    step = OnboardingStep.objects.create(template=template, kind="read_article", title="Read", article=article)
    o["onboarding_template"], o["onboarding_step"] = template, step
    o["onboarding"] = Onboarding.objects.create(template=template, user=person, team=team)
    o["career_level"] = CareerLevel.objects.create(
        team=team, position="pre_sales", rank=PLACES.index(name) + 1, name=f"Level {name}"
    )
    o["award_settings"] = AwardSettings.objects.get_or_create(team=team)[0]
    o["award"] = Award.objects.create(
        team=team, kind="weekly", period=f"2026-W{46 - PLACES.index(name)}", period_start=DAY - dt.timedelta(days=7 * (PLACES.index(name) + 1)),
        period_end=DAY - dt.timedelta(days=7 * PLACES.index(name) + 1), winner=person,
    )  # fmt: skip
    o["kudos"] = Kudos.objects.create(team=team, giver=lead, receiver=person, value="care", message="Thanks!")
    Kudos.objects.filter(pk=o["kudos"].pk).update(created_at=started)  # last week: today's kudos are still open
    o["good_case"] = GoodCase.objects.create(team=team, conversation=chat, marked_by=lead, note="Calm and exact")
    o["extra_member"] = MembershipFactory(team=team)
    o["audit_entry"] = AuditEntry.objects.create(
        action="login", actor_id=person.pk, actor_name=person.username, team_id=team.pk, summary=f"login {name}"
    )
    return o
