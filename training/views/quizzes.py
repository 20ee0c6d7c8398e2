"""Quiz pages: the builder, taking a quiz, an attempt's result, grading short answers, the results."""

import re

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from core.forms import BootstrapFormMixin
from core.service_errors import flash_errors
from teams import policy
from training import quizzes
from training.access import can_author, visible_courses
from training.models import Answer, Attempt, AttemptStatus, Course, QuestionKind, Quiz
from training.quizzes.building import FALSE_LABEL, TRUE_LABEL, choice_label, question_specs, quiz_has_submissions
from training.quizzes.taking import attempts_for, open_assignment


def _course(request, course_id: int) -> Course:
    return get_object_or_404(visible_courses(request.user).select_related("team"), pk=course_id)


def _course_url(course: Course) -> str:
    """The course page (the courses area's), when it is there."""
    try:
        return course.get_absolute_url()
    except NoReverseMatch:
        return ""


# ---------------------------------------------------------------------------------------------- builder


class QuizSettingsForm(BootstrapFormMixin, forms.Form):
    pass_mark = forms.IntegerField(label=gettext_lazy("pass mark (%)"), min_value=1, max_value=100, initial=80)
    max_attempts = forms.IntegerField(label=gettext_lazy("attempts allowed"), min_value=1, max_value=20, initial=3)
    shuffle_questions = forms.BooleanField(
        label=gettext_lazy("shuffle the questions for each attempt"), required=False, initial=True
    )


_FIELD = re.compile(r"^q-(\d+)-(kind|text|points)$")
_CHOICE = re.compile(r"^q-(\d+)-c-(\d+)-text$")


def questions_from_post(data) -> list[dict]:
    """The questions the builder posted (q-<n>-kind/text/points, q-<n>-c-<m>-text/correct), in the order
    shown; question rows left entirely blank are dropped, and blank choices of choice questions."""
    rows: dict[int, dict] = {}
    for key in data:
        if match := _FIELD.match(key):
            rows.setdefault(int(match[1]), {"choices": {}})[match[2]] = data.get(key, "")
        elif match := _CHOICE.match(key):
            question, choice = int(match[1]), int(match[2])
            rows.setdefault(question, {"choices": {}})["choices"][choice] = {
                "text": data.get(key, "").strip(),
                "is_correct": bool(data.get(f"q-{question}-c-{choice}-correct")),
            }
    questions = []
    for index in sorted(rows):
        row = rows[index]
        kind = row.get("kind", QuestionKind.SINGLE)
        choices = [row["choices"][number] for number in sorted(row["choices"])]
        if kind == QuestionKind.SHORT:
            choices = []
        elif kind != QuestionKind.TRUE_FALSE:
            choices = [choice for choice in choices if choice["text"]]
        text = row.get("text", "").strip()
        if not text and not any(choice["text"] for choice in choices) and kind != QuestionKind.TRUE_FALSE:
            continue
        questions.append({"kind": kind, "text": text, "points": row.get("points", "1") or "1", "choices": choices})
    return questions


def _builder_rows(questions: list[dict], errors: dict[str, list[str]]) -> list[dict]:
    """Questions as the builder shows them, each with the errors that name it."""
    rows = []
    for index, question in enumerate(questions):
        prefix = f"questions[{index}]"
        rows.append(
            {
                **question,
                "index": index,
                "choices": [{**choice, "index": number} for number, choice in enumerate(question["choices"])],
                "errors": [m for key, found in errors.items() if key.startswith(prefix) for m in found],
            }
        )
    return rows


def _stored_questions(quiz: Quiz | None) -> list[dict]:
    if quiz is None:
        blank = {"text": "", "is_correct": False}
        return [{"kind": QuestionKind.SINGLE, "text": "", "points": 1, "choices": [blank] * 4}]
    return [
        {
            "kind": question.kind,
            "text": question.text,
            "points": question.points,
            "choices": [
                {"text": choice_label(question, choice, number), "is_correct": choice.is_correct}
                for number, choice in enumerate(question.choices.all())
            ],
        }
        for question in quiz.questions.prefetch_related("choices")
    ]


@login_required
@require_http_methods(["GET", "POST"])
def quiz_edit(request, course_id: int):
    course = _course(request, course_id)
    if not can_author(request.user, course.team_id):
        raise PermissionDenied
    quiz = Quiz.objects.filter(course=course).first()
    locked = quiz is not None and quiz_has_submissions(quiz)
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        form = QuizSettingsForm(request.POST)
        questions = questions_from_post(request.POST)
        if form.is_valid():
            try:
                quiz = quizzes.quiz_save(
                    course=course,
                    actor=request.user,
                    questions=None if locked else questions,
                    **form.cleaned_data,
                )
            except ValidationError as error:
                errors = error.message_dict
                for field in ("pass_mark", "max_attempts"):
                    for message in errors.get(field, []):
                        form.add_error(field, message)
            else:
                messages.success(request, _("Quiz saved."))
                return redirect("training-quiz-edit", course_id=course.pk)
        elif not locked:  # show what is wrong with the questions too, not only with the settings
            errors = {field: [message] for field, message in question_specs(questions)[1].items()}
    else:
        initial = {"pass_mark": quiz.pass_mark, "max_attempts": quiz.max_attempts} if quiz else {}
        if quiz:
            initial["shuffle_questions"] = quiz.shuffle_questions
        form = QuizSettingsForm(initial=initial)
        questions = _stored_questions(quiz)
    if locked:
        questions = _stored_questions(quiz)
    context = {
        "course": course,
        "course_url": _course_url(course),
        "quiz": quiz,
        "locked": locked,
        "form": form,
        "questions": _builder_rows(questions, errors),
        "general_errors": errors.get("questions", []),
        "blank_question": {"index": "__q__", "kind": QuestionKind.SINGLE, "text": "", "points": 1, "choices": []},
        "kinds": QuestionKind.choices,
        "true_label": TRUE_LABEL,
        "false_label": FALSE_LABEL,
    }
    return render(request, "training/quiz_edit.html", context)


