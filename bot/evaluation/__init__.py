"""Answer quality measured the way members meet it: facts in the answer text, declines on near misses.

Used by `scripts/eval.py` and the report-split test; nothing here runs when the bot serves.
"""
