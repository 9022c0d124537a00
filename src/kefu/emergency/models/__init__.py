"""Emergency models, one module per concern; each concern's models are imported here."""
