"""The service suite: ``service`` and ``clock`` come from tests/conftest.py (every backend)."""
