"""`roadmap-bot run` in a child process, pointed at a loopback Discord stand-in.

Usage: python shard_process.py API_BASE GATEWAY_URL (settings, shards included, come from the
environment as in a deployment). discord.py's endpoints are class attributes, patched here before the
bot starts, exactly as the in-process tests patch them.
"""

from __future__ import annotations

import sys

import yarl
from discord.gateway import DiscordWebSocket
from discord.http import Route

from bot.cli import main

if __name__ == "__main__":
    Route.BASE = sys.argv[1]
    DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(sys.argv[2])
    sys.exit(main(["run"]))
