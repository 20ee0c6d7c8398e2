"""Signal receivers of the training courses area."""
