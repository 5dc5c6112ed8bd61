"""The API suite: a TestClient over ``service`` (tests/conftest.py: every backend) and a key per role."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from clearspace.api.app import create_app
from clearspace.service.core import Service

ROLES = ("ingest", "moderator", "senior_moderator", "auditor", "admin")


@pytest.fixture
def keys(service: Service) -> dict[str, str]:
    return {role: service.admin.create_key(role, name=role)[1] for role in ROLES}


@pytest.fixture
def client(service: Service) -> Iterator[TestClient]:
    with TestClient(create_app(service)) as c:
        yield c


@pytest.fixture
def h(keys: dict[str, str]) -> dict[str, dict[str, str]]:
    """Request headers per role: ``headers=h["moderator"]``."""
    return {role: {"Authorization": f"Bearer {key}"} for role, key in keys.items()}
