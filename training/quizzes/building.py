"""Building a quiz (authors only): its settings and its questions with their choices.

A question is described as {kind, text, points, choices: [{text, is_correct}]}:
- single choice: at least two choices, exactly one correct;
- multiple choice: at least two choices, at least one correct;
- true/false: the two choices True then False (stored in the author's language, shown in the reader's),
  exactly one correct;
- short answer: no choices; a supervisor grades it.
Errors name the field, e.g. `questions[2].choices`. Once a quiz has submitted attempts its questions are
fixed (the attempts' answers point at them); its pass mark and attempt limit can still change.
"""

import random
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from training.access import can_author
from training.models import AttemptStatus, Choice, Course, Question, QuestionKind, Quiz

TRUE_LABEL = pgettext_lazy("true/false question", "True")  # 对
FALSE_LABEL = pgettext_lazy("true/false question", "False")  # 错
# Words an author may send for the two true/false choices, whatever their order.
TRUE_WORDS = {"true", "t", "yes", "对", "正确", "是", "√"}
FALSE_WORDS = {"false", "f", "no", "错", "错误", "否", "×"}
CHOICE_TEXT_MAX = 300


@dataclass(frozen=True)
class ChoiceSpec:
    text: str
    is_correct: bool


@dataclass(frozen=True)
class QuestionSpec:
    kind: str
    text: str
    points: int
    choices: tuple[ChoiceSpec, ...]

    def signature(self) -> tuple:
        """What makes two questions the same question (true/false texts are only labels)."""
        if self.kind == QuestionKind.TRUE_FALSE:
            choices = tuple(choice.is_correct for choice in self.choices)
        else:
            choices = tuple((choice.text, choice.is_correct) for choice in self.choices)
        return (self.kind, self.text, self.points, choices)


def choice_label(question: Question, choice: Choice, index: int) -> str:
    """The text a reader sees: true/false choices in the reader's language, others as written."""
    if question.kind == QuestionKind.TRUE_FALSE:
        return str(TRUE_LABEL if index == 0 else FALSE_LABEL)
    return choice.text


def question_specs(questions) -> tuple[list[QuestionSpec], dict[str, str]]:
    """Validate the described questions; returns them normalised and the errors by field name."""
    errors: dict[str, str] = {}
    if not isinstance(questions, list | tuple) or not questions:
        return [], {"questions": _("A quiz needs at least one question.")}
    specs = []
    for index, raw in enumerate(questions):
        spec = _question_spec(f"questions[{index}]", raw, errors)
        if spec is not None:
            specs.append(spec)
    return specs, errors


def _question_spec(name: str, raw, errors: dict[str, str]) -> QuestionSpec | None:
    if not isinstance(raw, dict):
        errors[name] = _("Describe the question with its kind, text, points and choices.")
        return None
    kind = raw.get("kind")
    if kind not in QuestionKind.values:
        errors[f"{name}.kind"] = _("Choose single choice, multiple choice, true or false, or short answer.")
    text = str(raw.get("text") or "").strip()
    if not text:
        errors[f"{name}.text"] = _("Write the question.")
    points = raw.get("points", 1)
    try:
        points = int(points)
    except (TypeError, ValueError):
        points = 0
    if not 1 <= points <= 100:
        errors[f"{name}.points"] = _("A question is worth 1 to 100 points.")
    choices = _choice_specs(name, raw.get("choices") or [], kind, errors)
    if kind not in QuestionKind.values or choices is None:
        return None
    problem = _choices_problem(kind, choices)
    if problem:
        errors[f"{name}.choices"] = problem
        return None
    if kind == QuestionKind.TRUE_FALSE:
        choices = _true_then_false(choices)
    return QuestionSpec(kind=kind, text=text, points=points, choices=tuple(choices))


def _choice_specs(name: str, raw_choices, kind, errors: dict[str, str]) -> list[ChoiceSpec] | None:
    if not isinstance(raw_choices, list | tuple):
        errors[f"{name}.choices"] = _("Send the choices as a list.")
        return None
    choices = []
    valid = True
    for index, raw in enumerate(raw_choices):
        field = f"{name}.choices[{index}]"
        if not isinstance(raw, dict):
            errors[field] = _("Describe the choice with its text and whether it is correct.")
            valid = False
            continue
        text = str(raw.get("text") or "").strip()
        if not text and kind != QuestionKind.TRUE_FALSE:
            errors[f"{field}.text"] = _("Write the choice.")
            valid = False
        elif len(text) > CHOICE_TEXT_MAX:
            errors[f"{field}.text"] = _("A choice has at most %(max)s characters.") % {"max": CHOICE_TEXT_MAX}
            valid = False
        choices.append(ChoiceSpec(text=text, is_correct=bool(raw.get("is_correct"))))
    return choices if valid else None


