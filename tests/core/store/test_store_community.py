"""Server and channel settings on SQLite and PostgreSQL: separate per server, validated, exported; the
weekly digest claimed once across workers; questions and votes keep their server for per-server reports."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine

from bot.core.community import UNCHANGED, ChannelMode, CommunityConfig, ConfigInvalid
from bot.core.store import list_feedback, list_questions, log_question, record_vote, transaction
from bot.core.store.users import export_user, forget_user

G1, G2 = 111111111111111111, 222222222222222222
NOW = datetime(2030, 1, 7, 9, 0, tzinfo=UTC)


class Clock:
    def __init__(self) -> None:
        self.now = NOW

    def __call__(self) -> datetime:
        return self.now


def test_two_servers_keep_separate_settings_and_the_default_role(engine: Engine) -> None:
    config = CommunityConfig(engine, default_moderator_role=999)
    fresh = config.guild(G1)
    assert fresh.moderator_role_id == 999 and fresh.moderator_role_default and fresh.channels == []
    assert config.channel_mode(G1, 5) is ChannelMode.MENTION  # a channel nobody configured

    one = config.update_guild(G1, moderator_role=10, helper_role=11, digest_channel=12)
    assert (one.moderator_role_id, one.helper_role_id, one.digest_channel_id) == (10, 11, 12)
    assert not one.moderator_role_default
    config.update_guild(G2, helper_role=21)
    config.set_channel_mode(G1, 5, "auto")
    config.set_channel_mode(G2, 5, ChannelMode.OFF)
    assert config.channel_mode(G1, 5) is ChannelMode.AUTO and config.channel_mode(G2, 5) is ChannelMode.OFF

    two = config.guild(G2)
    assert two.moderator_role_id == 999 and two.moderator_role_default and two.helper_role_id == 21
    # Only what is given changes; None clears; back to `mention` removes the row.
    again = config.update_guild(G1, helper_role=None, moderator_role=UNCHANGED)
    assert (again.moderator_role_id, again.helper_role_id, again.digest_channel_id) == (10, None, 12)
    config.set_channel_mode(G1, 5, "mention")
    assert config.guild(G1).channels == []

    exported = config.export()
    assert [g.guild_id for g in exported.guilds] == [G1, G2]
    assert exported.guilds[1].channels[0].mode is ChannelMode.OFF
    assert exported.default_moderator_role_id == 999


@pytest.mark.parametrize("bad", ["abc", "0", "-4", str(2**64), " "])
def test_bad_ids_and_modes_are_one_clear_error(engine: Engine, bad: str) -> None:
    config = CommunityConfig(engine)
    with pytest.raises(ConfigInvalid) as caught:
        config.update_guild(G1, helper_role=bad)  # type: ignore[arg-type]
    assert caught.value.setting == "the helper role" and "\n" not in str(caught.value)
    with pytest.raises(ConfigInvalid, match="use one of: off, mention, auto, threads"):
        config.set_channel_mode(G1, 5, "loud")


def test_the_weekly_digest_is_claimed_once_and_again_next_week(engine: Engine) -> None:
    clock = Clock()
    config = CommunityConfig(engine, clock=clock)
    config.update_guild(G1, digest_channel=12)
    config.update_guild(G2, helper_role=3)  # no digest channel: never claimed
    week_start = NOW - timedelta(days=6)
    assert [g.guild_id for g in config.digest_guilds()] == [G1]
    assert config.claim_digest(G1, "a", week_start)
    assert not config.claim_digest(G1, "b", week_start)  # held
    assert not config.claim_digest(G2, "b", week_start)
    config.release_digest(G1, "a")  # posting failed: another worker may try
    assert config.claim_digest(G1, "b", week_start)
    assert not config.finish_digest(G1, "a")  # not the holder
    assert config.finish_digest(G1, "b")
    assert not config.claim_digest(G1, "a", week_start)  # sent this week
    assert config.guild(G1).digest_sent_at == NOW
    clock.now = NOW + timedelta(days=7)
    assert config.claim_digest(G1, "a", clock.now - timedelta(days=6))
    # An abandoned claim (its process died) is taken over after the lease.
    clock.now += timedelta(hours=1)
    assert config.claim_digest(G1, "c", clock.now - timedelta(days=6))


def test_questions_and_votes_keep_their_server(engine: Engine) -> None:
    with transaction(engine) as session:
        here = log_question("u1", "in one", 0.2, True, session=session, sources=["a.md"], guild_id=str(G1))
        log_question("u1", "in two", 0.2, True, session=session, guild_id=str(G2))
        log_question("u1", "in a DM", 0.2, True, session=session)
        assert here.id is not None
        record_vote(here.id, "u2", False, session=session)
    since = NOW.replace(year=2000)
    with transaction(engine) as session:
        assert [q.question for q in list_questions(since, session=session, guild_id=str(G1))] == ["in one"]
        assert len(list_questions(since, session=session)) == 3
        [vote] = list_feedback(since, session=session, guild_id=str(G1))
        assert vote.guild_id == str(G1)
        assert list_feedback(since, session=session, guild_id=str(G2)) == []
        # A member's export and forget reach the rows whatever server they came from.
        exported = export_user("u1", session=session)["questions"]
        assert [q["server"] for q in exported] == [str(G1), str(G2), None]
        assert forget_user("u1", session=session).question_log == 3
