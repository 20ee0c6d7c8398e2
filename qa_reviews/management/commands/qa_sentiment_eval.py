import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from qa_reviews import sentiment
from qa_reviews.sentiment_eval import default_datasets_dir, evaluate, format_reports


class Command(BaseCommand):
    help = (
        "Measure the negative-sentiment flag on STC-3 (dissatisfied = mean S label < 0, satisfied > 0, "
        "0 left out): ROC AUC, and precision, recall, F1 and flag rate at the configured cut, per language."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--datasets",
            type=Path,
            help="Folder holding stc3_train_data_{cn,en}.json.gz (default: ../shared/datasets beside the repo).",
        )
        parser.add_argument(
            "--limit", type=int, help="Score only this many dialogues per language, spread evenly over the file."
        )

    def handle(self, *args, datasets: Path | None, limit: int | None, **options):
        if limit is not None and limit < 1:
            raise CommandError("--limit must be at least 1.")
        datasets_dir = datasets or default_datasets_dir()
        started = time.perf_counter()
        try:
            reports = evaluate(datasets_dir, limit=limit)
        except FileNotFoundError as error:
            raise CommandError(f"STC-3 file missing: {error.filename}") from error
        self.stdout.write(f"method {sentiment.METHOD}; flagged at negativity >= {sentiment.NEGATIVE_THRESHOLD}")
        self.stdout.write(format_reports(reports))
        self.stdout.write(
            "cut: the language's tone cut in use; best cut / J: where recall minus false-positive rate peaks "
            "on this data."
        )
        self.stdout.write(self.style.SUCCESS(f"Done in {time.perf_counter() - started:.1f} s."))
