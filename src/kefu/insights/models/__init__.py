"""The insights app's tables, one module per concern."""

from kefu.insights.models.kpis import COUNTERS, CaseFact, DailyFact, FactCursor

__all__ = ["COUNTERS", "CaseFact", "DailyFact", "FactCursor"]
