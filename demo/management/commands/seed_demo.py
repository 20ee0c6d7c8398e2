from django.core.management.base import BaseCommand
from django.utils import timezone

from demo.chats import demo_chats_seed
from demo.department import DEMO_PASSWORD, PEOPLE, seed_demo_department
from demo.kpi import demo_kpi_seed
from demo.plans import demo_plans_seed
from demo.qa import demo_qa_seed
from demo.recognition import demo_recognition_seed
from demo.training import demo_training_seed
from plans.services import daily_plans_create
from teams.models import Team


class Command(BaseCommand):
    help = "Create (or refresh) a believable demo department with chats and targets, and print its logins. Safe to run twice."

    def add_arguments(self, parser):
        parser.add_argument(
            "--chat-days", type=int, default=14, help="Days of generated chats, ending today (0: none)."
        )

    def handle(self, *args, chat_days: int, **options):
        today = timezone.localdate()
        counts = seed_demo_department(today=today, history_days=chat_days)
        self.stdout.write(
            self.style.SUCCESS("Demo department ready: " + ", ".join(f"{v} {k}" for k, v in counts.items()))
        )
        if chat_days:
            department = Team.objects.get(name="Online Customer Service", parent=None)
            chats = demo_chats_seed(department=department, today=today, days=chat_days)
            qa = demo_qa_seed(department=department)  # before the metrics, which include the QA scores
            demo_training_seed(department=department, today=today)  # before today's plans get their learning items
            demo_kpi_seed(department=department, today=today, days=chat_days)
            submitted = demo_plans_seed(department=department, today=today, days=chat_days)
            self.stdout.write(
                f"{chats} chats over {chat_days} days, their metrics, this month's targets, "
                f"and {submitted} submitted daily plans."
            )
            self.stdout.write(
                f"QA: {qa['assignments']} sampled conversations last week, {qa['reviewed']} reviewed; "
                "a calibration session, a case and complaints."
            )
            self.stdout.write("Training: a course and quiz per team, assigned and partly taken; a knowledge base.")
            demo_recognition_seed(department=department, today=today)  # after the metrics the award reads
            self.stdout.write("Recognition: last week's best-agent awards, a special award, kudos and a good case.")
        # Celery beat makes plans as shifts start; the embedded demo has no beat, so make today's now.
        plans = daily_plans_create(now=timezone.now())
        self.stdout.write(f"{plans} daily plans for shifts that have started.")
        self.stdout.write(f"Every demo login uses the password: {DEMO_PASSWORD}")
        listed: set[str] = set()
        agents = sorted({p.username for p in PEOPLE if p.role == "agent"})
        for person in PEOPLE:
            if person.username in listed or (person.role == "agent" and person.username not in agents[:2]):
                continue
            listed.add(person.username)
            self.stdout.write(f"  {person.username:<12} {person.role:<11} {person.display_name}")
        self.stdout.write(f"  … and {len(agents) - 2} more agents (their usernames are on the roster pages).")
