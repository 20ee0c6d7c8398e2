from django.core.management.base import BaseCommand
from django.utils import timezone

from teams.demo import DEMO_PASSWORD, PEOPLE, seed_demo_department


class Command(BaseCommand):
    help = "Create (or refresh) a believable demo department and print its logins. Safe to run twice."

    def handle(self, *args, **options):
        counts = seed_demo_department(today=timezone.localdate())
        self.stdout.write(
            self.style.SUCCESS("Demo department ready: " + ", ".join(f"{v} {k}" for k, v in counts.items()))
        )
        self.stdout.write(f"Every demo login uses the password: {DEMO_PASSWORD}")
        listed: set[str] = set()
        agents = sorted({p.username for p in PEOPLE if p.role == "agent"})
        for person in PEOPLE:
            if person.username in listed or (person.role == "agent" and person.username not in agents[:2]):
                continue
            listed.add(person.username)
            self.stdout.write(f"  {person.username:<12} {person.role:<11} {person.display_name}")
        self.stdout.write(f"  … and {len(agents) - 2} more agents (their usernames are on the roster pages).")
