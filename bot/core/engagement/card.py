"""The progress card: a member's roadmap as a PNG (stages, steps coloured by status, percent, streak).

Every adapter attaches or writes these same bytes. The size is fixed (CARD_SIZE, a link-preview
shape) and the layout scales to the roadmap, so a card always looks the same wherever it is shown.
Text uses Pillow's bundled font, so no system font is needed.
"""

from __future__ import annotations

import io
import math
from datetime import date

from PIL import Image, ImageDraw, ImageFont

from bot.core.engagement.schemas import StreakReport
from bot.core.roadmap.schemas import STATUS_WORDS, RoadmapView, StepState
from bot.core.store.models import StepStatus

CARD_SIZE = (1200, 630)
PAD = 40
BACKGROUND = "#0f172a"
TEXT = "#f8fafc"
MUTED = "#94a3b8"
TRACK = "#1e293b"
EDGE = "#334155"
FILLS: dict[StepStatus, str] = {
    StepStatus.DONE: "#22c55e",
    StepStatus.REVIEW: "#2dd4bf",
    StepStatus.IN_PROGRESS: "#f59e0b",
    StepStatus.SKIPPED: "#64748b",
    StepStatus.TODO: TRACK,
}
LEGEND = (StepStatus.DONE, StepStatus.REVIEW, StepStatus.IN_PROGRESS, StepStatus.SKIPPED, StepStatus.TODO)
Font = ImageFont.FreeTypeFont | ImageFont.ImageFont


def _font(size: int) -> Font:
    return ImageFont.load_default(size=size)


def _fit(draw: ImageDraw.ImageDraw, text: str, font: Font, width: float) -> str:
    """`text` cut with an ellipsis to fit `width` pixels."""
    if draw.textlength(text, font=font) <= width:
        return text
    while text and draw.textlength(text + "…", font=font) > width:
        text = text[:-1]
    return text.rstrip() + "…" if text else ""


def _streak_line(streak: StreakReport | None) -> str:
    if streak is None:
        return ""
    days = "day" if streak.current == 1 else "days"
    return f"Streak {streak.current} {days} · best {streak.best}"


def render_card(view: RoadmapView, streak: StreakReport | None, today: date) -> bytes:
    image = Image.new("RGB", CARD_SIZE, BACKGROUND)
    draw = ImageDraw.Draw(image)
    width, height = CARD_SIZE
    p = view.progress
    title, sub, small = _font(40), _font(22), _font(16)

    streak_text = _streak_line(streak)
    streak_width = draw.textlength(streak_text, font=sub) if streak_text else 0
    draw.text((PAD, 30), _fit(draw, view.title, title, width - 2 * PAD - streak_width - 30), fill=TEXT, font=title)
    if streak_text:
        draw.text((width - PAD - streak_width, 44), streak_text, fill=FILLS[StepStatus.IN_PROGRESS], font=sub)
    summary = f"{p.percent:g}% · {p.done}/{p.total} steps · ~{p.remaining_hours} h left"
    if p.target_date:
        summary += f" · target {p.target_date.isoformat()}"
    draw.text((PAD, 84), _fit(draw, summary, sub, width - 2 * PAD), fill=MUTED, font=sub)

    bar_top = 124
    draw.rounded_rectangle((PAD, bar_top, width - PAD, bar_top + 14), radius=7, fill=TRACK)
    filled = round((width - 2 * PAD) * max(0.0, min(1.0, p.percent / 100)))
    if filled >= 14:
        draw.rounded_rectangle((PAD, bar_top, PAD + filled, bar_top + 14), radius=7, fill=FILLS[StepStatus.DONE])

    _stages(draw, view, top=166, bottom=height - 76)
    _legend(draw, small, y=height - 50)
    footer = f"as of {today.isoformat()}"
    draw.text((width - PAD - draw.textlength(footer, font=small), height - 50), footer, fill=MUTED, font=small)

    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()


def _stages(draw: ImageDraw.ImageDraw, view: RoadmapView, top: int, bottom: int) -> None:
    stages = [s for s in view.stages if s.steps]
    if not stages:
        return
    gap = 16
    column = (CARD_SIZE[0] - 2 * PAD - gap * (len(stages) - 1)) / len(stages)
    heading, count_font, tile_font = _font(20), _font(15), _font(15)
    for n, stage in enumerate(stages):
        left = PAD + n * (column + gap)
        done = sum(s.status.closed for s in stage.steps)
        draw.text((left, top), _fit(draw, stage.title, heading, column), fill=TEXT, font=heading)
        draw.text((left, top + 26), f"{done}/{len(stage.steps)}", fill=MUTED, font=count_font)
        _tiles(draw, stage.steps, left, column, top + 52, bottom, tile_font)


def _tiles(
    draw: ImageDraw.ImageDraw, steps: list[StepState], left: float, width: float, top: int, bottom: int, font: Font
) -> None:
    """One tile per step, stacked; a stage too long for one stack is laid out in several."""
    count, room = len(steps), bottom - top
    stacks = 1
    while True:
        rows = math.ceil(count / stacks)
        space = 6 if rows <= 8 else 2
        tile = min(40.0, (room - space * (rows - 1)) / rows)
        if tile >= 8 or stacks >= count:
            break
        stacks += 1
    across = (width - 4 * (stacks - 1)) / stacks
    for n, step in enumerate(steps):
        x = left + (n // rows) * (across + 4)
        y = top + (n % rows) * (tile + space)
        box = (x, y, x + across, y + max(tile, 1.0))
        radius = 6 if tile >= 18 else 2
        if step.status is StepStatus.TODO:
            draw.rounded_rectangle(box, radius=radius, fill=TRACK, outline=EDGE)
        else:
            draw.rounded_rectangle(box, radius=radius, fill=FILLS[step.status])
        if tile >= 18 and across >= 48:
            colour = MUTED if step.status in (StepStatus.TODO, StepStatus.SKIPPED) else BACKGROUND
            label = _fit(draw, step.title, font, across - 16)
            draw.text((x + 8, y + tile / 2), label, fill=colour, font=font, anchor="lm")


def _legend(draw: ImageDraw.ImageDraw, font: Font, y: int) -> None:
    x = float(PAD)
    for status in LEGEND:
        box = (x, y + 1, x + 16, y + 17)
        if status is StepStatus.TODO:
            draw.rounded_rectangle(box, radius=4, fill=TRACK, outline=EDGE)
        else:
            draw.rounded_rectangle(box, radius=4, fill=FILLS[status])
        word = STATUS_WORDS[status]
        draw.text((x + 24, y), word, fill=MUTED, font=font)
        x += 24 + draw.textlength(word, font=font) + 28
