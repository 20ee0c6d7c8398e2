"""When an assignment is complete: every material of the course done and, if the course has a quiz, an
attempt made for this assignment passed. Shared by the course pages (materials) and the quizzes."""

from django.db import transaction
from django.utils import timezone

from training.models import Assignment, Material, MaterialProgress, Quiz
from training.signals import assignment_completed


def assignment_is_complete(assignment: Assignment) -> bool:
    materials = Material.objects.filter(course_id=assignment.course_id).count()
    done = MaterialProgress.objects.filter(assignment=assignment).count()
    if done < materials:
        return False
    quiz = Quiz.objects.filter(course_id=assignment.course_id).first()
    return quiz is None or assignment.attempts.filter(quiz=quiz, passed=True).exists()


@transaction.atomic
def assignment_refresh(assignment: Assignment) -> bool:
    """Complete the assignment if it now is (once: completion is never undone). Returns whether it is complete."""
    assignment = Assignment.objects.select_for_update().get(pk=assignment.pk)
    if assignment.completed_at is not None:
        return True
    if not assignment_is_complete(assignment):
        return False
    assignment.completed_at = timezone.now()
    assignment.save(update_fields=["completed_at", "updated_at"])
    assignment_completed.send(sender=Assignment, assignment=assignment)
    return True
