"""RoadmapService over an in-memory store: goals, statuses, next steps, progress, and bad input."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest

from bot.core.errors import InvalidInput, NotFound, RoadmapBotError
from bot.core.knowledge.models import Roadmap
from bot.core.members import MemberData
from bot.core.roadmap.errors import NoGoal, NoRoadmaps, RoadmapGone, StepOnOtherRoadmap
from bot.core.roadmap.service import RoadmapService, parse_target_date
from bot.core.store.models import StepStatus

Factory = Callable[..., RoadmapService]
DONE, SKIP, WIP, TODO = StepStatus.DONE, StepStatus.SKIPPED, StepStatus.IN_PROGRESS, StepStatus.TODO


def statuses(service: RoadmapService, user: str) -> dict[str, StepStatus]:
    return {s.id: s.status for s in service.progress(user).steps}


# Goals


def test_no_goal_with_several_roadmaps_explains_what_to_do(
    make_service: Factory, ml_basics: Roadmap, data_basics: Roadmap
) -> None:
    service = make_service(ml_basics, data_basics)
    with pytest.raises(NoGoal) as err:
        service.next_steps("alice")
    assert "ml-basics" in str(err.value) and "data-basics" in str(err.value)
    assert [r.id for r in err.value.roadmaps] == ["ml-basics", "data-basics"]
    with pytest.raises(NoGoal):
        service.set_status("alice", "python-basics", DONE)
    assert service.active_goal("alice") is None


def test_messages_name_no_adapters_command(engine: object, ml_basics: Roadmap, data_basics: Roadmap) -> None:
    """Each adapter says how to choose a goal in its own words; the core's message names no command."""
    service = RoadmapService(engine, lambda: [ml_basics, data_basics])  # type: ignore[arg-type]
    with pytest.raises(NoGoal) as err:
        service.next_steps("alice")
    assert "`" not in str(err.value) and "goal set" not in str(err.value) and "/roadmap" not in str(err.value)


def test_a_member_without_a_goal_is_told_so_and_marking_a_step_chooses_the_only_roadmap(
    make_service: Factory, ml_basics: Roadmap
) -> None:
    service = make_service(ml_basics)
    for read in (service.next_steps, service.progress, service.show):
        with pytest.raises(NoGoal):  # not an empty 0% roadmap
            read("bob")
    assert service.active_goal("bob") is None and service.list_goals("bob") == []  # reading writes nothing
    change = service.set_status("bob", "python-basics", DONE)
    assert change.goal_created
    goal = service.active_goal("bob")
    assert goal is not None and goal.roadmap_id == "ml-basics" and goal.active


def test_no_roadmaps_at_all(make_service: Factory) -> None:
    with pytest.raises(NoRoadmaps):
        make_service().next_steps("carol")
    with pytest.raises(NoRoadmaps):
        make_service().set_goal("carol", "ml-basics")


def test_set_goal_and_switch_keep_progress(make_service: Factory, ml_basics: Roadmap, data_basics: Roadmap) -> None:
    service = make_service(ml_basics, data_basics)
    first = service.set_goal("dave", "ml-basics", target_date=date(2030, 6, 1), note="evenings")
    assert first.created and first.previous_active is None
    service.set_status("dave", "python-basics", DONE)
    second = service.set_goal("dave", "data-basics")
    assert second.previous_active == "ml-basics"
    assert service.next_steps("dave").roadmap_id == "data-basics"
    back = service.switch_goal("dave", "ml-basics")
    assert not back.created and back.goal.target_date == date(2030, 6, 1) and back.goal.note == "evenings"
    assert statuses(service, "dave")["python-basics"] is DONE
    goals = service.list_goals("dave")
    assert [g.roadmap_id for g in goals if g.active] == ["ml-basics"]
    assert len(goals) == 2


