"""kefu 客服运营平台 — customer-service operations platform."""

__version__ = "0.1.0"
