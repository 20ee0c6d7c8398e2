from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q

from conversations.importers.base import ImportContext
from conversations.importers.decoding import ENCODINGS
from conversations.importers.registry import FORMATS
from conversations.importers.service import import_file
from conversations.models import Category
from teams.models import Team


class Command(BaseCommand):
    help = "Import chat logs from a file. Strict: a file with any error writes nothing. Safe to run twice."

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path)
        parser.add_argument("--format", required=True, choices=sorted(FORMATS))
        parser.add_argument("--source", required=True, help="Name of the system the chats come from, e.g. shopchat.")
        parser.add_argument("--encoding", default="utf-8", choices=sorted(ENCODINGS))
        parser.add_argument(
            "--team",
            help="Team id or name the chats belong to. For twcs it is the department the company teams go under "
            "(default: a department named after --source).",
        )
        parser.add_argument("--category", default=Category.AFTER_SALES, choices=Category.values)

    def handle(
        self, *args, path: Path, format: str, source: str, encoding: str, team: str | None, category: str, **options
    ):
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        context = ImportContext(source=source, team=self._team(team, format, source), default_category=category)
        outcome = import_file(
            raw=path.read_bytes(), format_name=format, encoding=encoding, context=context, progress=self._progress
        )
        if not outcome.ok:
            for error in outcome.errors:
                where = f"line {error['line']}" + (f", {error['field']}" if error["field"] else "")
                self.stderr.write(f"{path}: {where}: {error['message']}")
            raise CommandError(f"{len(outcome.errors)} error(s); nothing was imported.")
        result = outcome.result
        self.stdout.write(
            self.style.SUCCESS(
                f"Imported {outcome.rows_total} rows: {result.created} conversations created, "
                f"{result.updated} updated, {result.unchanged} unchanged, {result.messages_added} messages added."
            )
        )

    def _progress(self, rows_done: int, rows_total: int) -> None:
        width = 30
        filled = width * rows_done // max(rows_total, 1)
        self.stdout.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {rows_done}/{rows_total} rows", ending="")
        if rows_done >= rows_total:
            self.stdout.write("")

    def _team(self, reference: str | None, format: str, source: str) -> Team:
        if reference is None:
            if format != "twcs":
                raise CommandError("--team is required: the agents in the file must belong to it.")
            return Team.objects.get_or_create(name=source, parent=None)[0]
        lookup = Q(name=reference) | (Q(pk=int(reference)) if reference.isdigit() else Q())
        matches = list(Team.objects.filter(lookup))
        if len(matches) != 1:
            raise CommandError(f"--team {reference!r} matches {len(matches)} teams; give its id.")
        return matches[0]
