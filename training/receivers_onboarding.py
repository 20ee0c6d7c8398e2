"""Signal receivers of the training onboarding area."""
