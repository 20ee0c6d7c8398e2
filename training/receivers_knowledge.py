"""Signal receivers of the training knowledge area."""
