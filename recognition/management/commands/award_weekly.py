from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from recognition.awards.periods import week_period
from recognition.awards.services import AwardAction, GrantOutcome, award_period_grant, teams_with_agents
from recognition.models import AwardKind
from teams.models import Team


class Command(BaseCommand):
    help = (
        "Compute the best-agent award of a past ISO week for one team or every team with agents. An existing "
        "award is kept unless --replace is given; then it is recomputed and the old numbers go to its audit trail."
    )

    def add_arguments(self, parser):
        parser.add_argument("--week", required=True, help="ISO week, e.g. 2026-W47 (Monday to Sunday, local time).")
        parser.add_argument("--team", type=int, help="Team id (default: every team with active agents).")
        parser.add_argument("--replace", action="store_true", help="Recompute and replace an existing award.")

    def handle(self, *args, week: str, team: int | None, replace: bool, **options):
        try:
            period = week_period(week)
        except ValidationError as error:
            raise CommandError(f"--week {week!r}: {_message(error)}") from error
        teams = self._teams(team)
        for each in teams:
            try:
                outcome = award_period_grant(team=each, kind=AwardKind.WEEKLY, period=period, replace=replace)
            except ValidationError as error:
                raise CommandError(f"{each} (team {each.pk}): {_message(error)}") from error
            self.stdout.write(_describe(each, outcome))

    def _teams(self, team_id: int | None) -> list[Team]:
        if team_id is not None:
            found = Team.objects.filter(pk=team_id).first()
            if found is None:
                raise CommandError(f"--team {team_id}: no team has this id.")
            return [found]
        teams = list(teams_with_agents())
        if not teams:
            raise CommandError("No team has active agents; nothing to award.")
        return teams


def _describe(team: Team, outcome: GrantOutcome) -> str:
    award = outcome.award
    if award.winner_id:
        result = f"{award.winner} ({award.score})"
    else:
        result = f"no winner: {award.breakdown.get('no_winner_reason', '')}"
    label = f"{team} (team {team.pk}) {award.period}"
    if outcome.action == AwardAction.KEPT:
        return f"{label}: kept the existing award, {result}. Use --replace to recompute it."
    if outcome.action == AwardAction.REPLACED:
        return f"{label}: recomputed and replaced (audit entry written), {result}."
    return f"{label}: granted, {result}."


def _message(error: ValidationError) -> str:
    return " ".join(message for messages in error.message_dict.values() for message in messages)