def test_set_goal_again_changes_only_what_is_given(make_service: Factory, ml_basics: Roadmap) -> None:
    """The same on every adapter: choosing a goal you had brings it back as it was; given fields change."""
    service = make_service(ml_basics)
    service.set_goal("erin", "ml-basics", target_date=date(2030, 6, 1), note="n")
    change = service.set_goal("erin", "ML Basics")  # by title, loosely
    assert not change.created and change.goal.target_date == date(2030, 6, 1) and change.goal.note == "n"
    change = service.set_goal("erin", "ml-basics", target_date="2030-07-01")
    assert change.goal.target_date == date(2030, 7, 1) and change.goal.note == "n"
    change = service.set_goal("erin", "ml-basics", target_date=None, note=None)  # None clears
    assert change.goal.target_date is None and change.goal.note is None


def test_string_dates_are_parsed(make_service: Factory, ml_basics: Roadmap) -> None:
    service = make_service(ml_basics)
    assert service.set_goal("fay", "ml-basics", target_date="2030-03-01").goal.target_date == date(2030, 3, 1)


@pytest.mark.parametrize("text", ["2030-13-01", "tomorrow", "2030-1-1", "20300101", "", "2030-02-30", "٢٠٣٠-٠١-٠١"])
def test_malformed_dates_are_refused(text: str) -> None:
    with pytest.raises(InvalidInput, match="YYYY-MM-DD"):
        parse_target_date(text)


def test_target_date_in_the_past_or_far_future(make_service: Factory, ml_basics: Roadmap) -> None:
    service = make_service(ml_basics)
    with pytest.raises(InvalidInput, match="past"):
        service.set_goal("gus", "ml-basics", target_date=date(2029, 12, 31))
    with pytest.raises(InvalidInput, match="years"):
        service.set_goal("gus", "ml-basics", target_date=date(2099, 1, 1))
    assert service.set_goal("gus", "ml-basics", target_date=date(2030, 1, 1)).goal.target_date == date(2030, 1, 1)


def test_notes_are_bounded_and_cleaned(make_service: Factory, ml_basics: Roadmap) -> None:
    service = make_service(ml_basics)
    with pytest.raises(InvalidInput, match="500"):
        service.set_goal("hal", "ml-basics", note="x" * 501)
    with pytest.raises(InvalidInput, match="control"):
        service.set_goal("hal", "ml-basics", note="bell\x07")
    odd = "  e\u0301t\u00e9 🚀 — ‮rtl‬ *bold* @everyone\nline two  "
    goal = service.set_goal("hal", "ml-basics", note=odd).goal
    assert goal.note == odd.strip().replace("e\u0301", "\u00e9")
    assert service.set_goal("hal", "ml-basics", note="   ").goal.note is None


@pytest.mark.parametrize("user", ["", "   ", "u" * 101, "tab\tname", "nul\x00"])
def test_bad_user_ids_are_refused(make_service: Factory, engine: object, ml_basics: Roadmap, user: str) -> None:
    service = make_service(ml_basics)
    members = MemberData(engine)
    for call in (
        lambda: service.next_steps(user),
        lambda: service.set_goal(user, "ml-basics"),
        lambda: members.export(user),
        lambda: members.forget(user),
    ):
        with pytest.raises(InvalidInput):
            call()
    assert service.search_steps(user, "py") == []


def test_odd_but_valid_user_ids_are_opaque(make_service: Factory, engine: object, ml_basics: Roadmap) -> None:
    service = make_service(ml_basics)
    for user in ["123456789012345678", "ünïcødé-名前", "u" * 100, "'; DROP TABLE goal; --"]:
        service.set_status(user, "python-basics", DONE)
        assert statuses(service, user)["python-basics"] is DONE
        assert MemberData(engine).export(user)["user_id"] == user  # type: ignore[arg-type]


# Unknown ids


def test_unknown_roadmap_suggests_close_ids_and_titles(
    make_service: Factory, ml_basics: Roadmap, data_basics: Roadmap
) -> None:
    service = make_service(ml_basics, data_basics)
    with pytest.raises(NotFound) as err:
        service.set_goal("ivy", "ml-basic")
    assert err.value.suggestions[0] == "ml-basics"
    with pytest.raises(NotFound) as err:
        service.set_goal("ivy", "Data Basic")
    assert "data-basics" in err.value.suggestions
    with pytest.raises(InvalidInput):
        service.set_goal("ivy", "  ")


