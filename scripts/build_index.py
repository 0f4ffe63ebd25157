#!/usr/bin/env python3
"""Validate the knowledge folder and build the search index (same as `roadmap-bot build-index`)."""

import sys

from bot.cli import main

if __name__ == "__main__":
    sys.exit(main(["build-index", *sys.argv[1:]]))
