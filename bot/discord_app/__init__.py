"""The Discord adapter: slash commands, mentions and DMs translated into calls on `bot.core.service.Services`.

Nothing here decides anything the console would decide differently; it only fits results to Discord.
"""
