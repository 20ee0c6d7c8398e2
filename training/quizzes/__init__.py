"""Quizzes: building them, taking them (attempts, grading) and reading their results.

building   quiz_save and the question rules
taking     attempt_start, attempt_submit, answer_grade
selectors  quiz_list, attempt_list, attempt_sheet, quiz_results, grading_queue
"""

from training.quizzes.building import quiz_save
from training.quizzes.selectors import (
    attempt_list,
    attempt_reveals_key,
    attempt_sheet,
    grading_queue,
    quiz_list,
    quiz_results,
    results_by_person,
    results_by_question,
    reveals_answer_key,
)
from training.quizzes.taking import answer_grade, attempt_start, attempt_submit

__all__ = [
    "answer_grade",
    "attempt_list",
    "attempt_reveals_key",
    "attempt_sheet",
    "attempt_start",
    "attempt_submit",
    "grading_queue",
    "quiz_list",
    "quiz_results",
    "quiz_save",
    "results_by_person",
    "results_by_question",
    "reveals_answer_key",
]
