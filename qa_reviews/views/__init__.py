"""QA pages, one module per topic."""