# ---------------------------------------------------------------------------------------------- taking


def _posted_answers(data, attempt: Attempt) -> list[dict]:
    """Answers from the form: question-<id> (radio or checkboxes: choice ids) and question-<id>-text."""
    answers = []
    for question_id in attempt.question_order:
        selected = [value for value in data.getlist(f"question-{question_id}") if value.isdigit()]
        text = data.get(f"question-{question_id}-text", "")
        answers.append({"question": question_id, "selected": [int(value) for value in selected], "text": text})
    return answers


@login_required
@require_http_methods(["GET", "POST"])
def quiz_take(request, course_id: int):
    course = _course(request, course_id)
    quiz = get_object_or_404(Quiz.objects.select_related("course"), course=course)
    if request.method == "POST":
        try:
            if request.POST.get("intent") == "submit":
                attempt = get_object_or_404(Attempt, pk=request.POST.get("attempt") or 0, quiz=quiz, user=request.user)
                attempt = quizzes.attempt_submit(
                    attempt=attempt, user=request.user, answers=_posted_answers(request.POST, attempt)
                )
                if attempt.status == AttemptStatus.GRADED:
                    messages.success(request, _("Submitted and graded."))
                else:
                    messages.info(request, _("Submitted. Your supervisor grades the written answers."))
                return redirect("training-attempt-detail", attempt_id=attempt.pk)
            quizzes.attempt_start(quiz=quiz, user=request.user)
        except ValidationError as error:
            flash_errors(request, error)
        return redirect("training-quiz-take", course_id=course.pk)
    current = Attempt.objects.filter(quiz=quiz, user=request.user, status=AttemptStatus.IN_PROGRESS).first()
    assignment = open_assignment(course=course, user=request.user)
    same_set = attempts_for(quiz=quiz, user=request.user, assignment=assignment)
    used, passed = same_set.count(), same_set.filter(passed=True).exists()
    context = {
        "course": course,
        "course_url": _course_url(course),
        "quiz": quiz,
        "question_count": quiz.questions.count(),
        "attempt": current,
        "sheet": quizzes.attempt_sheet(attempt=current, reveal_key=False) if current else [],
        "assignment": assignment,
        "used": used,
        "passed": passed,
        "can_start": current is None and course.is_published and not passed and used < quiz.max_attempts,
        "my_attempts": Attempt.objects.filter(quiz=quiz, user=request.user).order_by("-number"),
        "is_author": can_author(request.user, course.team_id),
        "supervises": bool(policy.team_access(request.user).supervised),
    }
    return render(request, "training/quiz_take.html", context)


# ---------------------------------------------------------------------------------------- attempt, grading


@login_required
def attempt_detail(request, attempt_id: int):
    attempt = get_object_or_404(quizzes.attempt_list(user=request.user), pk=attempt_id)
    reveal = quizzes.attempt_reveals_key(user=request.user, attempt=attempt)
    is_grader = policy.can_supervise_team(request.user, attempt.team_id) and attempt.user_id != request.user.pk
    context = {
        "attempt": attempt,
        "course": attempt.quiz.course,
        "sheet": quizzes.attempt_sheet(attempt=attempt, reveal_key=reveal),
        "reveal": reveal,
        "is_owner": attempt.user_id == request.user.pk,
        "can_grade": is_grader and attempt.status == AttemptStatus.AWAITING_GRADING,
    }
    return render(request, "training/attempt_detail.html", context)


@login_required
@require_POST
def answer_grade(request, answer_id: int):
    answer = get_object_or_404(Answer.objects.filter(attempt__in=quizzes.attempt_list(user=request.user)), pk=answer_id)
    try:
        quizzes.answer_grade(
            answer=answer,
            grader=request.user,
            points=request.POST.get("points", ""),
            feedback=request.POST.get("feedback", ""),
        )
    except ValidationError as error:
        flash_errors(request, error)
    else:
        messages.success(request, _("Grade saved."))
    next_url = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        return redirect(next_url)
    return redirect("training-attempt-detail", attempt_id=answer.attempt_id)


@login_required
@require_safe
def grading_queue(request):
    if not policy.team_access(request.user).supervised:
        raise PermissionDenied
    answers = list(quizzes.grading_queue(user=request.user)[:200])
    return render(request, "training/quiz_grading_queue.html", {"answers": answers})


# ---------------------------------------------------------------------------------------------- results


@login_required
@require_safe
def quiz_results(request, course_id: int):
    course = _course(request, course_id)
    quiz = get_object_or_404(Quiz, course=course)
    if not policy.team_access(request.user).supervised:
        raise PermissionDenied
    results = quizzes.quiz_results(quiz=quiz, user=request.user)
    context = {
        "course": course,
        "course_url": _course_url(course),
        "quiz": quiz,
        "people": results.people,
        "questions": results.questions,
        "is_author": can_author(request.user, course.team_id),
        "grading_url": reverse("training-grading-queue"),
    }
    return render(request, "training/quiz_results.html", context)
