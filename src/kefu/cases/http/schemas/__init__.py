"""Request and response models of the case API, one module per concern (`http/<concern>.py`)."""