def test_unknown_step_suggests_close_ids_and_titles(make_service: Factory, ml_basics: Roadmap) -> None:
    service = make_service(ml_basics)
    with pytest.raises(NotFound) as err:
        service.set_status("jo", "pyton-basics", DONE)
    assert err.value.suggestions[0] == "python-basics"
    assert "Did you mean: python-basics" in str(err.value)
    with pytest.raises(NotFound) as err:
        service.set_status("jo", "model evaluatoin", DONE)
    assert "model-evaluation" in err.value.suggestions
    with pytest.raises(NotFound) as err:
        service.set_status("jo", "x" * 5000, DONE)
    assert len(str(err.value)) < 200
    with pytest.raises(InvalidInput):
        service.set_status("jo", "", DONE)
    with pytest.raises(InvalidInput):
        service.set_status("jo", "python-basics", "finished")


def test_step_of_another_roadmap_says_how_to_switch(
    make_service: Factory, ml_basics: Roadmap, data_basics: Roadmap
) -> None:
    service = make_service(ml_basics, data_basics)
    service.set_goal("kai", "ml-basics")
    with pytest.raises(StepOnOtherRoadmap) as err:  # each adapter says how to switch, in its own commands
        service.set_status("kai", "sql-joins", DONE)
    assert (err.value.step_id, err.value.roadmap_id, err.value.active_roadmap_id) == (
        "sql-joins",
        "data-basics",
        "ml-basics",
    )
    assert isinstance(err.value, InvalidInput)


def test_steps_are_found_by_title_and_former_id(make_service: Factory, ml_basics: Roadmap) -> None:
    service = make_service(ml_basics)
    assert service.set_status("kim", "Python Basics", DONE).step.id == "python-basics"
    assert service.set_status("kim", "numpy", WIP).step.id == "numpy-pandas"  # an alias
    assert service.set_status("kim", " First-Model ", "start").step.id == "first-model"


# Status transitions


def test_status_transitions_and_timestamps(make_service: Factory, ml_basics: Roadmap) -> None:
    service = make_service(ml_basics)
    user = "lee"
    first = service.set_status(user, "python-basics", "start")
    assert (first.previous, first.status, first.changed) == (TODO, WIP, True)
    again = service.set_status(user, "python-basics", WIP)
    assert not again.changed
    done = service.set_status(user, "python-basics", DONE)
    assert (done.previous, done.status) == (WIP, DONE)
    state = next(s for s in service.progress(user).steps if s.id == "python-basics")
    assert state.started_at is not None and state.completed_at is not None
    skipped = service.set_status(user, "python-basics", SKIP)
    assert skipped.previous is DONE
    undone = service.undo(user, "python-basics")
    assert (undone.previous, undone.status) == (SKIP, TODO)
    state = next(s for s in service.progress(user).steps if s.id == "python-basics")
    assert state.status is TODO and state.started_at is None and state.completed_at is None
    assert service.undo(user, "math-basics").changed is False


def test_done_with_open_prerequisites_is_allowed_and_reported(make_service: Factory, ml_basics: Roadmap) -> None:
    service = make_service(ml_basics)
    change = service.set_status("max", "first-model", DONE)
    assert change.changed and change.status is DONE
    assert [s.id for s in change.open_prerequisites] == ["python-basics", "math-basics", "numpy-pandas"]
    assert change.open_prerequisites[0].title == "Python basics"
    assert change.also_done == []
    # Nothing recommended has an open prerequisite; the skipped-over steps are still offered.
    assert [s.id for s in service.next_steps("max").steps] == ["python-basics", "math-basics", "model-evaluation"]


def test_with_prerequisites_marks_them_done(make_service: Factory, ml_basics: Roadmap) -> None:
    service = make_service(ml_basics)
    service.set_status("ned", "math-basics", SKIP)
    change = service.set_status("ned", "first-model", DONE, with_prerequisites=True)
    assert [s.id for s in change.also_done] == ["python-basics", "numpy-pandas"]
    assert change.open_prerequisites == []
    assert statuses(service, "ned") == {
        "python-basics": DONE,
        "math-basics": SKIP,
        "numpy-pandas": DONE,
        "first-model": DONE,
        "model-evaluation": TODO,
    }


