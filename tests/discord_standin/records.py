"""What the stand-in records: HTTP requests the bot made and the interactions the test injected."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .payloads import FLAG_EPHEMERAL, JSON, walk_components

if TYPE_CHECKING:
    from .server import DiscordStandIn

# Interaction callback types (https://discord.com/developers/docs/interactions/receiving-and-responding).
CHANNEL_MESSAGE_WITH_SOURCE = 4
DEFERRED_CHANNEL_MESSAGE_WITH_SOURCE = 5
DEFERRED_UPDATE_MESSAGE = 6
UPDATE_MESSAGE = 7
APPLICATION_COMMAND_AUTOCOMPLETE_RESULT = 8
MODAL = 9

# Interaction types.
APPLICATION_COMMAND = 2
MESSAGE_COMPONENT = 3
APPLICATION_COMMAND_AUTOCOMPLETE = 4
MODAL_SUBMIT = 5


@dataclass
class UploadedFile:
    """A file part of a multipart request (``files[n]``)."""

    field: str
    filename: str | None
    content_type: str | None
    data: bytes


@dataclass
class RecordedRequest:
    """One HTTP request the bot sent, with the stand-in's answer.

    ``kind`` classifies the route: ``login``, ``gateway``, ``application_info``, ``commands_sync``,
    ``commands_get``, ``callback``, ``followup``, ``original_get``/``original_edit``/``original_delete``,
    ``webhook_message_get``/``_edit``/``_delete``, ``channel_message``, ``message_edit``,
    ``message_delete``, ``message_get``, ``thread_create``, ``forum_post`` (the bot starts a forum
    post), ``channel_edit`` (``PATCH /channels/{id}``, e.g. thread tags), ``typing``, ``reaction``,
    ``dm_create``, ``fetch`` and ``unknown`` (no such route in the stand-in; answered with 404).

    The message helpers (``content``, ``embeds``, ``flags``, ...) read what the bot *sent*: the
    ``data`` of an interaction callback, or the JSON body of any other message request.
    ``created_message`` is the message object the stand-in stored as a result (what users would see).
    """

    index: int
    method: str
    path: str
    route: str
    query: dict[str, str]
    json: Any
    files: list[UploadedFile]
    headers: dict[str, str]
    at: float
    kind: str = "unknown"
    status: int = 0
    response: Any = None
    done: bool = False
    interaction_id: int | None = None
    created_message: JSON | None = None
    error: str | None = None
    reaction: JSON | None = None  # the emoji of a ``reaction`` request

    @property
    def ok(self) -> bool:
        return 200 <= self.status < 300

    @property
    def callback_type(self) -> int | None:
        """The interaction callback type (4, 5, 6, 7, 8, 9) for ``kind == "callback"``."""
        if self.kind == "callback" and isinstance(self.json, dict):
            return int(self.json.get("type", 0))
        return None

    @property
    def message_data(self) -> JSON:
        """The message fields the bot sent (callback ``data`` or the request body)."""
        if not isinstance(self.json, dict):
            return {}
        if self.kind == "callback":
            data = self.json.get("data")
            return data if isinstance(data, dict) else {}
        return self.json

    @property
    def content(self) -> str | None:
        return self.message_data.get("content")

    @property
    def embeds(self) -> list[JSON]:
        return list(self.message_data.get("embeds") or [])

    @property
    def embed(self) -> JSON:
        """The first embed (raises if there is none)."""
        embeds = self.embeds
        if not embeds:
            raise AssertionError(f"{self.summary()} sent no embeds: {self.message_data!r}")
        return embeds[0]

    @property
    def components(self) -> list[JSON]:
        return list(self.message_data.get("components") or [])

    @property
    def flags(self) -> int:
        return int(self.message_data.get("flags") or 0)

    @property
    def ephemeral(self) -> bool:
        """Whether the bot asked for an ephemeral message (flags & 64)."""
        return bool(self.flags & FLAG_EPHEMERAL)

    @property
    def result_ephemeral(self) -> bool:
        """Whether the resulting message is ephemeral (e.g. a follow-up after ``defer(ephemeral=True)``)."""
        return bool(self.created_message and int(self.created_message.get("flags") or 0) & FLAG_EPHEMERAL)

    @property
    def buttons(self) -> list[JSON]:
        return [c for c in walk_components(self.components) if c.get("type") == 2]

    @property
    def custom_ids(self) -> list[str]:
        return [c["custom_id"] for c in walk_components(self.components) if "custom_id" in c]

    @property
    def choices(self) -> list[JSON]:
        """Autocomplete choices (callback type 8)."""
        return list(self.message_data.get("choices") or [])

    @property
    def modal(self) -> JSON:
        """The modal (callback type 9) ``data``: ``custom_id``, ``title``, ``components``."""
        if self.callback_type != MODAL:
            raise AssertionError(f"{self.summary()} is not a MODAL callback")
        return self.message_data

    @property
    def message_reference(self) -> JSON | None:
        ref = self.message_data.get("message_reference")
        return ref if isinstance(ref, dict) else None

    @property
    def reference_id(self) -> int | None:
        """The ``message_id`` this message replies to, if any."""
        ref = self.message_reference
        return int(ref["message_id"]) if ref and ref.get("message_id") else None

    @property
    def path_ids(self) -> list[int]:
        """Numeric path segments (e.g. channel and message ids)."""
        return [int(part) for part in self.route.split("/") if part.isdigit()]

    @property
    def channel_id(self) -> int | None:
        """Channel the request targeted (``/channels/{id}/...``) or the created message's channel."""
        parts = self.route.split("/")
        if len(parts) > 2 and parts[1] == "channels" and parts[2].isdigit():
            return int(parts[2])
        if self.created_message:
            return int(self.created_message["channel_id"])
        return None

    def summary(self) -> str:
        extra = f" interaction={self.interaction_id}" if self.interaction_id else ""
        return f"{self.method} {self.route} -> {self.status or '...'} [{self.kind}]{extra}"

    def __repr__(self) -> str:
        return f"<RecordedRequest #{self.index} {self.summary()}>"


