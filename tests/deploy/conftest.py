"""Deployment tests: the container's files, the database commands, seeding volumes, health."""

from __future__ import annotations

from pg_server.fixtures import pg_server

__all__ = ["pg_server"]
