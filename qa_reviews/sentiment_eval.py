"""How well the negative-sentiment flag separates dissatisfied from satisfied customers, measured on STC-3.

STC-3 (NTCIR-14; ../shared/datasets/README.md) holds Weibo customer/helpdesk dialogues, each rated by 19
annotators; S is customer satisfaction from -2 to 2. A dialogue whose mean S is below 0 is dissatisfied (the
flag should fire), above 0 satisfied. A mean of exactly 0 (the annotators cancel out) is neither and is left
out of AUC, precision and recall; it still counts in the flag rate, since a sampler would see it too.
"""

import gzip
import json
import statistics
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from qa_reviews import sentiment

DATASET_FILES = {sentiment.CHINESE: "stc3_train_data_cn.json.gz", sentiment.ENGLISH: "stc3_train_data_en.json.gz"}


def default_datasets_dir() -> Path:
    """The shared datasets live beside the repository (CI clones it with shared/ next to it)."""
    from django.conf import settings

    return Path(settings.BASE_DIR).parent / "shared" / "datasets"


@dataclass(frozen=True)
class Dialogue:
    id: str
    customer_texts: list[str]
    mean_satisfaction: float


@dataclass(frozen=True)
class LanguageReport:
    language: str
    dialogues: int
    dissatisfied: int
    satisfied: int
    roc_auc: float
    tone_cut: float
    precision: float
    recall: float
    f1: float
    flag_rate: float
    youden_tone_cut: float  # the raw cut that would maximise recall minus false-positive rate on this data
    youden_j: float
    seconds: float


def load_stc3(path: Path, limit: int | None = None) -> list[Dialogue]:
    """Dialogues of one STC-3 file; with limit, that many spread evenly over the file (deterministic)."""
    with gzip.open(path, "rt", encoding="utf-8") as file:
        raw_dialogues = json.load(file)
    if limit is not None and limit < len(raw_dialogues):
        step = len(raw_dialogues) / limit
        raw_dialogues = [raw_dialogues[int(index * step)] for index in range(limit)]
    return [
        Dialogue(
            id=str(raw["id"]),
            customer_texts=[
                utterance for turn in raw["turns"] if turn["sender"] == "customer" for utterance in turn["utterances"]
            ],
            mean_satisfaction=statistics.fmean(annotation["quality"]["S"] for annotation in raw["annotations"]),
        )
        for raw in raw_dialogues
    ]


def roc_auc(positive_scores: list[float], negative_scores: list[float]) -> float:
    """Probability that a random positive outscores a random negative (ties count half): Mann-Whitney U."""
    if not positive_scores or not negative_scores:
        raise ValueError("ROC AUC needs at least one positive and one negative score.")
    labelled = sorted([(score, True) for score in positive_scores] + [(score, False) for score in negative_scores])
    positive_rank_sum = 0.0
    start = 0
    while start < len(labelled):
        end = start
        while end + 1 < len(labelled) and labelled[end + 1][0] == labelled[start][0]:
            end += 1
        midrank = (start + end) / 2 + 1  # ranks are 1-based; tied scores share the mean of their ranks
        positive_rank_sum += midrank * sum(1 for index in range(start, end + 1) if labelled[index][1])
        start = end + 1
    n_positive, n_negative = len(positive_scores), len(negative_scores)
    return (positive_rank_sum - n_positive * (n_positive + 1) / 2) / (n_positive * n_negative)


def youden_cut(positive_scores: list[float], negative_scores: list[float]) -> tuple[float, float]:
    """(cut, J): the score at or above which flagging maximises recall minus false-positive rate."""
    labelled = sorted(
        [(score, True) for score in positive_scores] + [(score, False) for score in negative_scores], reverse=True
    )
    best_cut, best_j = float("inf"), 0.0
    true_positives = false_positives = 0
    for index, (score, is_positive) in enumerate(labelled):
        if is_positive:
            true_positives += 1
        else:
            false_positives += 1
        if index + 1 < len(labelled) and labelled[index + 1][0] == score:
            continue  # a cut cannot split tied scores
        j = true_positives / len(positive_scores) - false_positives / len(negative_scores)
        if j > best_j:
            best_cut, best_j = score, j
    return best_cut, best_j


def evaluate_language(language: str, dialogues: Iterable[Dialogue]) -> LanguageReport:
    started = time.perf_counter()
    dissatisfied_tones: list[float] = []
    satisfied_tones: list[float] = []
    true_positives = false_positives = flagged = dialogue_count = 0
    for dialogue in dialogues:
        assessment = sentiment.assess(dialogue.customer_texts)
        is_flagged = assessment.negativity >= sentiment.NEGATIVE_THRESHOLD
        dialogue_count += 1
        flagged += is_flagged
        if dialogue.mean_satisfaction < 0:
            dissatisfied_tones.append(assessment.tone)
            true_positives += is_flagged
        elif dialogue.mean_satisfaction > 0:
            satisfied_tones.append(assessment.tone)
            false_positives += is_flagged
    precision = true_positives / (true_positives + false_positives) if true_positives + false_positives else 0.0
    recall = true_positives / len(dissatisfied_tones)
    youden_tone_cut, youden_j = youden_cut(dissatisfied_tones, satisfied_tones)
    return LanguageReport(
        language=language,
        dialogues=dialogue_count,
        dissatisfied=len(dissatisfied_tones),
        satisfied=len(satisfied_tones),
        roc_auc=roc_auc(dissatisfied_tones, satisfied_tones),
        tone_cut=sentiment.TONE_CUTS[language],
        precision=precision,
        recall=recall,
        f1=2 * precision * recall / (precision + recall) if precision + recall else 0.0,
        flag_rate=flagged / dialogue_count,
        youden_tone_cut=youden_tone_cut,
        youden_j=youden_j,
        seconds=time.perf_counter() - started,
    )


def evaluate(datasets_dir: Path, limit: int | None = None) -> list[LanguageReport]:
    """One report per STC-3 language; raises FileNotFoundError when a file is missing."""
    return [
        evaluate_language(language, load_stc3(datasets_dir / file_name, limit))
        for language, file_name in DATASET_FILES.items()
    ]


def format_reports(reports: list[LanguageReport]) -> str:
    header = (
        f"{'lang':<5}{'dialogues':>10}{'dissat':>8}{'sat':>6}{'AUC':>8}{'cut':>7}"
        f"{'precision':>11}{'recall':>8}{'F1':>7}{'flagged':>9}{'best cut':>10}{'J':>7}{'s':>7}"
    )
    lines = [header]
    for report in reports:
        lines.append(
            f"{report.language:<5}{report.dialogues:>10,}{report.dissatisfied:>8,}{report.satisfied:>6,}"
            f"{report.roc_auc:>8.3f}{report.tone_cut:>7.2f}{report.precision:>11.3f}{report.recall:>8.3f}"
            f"{report.f1:>7.3f}{report.flag_rate:>9.1%}{report.youden_tone_cut:>10.3f}{report.youden_j:>7.3f}"
            f"{report.seconds:>7.1f}"
        )
    return "\n".join(lines)
