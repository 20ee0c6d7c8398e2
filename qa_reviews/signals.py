"""Signals other apps listen to. qa_reviews sends them and never imports the listeners.

case_training_requested: sent by `qa_reviews.cases.case_turn_into_training` with `case` and `actor`,
inside its transaction, after the case's `training_requested_at` is set. See the docstring of
qa_reviews/cases.py for the contract a receiver (the training app) follows.
"""

from django.dispatch import Signal

case_training_requested = Signal()
