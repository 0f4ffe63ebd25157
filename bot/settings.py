"""One Settings object, read from the environment and `.env`, passed down to everything."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    knowledge_dir: Path = Path("knowledge")
    index_dir: Path = Path("index")
    decision_file: Path | None = Field(
        default=None,
        description="A decision model fitted for this knowledge base (scripts/eval.py --calibrate); default: the shipped one.",
    )
    embedding_model: str = Field(
        default="", description="A local model folder or a hub name; empty means the bundled all-MiniLM-L6-v2."
    )
    database_url: str = "sqlite:///data/roadmap-bot.db"
    discord_token: SecretStr | None = None
    discord_guild_id: int | None = None
    discord_outage: Literal["retry", "exit"] = Field(
        default="retry",
        description="When Discord cannot be reached: retry with backoff, or exit non-zero for a process supervisor.",
    )
    shard_count: int | None = Field(
        default=None,
        ge=1,
        le=4096,
        description="Run as discord.py's AutoShardedBot over this many shards in all (large communities).",
    )
    shard_ids: Annotated[list[int] | None, NoDecode] = Field(
        default=None,
        description="The shards this process runs, e.g. 0,1 (default: all of SHARD_COUNT); needs SHARD_COUNT.",
    )
    moderator_role_id: int | None = None
    log_level: str = "INFO"
    question_retention_days: int = Field(default=90, ge=1, le=3650)
    watch_knowledge: bool = False
    default_timezone: str = Field(
        default="UTC",
        description="The time zone of members who set none: their streak days and reminder times.",
    )
    reminder_poll_seconds: float = Field(
        default=30.0, ge=1, le=3600, description="How often the bot looks for reminders that are due."
    )
    serving_threads: int = Field(
        default=1,
        ge=1,
        le=64,
        description="Threads torch and FAISS use per encode; 1 keeps a question fast next to other busy processes.",
    )
    build_threads: int = Field(
        default=0,
        ge=0,
        le=64,
        description="Threads for encoding an index build (0: every core), and the most a burst of questions may "
        "use on cores other processes left idle; a question between two build batches keeps the serving threads.",
    )

    message_content_intent: bool = Field(
        default=False,
        description="Request Discord's privileged Message Content intent (enable it in the Developer Portal "
        "too): needed for `auto`/`threads` in text channels and to read forum posts' bodies and follow-ups.",
    )
    auto_answers_per_thread: int = Field(
        default=3, ge=1, le=50, description="Automatic answers at most per forum thread (the post and follow-ups)."
    )
    auto_answers_per_member_hour: int = Field(
        default=10, ge=1, le=500, description="Automatic answers at most per member per hour."
    )
    digest_weekday: int = Field(
        default=0, ge=0, le=6, description="The day the weekly digest is posted (0 = Monday … 6 = Sunday), UTC."
    )
    digest_hour: int = Field(default=9, ge=0, le=23, description="The hour (UTC) the weekly digest is posted.")

    @field_validator("log_level")
    @classmethod
    def _known_level(cls, value: str) -> str:
        level = value.strip().upper()
        if level not in LOG_LEVELS:
            raise ValueError(f"must be one of {', '.join(LOG_LEVELS)}")
        return level

    @field_validator("default_timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

        name = value.strip() or "UTC"
        try:
            return ZoneInfo(name).key
        except (ZoneInfoNotFoundError, ValueError, OSError):
            raise ValueError(f"unknown time zone {name!r}; use an IANA name such as Europe/Paris") from None

    @field_validator("discord_token", mode="before")
    @classmethod
    def _blank_token_is_none(cls, value: object) -> object:
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("shard_count", mode="before")
    @classmethod
    def _blank_count_is_none(cls, value: object) -> object:
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("shard_ids", mode="before")
    @classmethod
    def _comma_separated(cls, value: object) -> object:
        """SHARD_IDS=0,1 (or 0 1); a blank value means every shard."""
        if isinstance(value, str):
            parts = [p for p in value.replace(",", " ").split() if p]
            return parts or None
        return value

    @model_validator(mode="after")
    def _shards_fit(self) -> Settings:
        if self.shard_ids is None:
            return self
        if self.shard_count is None:
            raise ValueError("SHARD_IDS needs SHARD_COUNT (the number of shards across every process)")
        wrong = [i for i in self.shard_ids if not 0 <= i < self.shard_count]
        if wrong:
            raise ValueError(f"SHARD_IDS must lie between 0 and {self.shard_count - 1} (SHARD_COUNT - 1); got {wrong}")
        if len(set(self.shard_ids)) != len(self.shard_ids):
            raise ValueError("SHARD_IDS lists a shard twice")
        return self

    @field_validator("discord_guild_id", "moderator_role_id", mode="before")
    @classmethod
    def _blank_id_is_none(cls, value: object) -> object:
        return None if isinstance(value, str) and not value.strip() else value

    @property
    def index_build_threads(self) -> int:
        return self.build_threads or os.cpu_count() or 1

    def resolved(self) -> Settings:
        """Relative paths resolve against the working directory at start, not wherever code runs later."""
        return self.model_copy(
            update={
                "knowledge_dir": self.knowledge_dir.expanduser().resolve(),
                "index_dir": self.index_dir.expanduser().resolve(),
                "decision_file": self.decision_file.expanduser().resolve() if self.decision_file else None,
            }
        )
