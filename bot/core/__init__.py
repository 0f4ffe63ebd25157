"""The advisor's core. Knows nothing of Discord; adapters call it through `bot.core.service`."""
