import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q

from kpi.services import daily_metrics_compute
from teams.models import Team


class Command(BaseCommand):
    help = "Compute (or recompute) daily metrics for a range of local dates. Safe to run again."

    def add_arguments(self, parser):
        parser.add_argument("--from", dest="date_from", required=True, type=dt.date.fromisoformat)
        parser.add_argument("--to", dest="date_to", required=True, type=dt.date.fromisoformat)
        parser.add_argument("--team", help="Team id or name (default: every team).")

    def handle(self, *args, date_from: dt.date, date_to: dt.date, team: str | None, **options):
        if date_to < date_from:
            raise CommandError("--to is before --from.")
        teams = None
        if team:
            teams = Team.objects.filter(Q(name=team) | (Q(pk=int(team)) if team.isdigit() else Q()))
            if teams.count() != 1:
                raise CommandError(f"--team {team!r} matches {teams.count()} teams; give its id.")
        total = (date_to - date_from).days + 1
        for done in range(total):
            daily_metrics_compute(day=date_from + dt.timedelta(days=done), teams=teams)
            filled = 30 * (done + 1) // total
            self.stdout.write(f"\r[{'#' * filled}{'.' * (30 - filled)}] {done + 1}/{total} days", ending="")
        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS(f"Computed {total} days from {date_from} to {date_to}."))
