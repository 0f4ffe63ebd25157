"""Fixtures for the roadmap engine: roadmaps built in code or read from tests/fixtures, and stores on both engines."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path

import pytest
import yaml
from pg_server.fixtures import engine, store_kind
from sqlalchemy import Engine

from bot.core.knowledge.models import Roadmap
from bot.core.roadmap.service import RoadmapService

# The roadmap service tests run on both store engines: SQLite and a real PostgreSQL server.
__all__ = ["engine", "store_kind"]

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "roadmaps"
NOW = datetime(2030, 1, 1, 12, 0, tzinfo=UTC)


def load_fixture(name: str) -> Roadmap:
    return Roadmap.model_validate(yaml.safe_load((FIXTURES / f"{name}.yaml").read_text(encoding="utf-8")))


def build_roadmap(
    roadmap_id: str,
    steps: Sequence[tuple[str, Sequence[str]]],
    *,
    aliases: dict[str, list[str]] | None = None,
    hours: int = 5,
    title: str | None = None,
) -> Roadmap:
    """A roadmap from (step id, prerequisites) pairs, in the order given, all in one stage."""
    return Roadmap.model_validate(
        {
            "id": roadmap_id,
            "title": title or roadmap_id.replace("-", " ").title(),
            "summary": f"Test roadmap {roadmap_id}.",
            "stages": [{"id": "main", "title": "Main"}],
            "steps": [
                {
                    "id": step_id,
                    "title": step_id.replace("-", " ").capitalize(),
                    "stage": "main",
                    "summary": f"Learn {step_id}.",
                    "prerequisites": list(pres),
                    "learn": [f"{step_id} things"],
                    "done_when": [f"you know {step_id}"],
                    "effort_hours": hours,
                    "aliases": (aliases or {}).get(step_id, []),
                }
                for step_id, pres in steps
            ],
        }
    )


@pytest.fixture
def ml_basics() -> Roadmap:
    return load_fixture("ml-basics")


@pytest.fixture
def data_basics() -> Roadmap:
    return load_fixture("data-basics")


@pytest.fixture
def make_service(engine: Engine) -> Callable[..., RoadmapService]:
    """make_service(roadmap, ...) or make_service(holder_list): the callable is consulted on every call."""

    def factory(*roadmaps: Roadmap | list[Roadmap], now: datetime = NOW) -> RoadmapService:
        if len(roadmaps) == 1 and isinstance(roadmaps[0], list):
            holder = roadmaps[0]
            return RoadmapService(engine, lambda: list(holder), clock=lambda: now)
        fixed = [r for r in roadmaps if isinstance(r, Roadmap)]
        return RoadmapService(engine, lambda: fixed, clock=lambda: now)

    return factory


@pytest.fixture
def build() -> Callable[..., Roadmap]:
    """The roadmap builder, as a fixture (test modules do not import conftest)."""
    return build_roadmap