def _choices_problem(kind: str, choices: list[ChoiceSpec]) -> str:
    correct = sum(choice.is_correct for choice in choices)
    if kind == QuestionKind.SHORT:
        return _("A short-answer question has no choices.") if choices else ""
    if kind == QuestionKind.TRUE_FALSE:
        if len(choices) != 2 or correct != 1:
            return _("A true/false question has the two choices True and False, exactly one of them correct.")
        return ""
    if len(choices) < 2:
        return _("Give at least two choices.")
    if len({choice.text.casefold() for choice in choices}) < len(choices):
        return _("Two choices have the same text.")
    if kind == QuestionKind.SINGLE and correct != 1:
        return _("Mark exactly one choice correct.")
    if kind == QuestionKind.MULTIPLE and correct < 1:
        return _("Mark at least one choice correct.")
    return ""


def _true_then_false(choices: list[ChoiceSpec]) -> list[ChoiceSpec]:
    """The two choices in the order True, False: by their words when they have them, else as sent."""
    first, second = (choice.text.casefold() for choice in choices)
    if first in FALSE_WORDS and second in TRUE_WORDS:
        choices = [choices[1], choices[0]]
    return [
        ChoiceSpec(text=str(TRUE_LABEL), is_correct=choices[0].is_correct),
        ChoiceSpec(text=str(FALSE_LABEL), is_correct=choices[1].is_correct),
    ]


def existing_specs(quiz: Quiz) -> list[QuestionSpec]:
    return [
        QuestionSpec(
            kind=question.kind,
            text=question.text,
            points=question.points,
            choices=tuple(ChoiceSpec(choice.text, choice.is_correct) for choice in question.choices.all()),
        )
        for question in quiz.questions.prefetch_related("choices")
    ]


def quiz_has_submissions(quiz: Quiz) -> bool:
    return quiz.attempts.exclude(status=AttemptStatus.IN_PROGRESS).exists()


def _check_settings(pass_mark, max_attempts, errors: dict[str, str]) -> tuple[int, int]:
    try:
        pass_mark = int(pass_mark)
    except (TypeError, ValueError):
        pass_mark = 0
    if not 1 <= pass_mark <= 100:
        errors["pass_mark"] = _("The pass mark is a percentage from 1 to 100.")
    try:
        max_attempts = int(max_attempts)
    except (TypeError, ValueError):
        max_attempts = 0
    if not 1 <= max_attempts <= 20:
        errors["max_attempts"] = _("Allow 1 to 20 attempts.")
    return pass_mark, max_attempts


@transaction.atomic
def quiz_save(
    *,
    course: Course,
    actor,
    pass_mark: int,
    max_attempts: int,
    shuffle_questions: bool,
    questions: list[dict] | None = None,
) -> Quiz:
    """Create or change the course's quiz. `questions=None` keeps the questions (a new quiz needs them).

    Replacing the questions of a quiz with attempts still in progress gives those attempts the new
    questions (their answers are not written yet). Everything is validated before anything is written.
    """
    if not can_author(actor, course.team_id):
        raise PermissionDenied(_("Only the supervisors of the course's team build its quiz."))
    course = Course.objects.select_for_update().get(pk=course.pk)  # one quiz per course, built one at a time
    errors: dict[str, str] = {}
    pass_mark, max_attempts = _check_settings(pass_mark, max_attempts, errors)
    specs = None
    if questions is not None:
        specs, question_errors = question_specs(questions)
        errors.update(question_errors)
    quiz = Quiz.objects.filter(course=course).first()
    if quiz is None and questions is None:
        errors["questions"] = _("A quiz needs at least one question.")
    if errors:
        raise ValidationError(errors)
    if quiz is None:
        quiz = Quiz(course=course)
    quiz.pass_mark, quiz.max_attempts, quiz.shuffle_questions = pass_mark, max_attempts, bool(shuffle_questions)
    quiz.save()
    if specs is not None and [spec.signature() for spec in specs] != [s.signature() for s in existing_specs(quiz)]:
        if quiz_has_submissions(quiz):
            raise ValidationError(
                {
                    "questions": _(
                        "People have already submitted answers to this quiz, so its questions can no longer "
                        "change. The pass mark and the number of attempts still can; for new questions, build "
                        "a new course."
                    )
                }
            )
        _replace_questions(quiz, specs)
    return quiz


def _replace_questions(quiz: Quiz, specs: list[QuestionSpec]) -> None:
    quiz.questions.all().delete()
    questions = Question.objects.bulk_create(
        [
            Question(quiz=quiz, position=position, kind=spec.kind, text=spec.text, points=spec.points)
            for position, spec in enumerate(specs)
        ]
    )
    Choice.objects.bulk_create(
        [
            Choice(question=question, position=position, text=choice.text, is_correct=choice.is_correct)
            for question, spec in zip(questions, specs, strict=True)
            for position, choice in enumerate(spec.choices)
        ]
    )
    in_progress = list(quiz.attempts.filter(status=AttemptStatus.IN_PROGRESS))
    for attempt in in_progress:
        attempt.question_order = question_order(quiz, [question.pk for question in questions])
    quiz.attempts.bulk_update(in_progress, ["question_order"])


def question_order(quiz: Quiz, question_ids: list[int]) -> list[int]:
    """The order one attempt shows the questions in: shuffled per attempt when the quiz says so."""
    order = list(question_ids)
    if quiz.shuffle_questions:
        random.SystemRandom().shuffle(order)
    return order
