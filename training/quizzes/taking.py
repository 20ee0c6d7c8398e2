"""Taking a quiz: start an attempt, submit the answers (graded at once, short answers by a supervisor later).

Attempts count per assignment: a periodic assessment's new assignment brings a fresh set of attempts, and
attempts made outside any assignment (practice) count together. Once an attempt of that set passes, the
set is done.
"""

from decimal import ROUND_FLOOR, Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from notifications.services import Outgoing, notifications_send
from teams import policy
from teams.models import Membership, Role, Team
from training.access import visible_courses
from training.models import Answer, Assignment, Attempt, AttemptStatus, Course, Question, QuestionKind, Quiz
from training.progress import assignment_refresh
from training.quizzes.building import question_order

ANSWER_TEXT_MAX = 5000


def open_assignment(*, course: Course, user) -> Assignment | None:
    """The user's earliest open assignment of the course: the one an attempt made now counts for."""
    return (
        Assignment.objects.filter(course=course, user=user, completed_at__isnull=True)
        .order_by("due_date", "id")
        .first()
    )


def attempts_for(*, quiz: Quiz, user, assignment: Assignment | None):
    """The attempts that share a limit with one made for `assignment` (None: outside any assignment)."""
    return Attempt.objects.filter(quiz=quiz, user=user, assignment=assignment)


def _audience_team_id(user, course: Course) -> int:
    """The user's team in the course's audience (the course's team or a team under it), else the course's."""
    parent_of = dict(Team.objects.values_list("id", "parent_id"))
    for team_id in (
        Membership.objects.filter(user=user, active=True).order_by("team_id").values_list("team_id", flat=True)
    ):
        current, seen = team_id, set()
        while current is not None and current not in seen:
            if current == course.team_id:
                return team_id
            seen.add(current)
            current = parent_of.get(current)
    return course.team_id


@transaction.atomic
def attempt_start(*, quiz: Quiz, user) -> Attempt:
    """Start an attempt, or return the one the user has in progress (one at a time)."""
    course = quiz.course
    if not visible_courses(user).filter(pk=course.pk).exists():
        raise PermissionDenied
    quiz = Quiz.objects.select_for_update().select_related("course").get(pk=quiz.pk)  # starts one at a time
    if not quiz.course.is_published:
        raise ValidationError({"quiz": _("This quiz opens when its course is published.")})
    current = Attempt.objects.filter(quiz=quiz, user=user, status=AttemptStatus.IN_PROGRESS).first()
    if current is not None:
        return current
    question_ids = list(quiz.questions.values_list("id", flat=True))
    if not question_ids:
        raise ValidationError({"quiz": _("This quiz has no questions yet.")})
    assignment = open_assignment(course=quiz.course, user=user)
    earlier = attempts_for(quiz=quiz, user=user, assignment=assignment)
    if earlier.filter(passed=True).exists():
        raise ValidationError({"quiz": _("You have already passed this quiz.")})
    if earlier.count() >= quiz.max_attempts:
        raise ValidationError(
            {"quiz": _("You have used all %(count)s attempts at this quiz.") % {"count": quiz.max_attempts}}
        )
    last_number = Attempt.objects.filter(quiz=quiz, user=user).aggregate(last=Max("number"))["last"] or 0
    return Attempt.objects.create(
        quiz=quiz,
        user=user,
        team_id=assignment.team_id if assignment else _audience_team_id(user, quiz.course),
        assignment=assignment,
        number=last_number + 1,
        question_order=question_order(quiz, question_ids),
    )


def _answer_for(name: str, raw, questions: dict[int, Question], errors: dict[str, str]):
    """(question id, selected choice ids, text) from one submitted answer, or None when it is invalid."""
    if not isinstance(raw, dict):
        errors[name] = _("Send each answer with its question, the chosen answers and the text.")
        return None
    try:
        question = questions[int(raw.get("question"))]
    except (TypeError, ValueError, KeyError):
        errors[f"{name}.question"] = _("This question is not part of the attempt.")
        return None
    selected = raw.get("selected") or []
    try:
        selected = sorted({int(choice_id) for choice_id in selected})
    except (TypeError, ValueError):
        errors[f"{name}.selected"] = _("Send the chosen answers as a list of choice ids.")
        return None
    text = str(raw.get("text") or "").strip()
    choice_ids = {choice.pk for choice in question.choices.all()}
    if question.kind == QuestionKind.SHORT:
        if selected:
            errors[f"{name}.selected"] = _("A short-answer question is answered with text.")
            return None
        if len(text) > ANSWER_TEXT_MAX:
            errors[f"{name}.text"] = _("An answer has at most %(max)s characters.") % {"max": ANSWER_TEXT_MAX}
            return None
    elif not set(selected) <= choice_ids:
        errors[f"{name}.selected"] = _("Choose among this question's answers.")
        return None
    elif question.kind != QuestionKind.MULTIPLE and len(selected) > 1:
        errors[f"{name}.selected"] = _("Choose one answer.")
        return None
    return question.pk, selected, text if question.kind == QuestionKind.SHORT else ""


def auto_points(question: Question, selected: list[int], text: str) -> Decimal | None:
    """Choice questions: full points for exactly the correct choices (multiple: all or nothing), else 0.
    Short answers wait for a supervisor (None), unless left blank."""
    if question.kind == QuestionKind.SHORT:
        return None if text else Decimal(0)
    correct = {choice.pk for choice in question.choices.all() if choice.is_correct}
    return Decimal(question.points) if set(selected) == correct else Decimal(0)


