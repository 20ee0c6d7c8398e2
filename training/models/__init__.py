"""Training: courses and their materials, assignments with progress, quizzes and attempts, periodic
assessments, the knowledge base, onboarding checklists and career levels (one module each)."""

from training.models.career import (
    CareerLevel,
)
from training.models.courses import (
    AssessmentSchedule,
    Assignment,
    Course,
    Frequency,
    Material,
    MaterialKind,
    MaterialProgress,
)
from training.models.knowledge import (
    Article,
    ArticleCategory,
    ArticleKind,
    ArticleRead,
    ArticleStatus,
    ArticleVersion,
)
from training.models.onboarding import (
    Onboarding,
    OnboardingStep,
    OnboardingStepDone,
    OnboardingTemplate,
    StepKind,
)
from training.models.quizzes import (
    Answer,
    Attempt,
    AttemptStatus,
    Choice,
    Question,
    QuestionKind,
    Quiz,
)

__all__ = [
    "Answer",
    "Article",
    "ArticleCategory",
    "ArticleKind",
    "ArticleRead",
    "ArticleStatus",
    "ArticleVersion",
    "AssessmentSchedule",
    "Assignment",
    "Attempt",
    "AttemptStatus",
    "CareerLevel",
    "Choice",
    "Course",
    "Frequency",
    "Material",
    "MaterialKind",
    "MaterialProgress",
    "Onboarding",
    "OnboardingStep",
    "OnboardingStepDone",
    "OnboardingTemplate",
    "Question",
    "QuestionKind",
    "Quiz",
    "StepKind",
]
