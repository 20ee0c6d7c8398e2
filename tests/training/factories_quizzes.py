"""Builders for the quiz tests: a published course, a quiz through its service, answers right or wrong."""

import datetime as dt

from training.models import Assignment, Course, QuestionKind, Quiz
from training.quizzes import quiz_save

SINGLE = {
    "kind": "single",
    "text": "A parcel is late. First step?",
    "points": 2,
    "choices": [
        {"text": "Check the tracking number", "is_correct": True},
        {"text": "Refund at once", "is_correct": False},
        {"text": "Ask the customer to wait", "is_correct": False},
    ],
}
MULTIPLE = {
    "kind": "multiple",
    "text": "Which of these may be refunded without approval?",
    "points": 3,
    "choices": [
        {"text": "Shipping fee", "is_correct": True},
        {"text": "Damaged item under 50 yuan", "is_correct": True},
        {"text": "Any item", "is_correct": False},
    ],
}
TRUE_FALSE = {
    "kind": "true_false",
    "text": "We answer every chat within 30 seconds.",
    "points": 1,
    "choices": [{"text": "True", "is_correct": True}, {"text": "False", "is_correct": False}],
}
SHORT = {"kind": "short", "text": "How do you calm an angry customer?", "points": 4, "choices": []}
ALL_KINDS = [SINGLE, MULTIPLE, TRUE_FALSE, SHORT]


def make_course(team, *, title="After-sales basics", published=True, **fields) -> Course:
    return Course.objects.create(team=team, title=title, is_published=published, **fields)


def make_quiz(course, author, questions=None, **settings) -> Quiz:
    options = {"pass_mark": 80, "max_attempts": 3, "shuffle_questions": False, **settings}
    return quiz_save(course=course, actor=author, questions=questions or [SINGLE, MULTIPLE, TRUE_FALSE], **options)


def assign(course, user, team, *, due=dt.date(2026, 12, 1)) -> Assignment:
    return Assignment.objects.create(course=course, user=user, team=team, due_date=due)


def right_answer(question) -> dict:
    if question.kind == QuestionKind.SHORT:
        return {"question": question.pk, "selected": [], "text": "Listen, apologise, act."}
    correct = [choice.pk for choice in question.choices.all() if choice.is_correct]
    return {"question": question.pk, "selected": correct, "text": ""}


def wrong_answer(question) -> dict:
    if question.kind == QuestionKind.SHORT:
        return {"question": question.pk, "selected": [], "text": ""}
    wrong = [choice.pk for choice in question.choices.all() if not choice.is_correct][:1]
    return {"question": question.pk, "selected": wrong, "text": ""}


def answers_for(quiz, *, wrong=()) -> list[dict]:
    """Right answers to every question, except the questions whose text is in `wrong`."""
    return [
        wrong_answer(question) if question.text in wrong else right_answer(question)
        for question in quiz.questions.prefetch_related("choices")
    ]
