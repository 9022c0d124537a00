"""Emergency models, one module per concern; each concern's models are imported here."""

from kefu.emergency.models.surges import Surge, SurgeCase  # noqa: F401  EMG-5