@dataclass
class InteractionRecord:
    """An interaction the test dispatched, and everything the bot did with it."""

    id: int
    token: str
    type: int
    payload: JSON
    dispatched_at: float
    standin: DiscordStandIn = field(repr=False)
    callback: RecordedRequest | None = None
    original_message_id: int | None = None
    followup_message_ids: list[int] = field(default_factory=list)
    modal: JSON | None = None

    @property
    def acknowledged(self) -> bool:
        return self.callback is not None and self.callback.ok

    @property
    def deferred(self) -> bool:
        return self.acknowledged and self.callback is not None and self.callback.callback_type in (5, 6)

    @property
    def original_message(self) -> JSON | None:
        """Current state of the original response message, as stored by the stand-in."""
        if self.original_message_id is None:
            return None
        return self.standin.messages.get(self.original_message_id)

    def requests(self) -> list[RecordedRequest]:
        """All requests tied to this interaction, in order."""
        return [r for r in self.standin.requests if r.interaction_id == self.id]

    async def response(self, timeout: float = 5.0) -> RecordedRequest:
        """Wait for the interaction callback (``POST /interactions/{id}/{token}/callback``)."""
        return await self.standin.wait_for_request(
            lambda r: r.kind == "callback" and r.interaction_id == self.id,
            timeout=timeout,
            description=f"the callback for interaction {self.id}",
        )

    async def followup(self, index: int = 0, timeout: float = 5.0) -> RecordedRequest:
        """Wait for the ``index``-th follow-up (``POST /webhooks/{app_id}/{token}``)."""

        def check() -> RecordedRequest | None:
            found = [
                r for r in self.standin.requests if r.done and r.kind == "followup" and r.interaction_id == self.id
            ]
            return found[index] if len(found) > index else None

        return await self.standin.wait_until(
            check, timeout=timeout, description=f"follow-up #{index} for interaction {self.id}"
        )

    async def original_edit(self, index: int = 0, timeout: float = 5.0) -> RecordedRequest:
        """Wait for the ``index``-th ``PATCH .../messages/@original`` (``edit_original_response``)."""

        def check() -> RecordedRequest | None:
            found = [
                r for r in self.standin.requests if r.done and r.kind == "original_edit" and r.interaction_id == self.id
            ]
            return found[index] if len(found) > index else None

        return await self.standin.wait_until(
            check, timeout=timeout, description=f"original-response edit #{index} for interaction {self.id}"
        )
