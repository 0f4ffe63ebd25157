"""Property tests on generated DAGs: the rule never recommends a blocked step, and following it finishes."""

from __future__ import annotations

import functools
import itertools
from datetime import UTC, datetime

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine

from bot.core.knowledge.models import Roadmap
from bot.core.roadmap.graph import RoadmapGraph
from bot.core.roadmap.service import RoadmapService
from bot.core.store.db import make_engine, migrate
from bot.core.store.models import StepStatus

CLOSING = [StepStatus.DONE, StepStatus.SKIPPED]


@st.composite
def dags(draw: st.DrawFn, max_steps: int = 12) -> Roadmap:
    """A roadmap whose prerequisites form a random DAG, listed in a random (not necessarily topological) order."""
    n = draw(st.integers(min_value=1, max_value=max_steps))
    names = [f"step-{i}" for i in range(n)]
    prerequisites = [draw(st.lists(st.sampled_from(names[:i]), unique=True, max_size=3)) if i else [] for i in range(n)]
    order = draw(st.permutations(range(n)))
    return Roadmap.model_validate(
        {
            "id": "generated",
            "title": "Generated",
            "summary": "A generated roadmap.",
            "stages": [{"id": "only", "title": "Only"}],
            "steps": [
                {
                    "id": names[i],
                    "title": f"Step {i}",
                    "stage": "only",
                    "summary": "s",
                    "prerequisites": prerequisites[i],
                    "learn": ["x"],
                    "done_when": ["y"],
                    "effort_hours": 1 + i % 5,
                }
                for i in order
            ],
        }
    )


def initial_statuses(roadmap: Roadmap) -> st.SearchStrategy[dict[str, StepStatus]]:
    return st.dictionaries(st.sampled_from([s.id for s in roadmap.steps]), st.sampled_from(list(StepStatus)))


def check_recommendations(graph: RoadmapGraph, statuses: dict[str, StepStatus], limit: int) -> list[str]:
    chosen = graph.next_steps(statuses, limit)
    assert len(chosen) <= limit
    for step in chosen:
        assert not graph.status(statuses, step.id).closed
        assert graph.open_prerequisites(step.id, statuses) == [], "recommended a step with open prerequisites"
        for pre in step.prerequisites:
            assert graph.status(statuses, pre).closed
    # In-progress steps come first, and each group keeps roadmap order.
    flags = [graph.status(statuses, s.id) is StepStatus.IN_PROGRESS for s in chosen]
    assert flags == sorted(flags, reverse=True)
    position = {s.id: i for i, s in enumerate(graph.steps)}
    for group in (True, False):
        positions = [position[s.id] for s, f in zip(chosen, flags, strict=True) if f is group]
        assert positions == sorted(positions)
    return [s.id for s in chosen]


@settings(max_examples=200, deadline=None)
@given(data=st.data(), roadmap=dags())
def test_following_recommendations_completes_any_dag(data: st.DataObject, roadmap: Roadmap) -> None:
    graph = RoadmapGraph(roadmap)
    statuses = data.draw(initial_statuses(roadmap))
    limit = data.draw(st.integers(min_value=1, max_value=5))
    for _ in range(len(roadmap.steps) + 1):
        chosen = check_recommendations(graph, statuses, limit)
        if graph.is_complete(statuses):
            assert chosen == []
            break
        assert chosen, "an unfinished DAG always has a ready step"
        pick = data.draw(st.sampled_from(chosen))
        statuses[pick] = data.draw(st.sampled_from(CLOSING))
    assert graph.is_complete(statuses)


_users = itertools.count()


@functools.cache
def shared_engine() -> Engine:
    """One store for all examples (each walks as a new member), made on first use, not at import."""
    engine = make_engine("sqlite://")
    migrate(engine)
    return engine


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data(), roadmap=dags(max_steps=8))
def test_service_walk_matches_the_rule(data: st.DataObject, roadmap: Roadmap) -> None:
    """Through the store: marking what the service recommends always ends with 'complete'."""
    service = RoadmapService(shared_engine(), lambda: [roadmap], clock=lambda: datetime(2030, 1, 1, tzinfo=UTC))
    user = f"walker-{next(_users)}"
    service.set_goal(user, roadmap.id)
    for _ in range(len(roadmap.steps) + 1):
        result = service.next_steps(user, limit=3)
        progress = service.progress(user)
        states = {s.id: s.status for s in progress.steps}
        for step in result.steps:
            assert all(states[p].closed for p in step.prerequisites)
        if result.complete:
            assert result.steps == []
            assert progress.done == progress.total and progress.percent == 100.0
            break
        pick = data.draw(st.sampled_from([s.id for s in result.steps]))
        change = service.set_status(user, pick, data.draw(st.sampled_from(CLOSING)))
        assert change.open_prerequisites == []
    assert service.next_steps(user).complete
