"""The progress card is a real PNG of the expected size, coloured by status, with the member's percent
and streak; the README's example is rendered by scripts/render_card.py and shown in the README."""

from __future__ import annotations

import importlib.util
import io
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from PIL import Image
from sqlalchemy import Engine

from bot.core.engagement.card import CARD_SIZE, FILLS
from bot.core.engagement.service import EngagementService
from bot.core.knowledge.models import Roadmap
from bot.core.roadmap.service import RoadmapService
from bot.core.store.models import StepStatus

ROOT = Path(__file__).resolve().parents[3]
NOW = datetime(2030, 1, 9, 12, tzinfo=UTC)


def colours(png: bytes) -> set[tuple[int, int, int]]:
    image = Image.open(io.BytesIO(png))
    found = image.convert("RGB").getcolors(maxcolors=1 << 20)
    assert found is not None
    return {colour for _, colour in found}


def rgb(hex_colour: str) -> tuple[int, int, int]:
    return (int(hex_colour[1:3], 16), int(hex_colour[3:5], 16), int(hex_colour[5:7], 16))


def test_the_card_is_a_png_of_the_expected_size_coloured_by_status(engine: Engine, ml_basics: Roadmap) -> None:
    roadmaps = RoadmapService(engine, lambda: [ml_basics], clock=lambda: NOW)
    engagement = EngagementService(engine, roadmaps, clock=lambda: NOW)
    roadmaps.set_goal("ann", "ml-basics")
    roadmaps.set_status("ann", "python-basics", "done")
    roadmaps.set_status("ann", "numpy-pandas", "start")
    png = engagement.card("ann")
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    image = Image.open(io.BytesIO(png))
    assert image.format == "PNG" and image.size == CARD_SIZE == (1200, 630)
    found = colours(png)
    assert rgb(FILLS[StepStatus.DONE]) in found and rgb(FILLS[StepStatus.IN_PROGRESS]) in found
    assert rgb(FILLS[StepStatus.REVIEW]) in found  # the legend shows every status
    roadmaps.set_status("ann", "numpy-pandas", "undo")
    assert rgb(FILLS[StepStatus.IN_PROGRESS]) in colours(engagement.card("ann"))  # the legend's swatch
    assert engagement.card("ann") != png


def test_a_big_roadmap_still_fits_the_card(engine: Engine, build: Callable[..., Roadmap]) -> None:
    roadmap = build("huge", [(f"step-{n}", []) for n in range(60)], title="A very long roadmap title " * 5)
    roadmaps = RoadmapService(engine, lambda: [roadmap], clock=lambda: NOW)
    roadmaps.set_status("bob", "step-3", "review")
    png = EngagementService(engine, roadmaps, clock=lambda: NOW).card("bob")
    assert Image.open(io.BytesIO(png)).size == CARD_SIZE


def test_the_readme_shows_the_example_card_rendered_by_the_script(tmp_path: Path) -> None:
    spec = importlib.util.spec_from_file_location("render_card", ROOT / "scripts" / "render_card.py")
    assert spec is not None and spec.loader is not None
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    written = script.render(ROOT / "knowledge", tmp_path / "card.png")
    assert Image.open(written).size == CARD_SIZE
    shipped = ROOT / "docs" / "card.png"
    assert Image.open(shipped).size == CARD_SIZE
    assert "![" in (readme := (ROOT / "README.md").read_text(encoding="utf-8")) and "docs/card.png" in readme
