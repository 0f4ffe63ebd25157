"""Discord-style error responses, shared by the stand-in's route modules."""

from __future__ import annotations

import json
from typing import Any

from aiohttp import hdrs, web

from .limits import Problem, form_error_body


class StandInError(web.HTTPException):
    """A Discord-style JSON error response (``{"code": ..., "message": ...}``)."""

    def __init__(self, status: int, code: int, message: str, **extra: Any) -> None:
        self.status_code = status
        super().__init__(
            body=json.dumps({"code": code, "message": message, **extra}).encode(),
            headers={hdrs.CONTENT_TYPE: "application/json"},
        )


def invalid_form(problems: list[Problem]) -> StandInError:
    """``400 Invalid Form Body`` (code 50035) listing ``problems`` the way Discord nests them."""
    body = form_error_body(problems)
    return StandInError(400, body["code"], body["message"], errors=body["errors"])


def missing_permissions() -> StandInError:
    return StandInError(403, 50013, "Missing Permissions")
