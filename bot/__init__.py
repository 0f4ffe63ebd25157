"""roadmap-bot: a learning-roadmap advisor with cited answers and personal roadmaps."""

__version__ = "0.1.0"
