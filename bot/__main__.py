"""`python -m bot ...` is the same as `roadmap-bot ...`."""

import sys

from bot.cli import main

sys.exit(main())