# Next steps and progress


def test_next_steps_explain_why_and_what_to_read(make_service: Factory, ml_basics: Roadmap) -> None:
    service = make_service(ml_basics)
    for done in ("python-basics", "numpy-pandas", "math-basics"):
        service.set_status("oli", done, DONE)
    result = service.next_steps("oli")
    (step,) = result.steps
    assert step.id == "first-model" and step.articles == ["fixture-article"]
    assert [b.id for b in step.builds_on] == ["numpy-pandas", "math-basics"]
    assert "NumPy and pandas" in step.why and "Math basics" in step.why
    assert step.learn and step.done_when and step.summary
    assert result.remaining == 2 and not result.complete


def test_complete_roadmap_suggests_another(make_service: Factory, ml_basics: Roadmap, data_basics: Roadmap) -> None:
    service = make_service(ml_basics, data_basics)
    service.set_goal("pat", "data-basics")
    service.set_status("pat", "sql-joins", DONE, with_prerequisites=True)
    result = service.next_steps("pat")
    assert result.complete and result.steps == [] and result.remaining == 0
    assert [r.id for r in result.other_roadmaps] == ["ml-basics"]


def test_progress_counts_stages_effort_and_pace(make_service: Factory, ml_basics: Roadmap) -> None:
    service = make_service(ml_basics)  # clock: 2030-01-01
    service.set_goal("quinn", "ml-basics", target_date=date(2030, 1, 29))  # 4 weeks away
    service.set_status("quinn", "python-basics", DONE)  # 20 h
    service.set_status("quinn", "math-basics", SKIP)  # 30 h
    service.set_status("quinn", "numpy-pandas", WIP)  # 15 h
    p = service.progress("quinn")
    assert (p.done, p.skipped, p.in_progress, p.total, p.percent) == (2, 1, 1, 5, 40.0)
    assert p.remaining_hours == 15 + 10 + 8
    assert p.days_left == 28 and p.hours_per_week == 8.3 and not p.overdue
    assert [(s.id, s.done, s.total) for s in p.stages] == [("foundations", 2, 3), ("modelling", 0, 2)]
    assert p.stages[0].percent == 66.7


def test_progress_overdue(make_service: Factory, ml_basics: Roadmap) -> None:
    early = make_service(ml_basics)
    early.set_goal("rae", "ml-basics", target_date=date(2030, 1, 10))
    late = make_service(ml_basics, now=early._clock().replace(month=2))
    p = late.progress("rae")
    assert p.overdue and p.hours_per_week is None and p.days_left == -22


# Roadmaps edited under people's feet


def test_renamed_step_keeps_progress_through_aliases(
    make_service: Factory, engine: object, build: Callable[..., Roadmap]
) -> None:
    holder = [build("r", [("intro", []), ("numpy", ["intro"]), ("cleanup", [])])]
    service = make_service(holder)
    service.set_status("sam", "intro", DONE)
    service.set_status("sam", "numpy", WIP)
    service.set_status("sam", "cleanup", DONE)
    # The moderators rename numpy -> arrays (alias kept) and delete cleanup.
    holder[0] = build("r", [("intro", []), ("arrays", ["intro"]), ("new-step", [])], aliases={"arrays": ["numpy"]})
    assert statuses(service, "sam") == {"intro": DONE, "arrays": WIP, "new-step": TODO}
    assert [s.id for s in service.next_steps("sam").steps] == ["arrays", "new-step"]
    # Writing through the new id carries the old row over (its start time survives).
    started = next(s.started_at for s in service.progress("sam").steps if s.id == "arrays")
    service.set_status("sam", "arrays", DONE)
    after = next(s for s in service.progress("sam").steps if s.id == "arrays")
    assert after.status is DONE and after.started_at == started
    # The vanished step's row is kept in the store, and comes back if the step does.
    exported = {p["step"]: p["status"] for p in MemberData(engine).export("sam")["progress"]}  # type: ignore[arg-type]
    assert exported == {"intro": "done", "arrays": "done", "cleanup": "done"}
    holder[0] = build("r", [("intro", []), ("arrays", ["intro"]), ("cleanup", [])])
    assert statuses(service, "sam")["cleanup"] is DONE


