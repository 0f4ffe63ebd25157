"""Turn a roadmap and a member's statuses into the result models. Pure: no store, no clock."""

from __future__ import annotations

import math
from collections.abc import Mapping
from datetime import date

from bot.core.knowledge.models import Roadmap, RoadmapStep
from bot.core.roadmap.graph import RoadmapGraph, StatusMap, StoredStatus
from bot.core.roadmap.schemas import (
    NextStep,
    NextSteps,
    Progress,
    RoadmapInfo,
    RoadmapRef,
    StageProgress,
    StageView,
    StepOutline,
    StepRef,
    StepState,
)
from bot.core.store.models import StepStatus


def step_ref(step: RoadmapStep) -> StepRef:
    return StepRef(id=step.id, title=step.title)


def roadmap_ref(roadmap: Roadmap) -> RoadmapRef:
    return RoadmapRef(id=roadmap.id, title=roadmap.title)


def roadmap_info(roadmap: Roadmap) -> RoadmapInfo:
    return RoadmapInfo(
        id=roadmap.id,
        title=roadmap.title,
        summary=roadmap.summary,
        stages=[StepRef(id=s.id, title=s.title) for s in roadmap.stages],
        steps=[
            StepOutline(
                id=s.id,
                title=s.title,
                stage=s.stage,
                prerequisites=list(s.prerequisites),
                effort_hours=s.effort_hours,
            )
            for s in roadmap.steps
        ],
        total_hours=sum(s.effort_hours for s in roadmap.steps),
    )


def _percent(part: int, whole: int) -> float:
    return round(100.0 * part / whole, 1) if whole else 100.0


def _titles(graph: RoadmapGraph, ids: list[str]) -> str:
    names = [graph.by_id[i].title for i in ids]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def why_next(graph: RoadmapGraph, step: RoadmapStep, status: StepStatus) -> str:
    """One sentence on why this step comes now: what it builds on, or that it starts from scratch."""
    pres = graph.prerequisites[step.id]
    if status is StepStatus.IN_PROGRESS:
        return "You have started it." + (f" It builds on {_titles(graph, pres)}." if pres else "")
    if pres:
        return f"It builds on {_titles(graph, pres)}, which you have finished."
    return "A starting point: it needs nothing else first."


def next_steps(
    graph: RoadmapGraph,
    statuses: StatusMap,
    limit: int,
    other_roadmaps: list[RoadmapRef],
    notes: Mapping[str, str] | None = None,
) -> NextSteps:
    stage_titles = {s.id: s.title for s in graph.roadmap.stages}
    chosen = graph.next_steps(statuses, limit)
    complete = graph.is_complete(statuses)
    return NextSteps(
        roadmap_id=graph.roadmap.id,
        roadmap_title=graph.roadmap.title,
        steps=[
            NextStep(
                id=s.id,
                title=s.title,
                summary=s.summary,
                stage=s.stage,
                stage_title=stage_titles.get(s.stage, s.stage),
                status=graph.status(statuses, s.id),
                prerequisites=list(graph.prerequisites[s.id]),
                builds_on=[step_ref(graph.by_id[p]) for p in graph.prerequisites[s.id]],
                why=why_next(graph, s, graph.status(statuses, s.id)),
                learn=list(s.learn),
                done_when=list(s.done_when),
                articles=list(s.articles),
                effort_hours=s.effort_hours,
                note=(notes or {}).get(s.id),
            )
            for s in chosen
        ],
        complete=complete,
        remaining=len(graph.open_steps(statuses)),
        other_roadmaps=other_roadmaps if complete else [],
    )


def step_states(graph: RoadmapGraph, rows: Mapping[str, StoredStatus]) -> list[StepState]:
    statuses = graph.status_map(rows)
    states: list[StepState] = []
    for step in graph.steps:
        row = rows.get(step.id)
        states.append(
            StepState(
                id=step.id,
                title=step.title,
                stage=step.stage,
                status=graph.status(statuses, step.id),
                prerequisites=list(graph.prerequisites[step.id]),
                open_prerequisites=graph.open_prerequisites(step.id, statuses),
                effort_hours=step.effort_hours,
                ready=graph.is_ready(step.id, statuses),
                started_at=row.started_at if row else None,
                completed_at=row.completed_at if row else None,
            )
        )
    return states


def stage_groups(graph: RoadmapGraph, states: list[StepState]) -> list[StageView]:
    """Steps grouped by stage, in the roadmap's stage order (unknown stages last, under their id)."""
    titles = {s.id: s.title for s in graph.roadmap.stages}
    order = [s.id for s in graph.roadmap.stages]
    order += [st.stage for st in states if st.stage not in titles and st.stage not in order]
    groups = {stage: [st for st in states if st.stage == stage] for stage in order}
    return [StageView(id=stage, title=titles.get(stage, stage), steps=steps) for stage, steps in groups.items()]


def progress(graph: RoadmapGraph, rows: Mapping[str, StoredStatus], target_date: date | None, today: date) -> Progress:
    states = step_states(graph, rows)
    closed = [st for st in states if st.status.closed]
    remaining = sum(st.effort_hours for st in states if not st.status.closed)
    days_left = (target_date - today).days if target_date else None
    overdue = days_left is not None and days_left < 0 and remaining > 0
    pace: float | None = None
    if days_left is not None and not overdue:
        # Rounded up: the pace shown must be enough to make the date.
        pace = math.ceil(round(remaining * 70 / max(days_left, 1), 6)) / 10
    stages = [
        StageProgress(
            id=group.id,
            title=group.title,
            done=sum(st.status.closed for st in group.steps),
            total=len(group.steps),
            percent=_percent(sum(st.status.closed for st in group.steps), len(group.steps)),
        )
        for group in stage_groups(graph, states)
        if group.steps
    ]
    return Progress(
        roadmap_id=graph.roadmap.id,
        roadmap_title=graph.roadmap.title,
        done=len(closed),
        skipped=sum(st.status is StepStatus.SKIPPED for st in states),
        in_progress=sum(st.status is StepStatus.IN_PROGRESS for st in states),
        total=len(states),
        percent=_percent(len(closed), len(states)),
        remaining_hours=remaining,
        target_date=target_date,
        days_left=days_left,
        hours_per_week=pace,
        overdue=overdue,
        stages=stages,
        steps=states,
    )
