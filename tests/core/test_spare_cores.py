"""A burst widens onto cores other processes left idle, and only onto those."""

from __future__ import annotations

import pytest

from bot.core.spare_cores import MIN_WINDOW, SpareCores, _Look


class Clock:
    """CPU times as the operating system would report them, advanced by the test."""

    def __init__(self) -> None:
        self.at, self.busy, self.own = 0.0, 0.0, 0.0

    def run(self, seconds: float, others: float, own: float = 0.0) -> None:
        self.at += seconds
        self.busy += seconds * (others + own)
        self.own += seconds * own

    def look(self) -> _Look:
        return _Look(self.at, self.busy, self.own)


@pytest.fixture
def spare(monkeypatch: pytest.MonkeyPatch) -> tuple[SpareCores, Clock]:
    clock = Clock()
    cores = SpareCores()
    monkeypatch.setattr(cores, "cores", 2)
    monkeypatch.setattr(cores, "_look", clock.look)
    cores._last = clock.look()
    return cores, clock


def test_an_idle_machine_lends_its_cores_and_a_busy_one_does_not(spare: tuple[SpareCores, Clock]) -> None:
    cores, clock = spare
    clock.run(2.0, others=0.05, own=1.0)  # this process's own work never counts against it
    assert cores.threads(serving=1, most=2) == 2
    clock.run(2.0, others=1.0)  # a CPU-bound neighbour on one of the two cores
    assert cores.threads(serving=1, most=2) == 1
    clock.run(2.0, others=0.0)
    assert cores.threads(serving=1, most=1) == 1  # never beyond the build threads
    assert cores.threads(serving=2, most=2) == 2  # never below the serving threads


def test_a_look_too_soon_after_the_last_repeats_its_estimate(spare: tuple[SpareCores, Clock]) -> None:
    cores, clock = spare
    clock.run(1.0, others=1.0)
    assert cores.idle() == pytest.approx(1.0)
    clock.run(MIN_WINDOW / 10, others=0.0)  # too short to tell: the busy neighbour is still assumed
    assert cores.idle() == pytest.approx(1.0)
    clock.run(1.0, others=0.0)  # the window keeps growing from the last real look
    assert cores.idle() == pytest.approx(2.0 - 1.0 * (MIN_WINDOW / 10) / (1.0 + MIN_WINDOW / 10), abs=0.05)


def test_the_real_operating_system_is_read() -> None:
    cores = SpareCores()
    assert cores.cores >= 1
    assert 0.0 <= cores.idle() <= cores.cores


def test_a_burst_of_questions_is_encoded_on_the_threads_spare_cores_allow(small_advisor, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from bot.core.advisor import WIDE_BATCH

    seen: list[int | None] = []
    encode = small_advisor.embedder.encode

    def recording(texts, progress=None, bulk=False, threads=None):  # type: ignore[no-untyped-def]
        seen.append(threads)
        return encode(texts, progress, bulk, threads)

    monkeypatch.setattr(small_advisor.embedder, "encode", recording)
    monkeypatch.setattr(small_advisor.embedder, "threads", 1)
    monkeypatch.setattr(small_advisor.embedder, "build_threads", 2)
    monkeypatch.setattr(small_advisor.spare, "idle", lambda: 2.0)
    questions = [f"how do I patch a punctured inner tube? ({n})" for n in range(WIDE_BATCH)]
    answers = small_advisor.ask_many(questions)
    small_advisor.ask_many(questions[:2])
    assert seen == [2, None]
    assert answers[0].passages[0].doc_id == "bicycle-repair"
    monkeypatch.setattr(small_advisor.spare, "idle", lambda: 1.0)  # a neighbour is busy
    small_advisor.ask_many(questions)
    assert seen[-1] == 1