def test_removed_roadmap_keeps_data_and_says_so(
    make_service: Factory, ml_basics: Roadmap, data_basics: Roadmap
) -> None:
    holder = [ml_basics, data_basics]
    service = make_service(holder)
    service.set_goal("tia", "data-basics")
    service.set_status("tia", "sql-select", DONE)
    holder.remove(data_basics)
    with pytest.raises(RoadmapGone, match="data-basics"):
        service.next_steps("tia")
    (goal,) = service.list_goals("tia")
    assert not goal.available
    service.set_goal("tia", "ml-basics")
    assert service.next_steps("tia").roadmap_id == "ml-basics"
    holder.append(data_basics)
    service.switch_goal("tia", "data-basics")
    assert statuses(service, "tia")["sql-select"] is DONE


# Show, search, lists


def test_show_lists_every_step_by_stage(make_service: Factory, ml_basics: Roadmap) -> None:
    service = make_service(ml_basics)
    service.set_status("uma", "python-basics", DONE)
    view = service.show("uma")
    assert [st.id for st in view.stages] == ["foundations", "modelling"]
    assert sum(len(st.steps) for st in view.stages) == 5
    assert view.next_ids == ["math-basics", "numpy-pandas"]
    assert view.goal is not None and view.progress.done == 1


def test_search_puts_own_open_steps_first(make_service: Factory, ml_basics: Roadmap) -> None:
    service = make_service(ml_basics)
    service.set_status("vic", "math-basics", DONE)
    service.set_status("vic", "numpy-pandas", WIP)
    everything = service.search_steps("vic", "")
    assert [c.id for c in everything] == [
        "numpy-pandas",
        "python-basics",
        "first-model",
        "model-evaluation",
        "math-basics",
    ]
    assert [c.id for c in service.search_steps("vic", "basics")] == ["python-basics", "math-basics"]
    assert service.search_steps("vic", "evaluation")[0].id == "model-evaluation"
    assert service.search_steps("vic", "pandas")[0].id == "numpy-pandas"  # a title word
    assert {c.id for c in service.search_steps("vic", "modle")} == {"first-model", "model-evaluation"}  # fuzzy
    assert service.search_steps("vic", "zzzz") == []
    assert len(service.search_steps("vic", "", limit=2)) == 2
    assert everything[0].status is WIP and everything[0].title == "NumPy and pandas"


def test_search_without_goal_covers_all_roadmaps(
    make_service: Factory, ml_basics: Roadmap, data_basics: Roadmap
) -> None:
    service = make_service(ml_basics, data_basics)
    found = service.search_steps("wes", "sql")
    assert {c.roadmap_id for c in found} == {"data-basics"} and len(found) == 2


def test_list_roadmaps(make_service: Factory, ml_basics: Roadmap, data_basics: Roadmap) -> None:
    listed = make_service(ml_basics, data_basics).list_roadmaps()
    assert [r.id for r in listed] == ["ml-basics", "data-basics"]
    assert listed[0].total_hours == 83 and listed[0].steps[2].prerequisites == ["python-basics"]


def test_next_steps_limit_is_validated(make_service: Factory, ml_basics: Roadmap) -> None:
    service = make_service(ml_basics)
    service.set_goal("xan", "ml-basics")
    assert len(service.next_steps("xan", limit=1).steps) == 1
    for bad in (0, 26):
        with pytest.raises(InvalidInput):
            service.next_steps("xan", limit=bad)


def test_errors_are_roadmapboterrors() -> None:
    assert issubclass(NoGoal, RoadmapBotError) and issubclass(RoadmapGone, RoadmapBotError)
