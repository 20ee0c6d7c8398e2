"""Signals other apps (plans) and other training areas (onboarding) listen to; training never imports them.

assignments_created(sender=Assignment, assignments=[...]): after new assignments are committed to the
    database (sent from transaction.on_commit), so listeners see them.
assignment_completed(sender=Assignment, assignment=...): sent inside the transaction that completed it.
"""

from django.dispatch import Signal

assignments_created = Signal()
assignment_completed = Signal()
