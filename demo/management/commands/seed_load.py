import time

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from demo.load import LoadSizes, load_scale


class Command(BaseCommand):
    help = (
        "The demo department scaled up for the load test (PostgreSQL): seed_demo, then squads of generated "
        "agents with conversations and messages up to the asked totals, their metrics, targets and plans. "
        "Running it again the same day changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("--agents", type=int, default=200, help="Agents in the department, the demo's included.")
        parser.add_argument("--messages", type=int, default=1_000_000, help="Messages in the whole database.")
        parser.add_argument("--days", type=int, default=14, help="Days of chats, ending today (seed_demo's too).")
        parser.add_argument("--squad-size", type=int, default=20, help="Agents per generated squad.")

    def handle(self, *args, agents: int, messages: int, days: int, squad_size: int, **options):
        if connection.vendor != "postgresql":
            raise CommandError("seed_load generates its data in PostgreSQL: set DATABASE_URL.")
        if days < 1 or squad_size < 1 or agents < 0 or messages < 0:
            raise CommandError("--days and --squad-size must be at least 1, --agents and --messages at least 0.")
        began = time.perf_counter()
        call_command("seed_demo", chat_days=days, stdout=self.stdout, stderr=self.stderr)
        demo_seconds = time.perf_counter() - began
        self.stdout.write(f"seed_demo took {demo_seconds:.0f} s; scaling up ...")
        world = load_scale(sizes=LoadSizes(agents=agents, messages=messages, days=days, squad_size=squad_size))
        took = time.perf_counter() - began
        what = (
            f"generated {world.generated_conversations:,} conversations with {world.generated_messages:,} messages"
            if world.regenerated
            else "the generated conversations were already there"
        )
        self.stdout.write(
            self.style.SUCCESS(
                f"Load data ready: {world.agents} agents ({world.squads} generated squads), "
                f"{world.conversations:,} conversations, {world.messages:,} messages; {what}. "
                f"Took {took:.0f} s (seed_demo {demo_seconds:.0f} s)."
            )
        )
