"""Signal receivers of the training app, one module per area (connected in TrainingConfig.ready)."""

from training import receivers_courses, receivers_knowledge, receivers_onboarding  # noqa: F401
