"""A two-step roadmap for store tests that need a goal but not the knowledge folder."""

from __future__ import annotations

from bot.core.knowledge.models import Roadmap

TINY_ROADMAP = Roadmap.model_validate(
    {
        "id": "tiny",
        "title": "Tiny",
        "summary": "Two steps.",
        "stages": [{"id": "s", "title": "S"}],
        "steps": [
            {
                "id": step,
                "title": step.title(),
                "stage": "s",
                "summary": "x",
                "learn": ["x"],
                "done_when": ["y"],
                "effort_hours": 2,
                "prerequisites": pres,
            }
            for step, pres in (("one", []), ("two", ["one"]))
        ],
    }
)
