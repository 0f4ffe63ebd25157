"""Sharding: two `roadmap-bot run` processes split the gateway (SHARD_COUNT=2, SHARD_IDS=0 and 1).

The loopback stand-in routes as Discord does: the guild's events to the shard `(guild_id >> 22) % 2`
owns (shard 1 here), direct messages to shard 0. Each process must answer what its shard receives,
over one PostgreSQL database and one knowledge/index volume.
"""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from pathlib import Path

import pytest
from discord_standin import DiscordStandIn
from kb_fixtures import SMALL_DECISION
from pg_server import PostgresServer

LAUNCHER = Path(__file__).with_name("shard_process.py")
START_TIMEOUT = 240.0  # both processes load the model on a shared 2-core machine


def guild_id_on_shard(shard: int, count: int, standin_snowflake: int) -> int:
    """A realistic snowflake whose timestamp bits put the guild on `shard`."""
    # A few milliseconds before the stand-in's own ids, so the guild never shares an id with the bot user.
    stamp = (standin_snowflake >> 22) - 2 * count
    stamp += (shard - stamp) % count
    return stamp << 22


def shard_env(shard: int, root: Path, url: str, guild_id: int) -> dict[str, str]:
    return {
        **os.environ,
        "DISCORD_TOKEN": "fake-token",
        "DISCORD_GUILD_ID": str(guild_id),
        "SHARD_COUNT": "2",
        "SHARD_IDS": str(shard),
        "KNOWLEDGE_DIR": str(root / "knowledge"),
        "INDEX_DIR": str(root / "index"),
        "DATABASE_URL": url,
        "DECISION_FILE": str(SMALL_DECISION),
        "DISCORD_OUTAGE": "exit",
        "LOG_LEVEL": "INFO",
        "SERVING_THREADS": "1",
    }


def events(standin: DiscordStandIn, shard: int) -> list[str]:
    conn = standin.shard_connection(shard)
    assert conn is not None, f"shard {shard} is not connected"
    return [str(p.get("t")) for p in conn.sent if p.get("op") == 0]


@pytest.mark.slow
async def test_two_shards_in_two_processes(
    tmp_path: Path, private_built: tuple[Path, Path], pg_server: PostgresServer
) -> None:
    url = pg_server.create_database()
    probe = DiscordStandIn()
    standin = DiscordStandIn(guild_id=guild_id_on_shard(1, 2, probe.snowflake()), shards=2)
    await standin.start()
    logs = [tmp_path / f"shard-{n}.log" for n in (0, 1)]
    processes = []
    try:
        for shard in (0, 1):
            with logs[shard].open("wb") as log_file:
                processes.append(
                    await asyncio.create_subprocess_exec(
                        sys.executable,
                        str(LAUNCHER),
                        standin.api_base,
                        standin.gateway_url,
                        env=shard_env(shard, tmp_path, url, standin.guild.id),
                        cwd=tmp_path,
                        stdout=log_file,
                        stderr=asyncio.subprocess.STDOUT,
                    )
                )
        await standin.wait_until(
            lambda: standin.shard_connection(0) and standin.shard_connection(1) and standin.guild_commands,
            timeout=START_TIMEOUT,
            description="both shards identified and the commands synced",
        )
        # Each shard was told only about what it owns: the guild is shard 1's.
        assert events(standin, 1)[:2] == ["READY", "GUILD_CREATE"]
        assert "GUILD_CREATE" not in events(standin, 0)
        syncs = [r for r in standin.requests if r.kind == "commands_sync"]
        assert len(syncs) == 1  # the process running shard 0 registers the commands, once

        # A slash command in the guild reaches shard 1's process only, which answers it.
        ix = await standin.interact(
            standin.slash("ask", {"question": "Which flour should I use for sourdough?"}, user=standin.member)
        )
        assert (await ix.response(timeout=30)).callback_type == 5
        answer = await ix.followup(timeout=30)
        assert "strong white bread flour" in (answer.embed or {}).get("description", "")
        assert "INTERACTION_CREATE" in events(standin, 1) and "INTERACTION_CREATE" not in events(standin, 0)

        # A direct message reaches shard 0's process only, which answers it.
        dm = await standin.send_dm("how much air should my bicycle tyres have?")
        reply = await standin.wait_for_message(int(dm["channel_id"]), reply_to=dm, timeout=30)
        assert "tyre" in (reply.embed or {}).get("description", "").lower()
        assert "MESSAGE_CREATE" in events(standin, 0) and "MESSAGE_CREATE" not in events(standin, 1)

        # Both shut down cleanly on SIGTERM, as under a process supervisor.
        for process in processes:
            process.send_signal(signal.SIGTERM)
        codes = [await asyncio.wait_for(p.wait(), timeout=60) for p in processes]
        output = [path.read_text(errors="replace") for path in logs]
        assert codes == [0, 0], output
        assert "Shard 0 of 2 ready" in output[0] and "Shard 1 of 2 ready" in output[1]
        assert not any("Traceback" in text for text in output), output
    finally:
        for process in processes:
            if process.returncode is None:
                process.kill()
                await process.wait()
        await standin.stop()
        pg_server.drop_database(url)