@transaction.atomic
def attempt_submit(*, attempt: Attempt, user, answers: list[dict]) -> Attempt:
    """Record the answers and grade what grades itself. Unanswered questions score 0.

    The attempt row is locked first: of two submits of one attempt, the second finds it submitted.
    """
    attempt = Attempt.objects.select_for_update().get(pk=attempt.pk)
    if attempt.user_id != user.pk:
        raise PermissionDenied(_("Only the person taking the quiz submits it."))
    if attempt.status != AttemptStatus.IN_PROGRESS:
        raise ValidationError({"status": _("This attempt was already submitted.")})
    questions = {
        question.pk: question
        for question in Question.objects.filter(pk__in=attempt.question_order).prefetch_related("choices")
    }
    if not isinstance(answers, list | tuple):
        raise ValidationError({"answers": _("Send the answers as a list.")})
    errors: dict[str, str] = {}
    given: dict[int, tuple[list[int], str]] = {}
    for index, raw in enumerate(answers):
        parsed = _answer_for(f"answers[{index}]", raw, questions, errors)
        if parsed is None:
            continue
        question_id, selected, text = parsed
        if question_id in given:
            errors[f"answers[{index}].question"] = _("This question is answered twice.")
        given[question_id] = (selected, text)
    if errors:
        raise ValidationError(errors)
    rows = []
    for question_id in attempt.question_order:
        question = questions.get(question_id)
        if question is None:
            continue
        selected, text = given.get(question_id, ([], ""))
        rows.append(
            Answer(
                attempt=attempt,
                question=question,
                selected=selected,
                text=text,
                points=auto_points(question, selected, text),
            )
        )
    Answer.objects.bulk_create(rows)
    attempt.max_score = sum((Decimal(row.question.points) for row in rows), Decimal(0))
    attempt.submitted_at = timezone.now()
    if any(row.points is None for row in rows):
        attempt.status = AttemptStatus.AWAITING_GRADING
        attempt.save(update_fields=["max_score", "submitted_at", "status", "updated_at"])
        _tell_graders(attempt)
        return attempt
    return _finalise(attempt, grader=None)


def _finalise(attempt: Attempt, *, grader) -> Attempt:
    """Score the graded attempt; when it passes, its assignment may now be complete."""
    quiz = Quiz.objects.get(pk=attempt.quiz_id)
    score = sum((answer.points for answer in Answer.objects.filter(attempt=attempt)), Decimal(0))
    attempt.score = score
    # Floored so that the percent shown never reaches the pass mark unless the score does.
    attempt.percent = (score * 100 / attempt.max_score).quantize(Decimal("0.01"), rounding=ROUND_FLOOR)
    attempt.passed = score * 100 >= quiz.pass_mark * attempt.max_score
    attempt.status = AttemptStatus.GRADED
    attempt.graded_at = timezone.now()
    attempt.graded_by = grader
    attempt.save()
    if attempt.passed and attempt.assignment_id is not None:
        assignment_refresh(attempt.assignment)
    if grader is not None:
        notifications_send(
            outgoing=[
                Outgoing(
                    recipient_id=attempt.user_id,
                    kind="training-attempt-graded",
                    message=gettext_noop("Your quiz answers were graded: %(percent)s%%"),
                    params={"percent": str(attempt.percent)},
                    link=reverse("training-attempt-detail", args=[attempt.pk]),
                    dedupe_key=f"training-attempt-graded:{attempt.pk}",
                )
            ]
        )
    return attempt


def _tell_graders(attempt: Attempt) -> None:
    """The team's supervisors and QA inspectors learn that short answers wait for them."""
    graders = Membership.objects.filter(
        team_id=attempt.team_id, active=True, role__in=[Role.SUPERVISOR, Role.QA]
    ).exclude(user_id=attempt.user_id)
    notifications_send(
        outgoing=[
            Outgoing(
                recipient_id=user_id,
                kind="training-answers-to-grade",
                message=gettext_noop("Quiz answers wait for your grading: %(quiz)s"),
                params={"quiz": str(attempt.quiz.course.title)},
                link=reverse("training-grading-queue"),
                dedupe_key=f"training-answers-to-grade:{attempt.pk}",
            )
            for user_id in set(graders.values_list("user_id", flat=True))
        ]
    )


@transaction.atomic
def answer_grade(*, answer: Answer, grader, points, feedback: str = "") -> Answer:
    """A supervisor of the attempt's team grades a short answer; the last one graded finalises the attempt.

    Sending the same grade again after that changes nothing.
    """
    attempt = Attempt.objects.select_for_update().get(pk=answer.attempt_id)
    if not policy.can_supervise_team(grader, attempt.team_id):
        raise PermissionDenied(_("Only the supervisors of the person's team grade their answers."))
    if attempt.user_id == grader.pk:
        raise PermissionDenied(_("Nobody grades their own answers."))
    answer = Answer.objects.select_related("question").get(pk=answer.pk)
    if answer.question.kind != QuestionKind.SHORT:
        raise ValidationError({"answer": _("Only short answers are graded by hand; the others grade themselves.")})
    try:
        points = Decimal(str(points)).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError):
        points = Decimal(-1)
    if not 0 <= points <= answer.question.points:
        raise ValidationError({"points": _("Give 0 to %(max)s points.") % {"max": answer.question.points}})
    feedback = (feedback or "").strip()
    if attempt.status == AttemptStatus.GRADED:
        if answer.points == points and answer.feedback == feedback:
            return answer
        raise ValidationError({"answer": _("This attempt is already graded.")})
    if attempt.status != AttemptStatus.AWAITING_GRADING:
        raise ValidationError({"answer": _("This attempt is not submitted yet.")})
    answer.points, answer.feedback = points, feedback
    answer.save(update_fields=["points", "feedback"])
    if not attempt.answers.filter(Q(points__isnull=True)).exists():
        _finalise(attempt, grader=grader)
    return answer
