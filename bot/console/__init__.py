"""The console advisor: the same answers and roadmap actions as the Discord bot, in a terminal."""

from bot.console.app import run_console

__all__ = ["run_console"]
