"""The next-step rule and alias resolution, on hand-made roadmaps."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from bot.core.knowledge.models import Roadmap
from bot.core.roadmap.graph import RoadmapGraph, StoredStatus
from bot.core.store.models import StepStatus

DONE, SKIP, WIP, TODO = StepStatus.DONE, StepStatus.SKIPPED, StepStatus.IN_PROGRESS, StepStatus.TODO
T0 = datetime(2030, 1, 1, tzinfo=UTC)


def ids(graph: RoadmapGraph, statuses: dict[str, StepStatus], limit: int = 3) -> list[str]:
    return [s.id for s in graph.next_steps(statuses, limit)]


def test_fresh_roadmap_recommends_steps_without_prerequisites_in_order(ml_basics: Roadmap) -> None:
    graph = RoadmapGraph(ml_basics)
    assert ids(graph, {}) == ["python-basics", "math-basics"]


def test_done_prerequisite_unlocks_the_step(ml_basics: Roadmap) -> None:
    graph = RoadmapGraph(ml_basics)
    assert ids(graph, {"python-basics": DONE}) == ["math-basics", "numpy-pandas"]
    # first-model needs both numpy-pandas and math-basics.
    assert "first-model" not in ids(graph, {"python-basics": DONE, "numpy-pandas": DONE}, limit=10)
    assert ids(graph, {"python-basics": DONE, "numpy-pandas": DONE, "math-basics": SKIP}) == ["first-model"]


def test_in_progress_comes_first_then_roadmap_order(ml_basics: Roadmap) -> None:
    graph = RoadmapGraph(ml_basics)
    statuses = {"python-basics": DONE, "numpy-pandas": WIP}
    assert ids(graph, statuses) == ["numpy-pandas", "math-basics"]


def test_in_progress_step_with_open_prerequisites_is_never_recommended(ml_basics: Roadmap) -> None:
    graph = RoadmapGraph(ml_basics)
    statuses = {"first-model": WIP}
    assert "first-model" not in ids(graph, statuses, limit=25)
    assert graph.open_prerequisites("first-model", statuses) == ["numpy-pandas", "math-basics"]


def test_limit_caps_the_list(build: Callable[..., Roadmap]) -> None:
    wide = build("wide", [(f"s{i}", []) for i in range(10)])
    graph = RoadmapGraph(wide)
    assert ids(graph, {}) == ["s0", "s1", "s2"]
    assert len(ids(graph, {}, limit=25)) == 10
    assert ids(graph, {}, limit=0) == []


def test_linear_chain_walks_one_step_at_a_time(build: Callable[..., Roadmap]) -> None:
    chain = build("chain", [("a", []), ("b", ["a"]), ("c", ["b"]), ("d", ["c"])])
    graph = RoadmapGraph(chain)
    statuses: dict[str, StepStatus] = {}
    walked = []
    while not graph.is_complete(statuses):
        (step,) = graph.next_steps(statuses)
        walked.append(step.id)
        statuses[step.id] = DONE
    assert walked == ["a", "b", "c", "d"]
    assert graph.next_steps(statuses) == []


def test_diamond_needs_both_branches(build: Callable[..., Roadmap]) -> None:
    diamond = build("diamond", [("top", []), ("left", ["top"]), ("right", ["top"]), ("bottom", ["left", "right"])])
    graph = RoadmapGraph(diamond)
    assert ids(graph, {"top": DONE}) == ["left", "right"]
    assert ids(graph, {"top": DONE, "left": DONE}) == ["right"]
    assert ids(graph, {"top": DONE, "left": DONE, "right": SKIP}) == ["bottom"]


def test_order_need_not_be_topological(build: Callable[..., Roadmap]) -> None:
    # The listing puts a dependent step first; the rule still waits for its prerequisite.
    odd = build("odd", [("advanced", ["basic"]), ("basic", [])])
    graph = RoadmapGraph(odd)
    assert ids(graph, {}) == ["basic"]
    assert ids(graph, {"basic": DONE}) == ["advanced"]


def test_open_ancestors_stop_at_closed_steps(build: Callable[..., Roadmap]) -> None:
    chain = build("chain", [("a", []), ("b", ["a"]), ("c", ["b"]), ("d", ["c"])])
    graph = RoadmapGraph(chain)
    assert graph.open_ancestors("d", {}) == ["a", "b", "c"]
    assert graph.open_ancestors("d", {"b": DONE}) == ["c"]
    assert graph.open_ancestors("a", {}) == []


def test_aliases_resolve_and_carry_statuses(build: Callable[..., Roadmap]) -> None:
    renamed = build("r", [("intro", []), ("pandas", ["intro"])], aliases={"pandas": ["numpy", "dataframes"]})
    graph = RoadmapGraph(renamed)
    assert graph.resolve("numpy") == "pandas"
    assert graph.resolve("pandas") == "pandas"
    assert graph.resolve("gone") is None
    rows = [
        StoredStatus("numpy", DONE, T0),
        StoredStatus("dataframes", WIP, T0 + timedelta(days=1)),
        StoredStatus("vanished-step", DONE, T0),
    ]
    current = graph.current_statuses(rows)
    # The newest former id wins; the vanished step maps to nothing.
    assert {k: v.status for k, v in current.items()} == {"pandas": WIP}
    # A row under the current id beats any former id.
    current = graph.current_statuses([*rows, StoredStatus("pandas", SKIP, T0 - timedelta(days=9))])
    assert current["pandas"].status is SKIP


def test_prerequisite_named_by_former_id_is_followed(build: Callable[..., Roadmap]) -> None:
    roadmap = build("r", [("python", []), ("pandas", ["py"])], aliases={"python": ["py"]})
    graph = RoadmapGraph(roadmap)
    assert graph.prerequisites["pandas"] == ["python"]
    assert ids(graph, {}) == ["python"]


def test_status_closed() -> None:
    assert DONE.closed and SKIP.closed
    assert not WIP.closed and not TODO.closed
