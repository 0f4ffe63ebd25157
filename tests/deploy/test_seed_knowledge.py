"""The container's volumes across an upgrade: a moderator's FAQ entry survives a new image.

No Docker engine runs here, so a container is simulated by what it does to its folders: an image is
a folder with what it ships (knowledge.dist, index.dist), the volumes are folders that outlive it,
and a start is the entrypoint's `roadmap-bot seed-knowledge` followed by the bot's services over the
volumes. The FAQ entry is added through the moderation core, as `/kb faq-add` does.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
from collections.abc import Iterator
from pathlib import Path

import pytest
from kb_fixtures import SMALL_DECISION

from bot.cli import main
from bot.cli.ops_commands import COMPLETE, STAGING, knowledge_diff, seed_folder
from bot.core.advisor import Advisor, AdvisorConfig
from bot.core.index.artifacts import current_build, read_knowledge
from bot.core.knowledge.loader import fingerprint, load_knowledge
from bot.core.service import Services
from bot.core.store import list_audit, open_store, reading

REPO = Path(__file__).resolve().parents[2]
QUESTION = "How do I keep a sourdough starter alive while I am away?"
ANSWER = "Feed it, close the jar and keep it in the fridge; it survives about two weeks without a feed."


def make_image(root: Path, knowledge: Path, index: Path) -> Path:
    """An image's shipped content, as the Dockerfile lays it out under /app."""
    root.mkdir(parents=True)
    shutil.copytree(knowledge, root / "knowledge.dist")
    shutil.copytree(index, root / "index.dist")
    return root


@pytest.fixture
def volumes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Empty volumes (a fresh ext4 volume holds lost+found), and the container's settings pointing at them."""
    root = tmp_path / "volumes"
    for name in ("knowledge", "index", "data"):
        (root / name).mkdir(parents=True)
    (root / "knowledge" / "lost+found").mkdir()
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("KNOWLEDGE_DIR", str(root / "knowledge"))
    monkeypatch.setenv("INDEX_DIR", str(root / "index"))
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{root / 'data' / 'roadmap-bot.db'}")
    yield root


def start(image: Path) -> None:
    """The entrypoint's step before the bot starts."""
    assert (
        main(["seed-knowledge", "--from", str(image / "knowledge.dist"), "--index-from", str(image / "index.dist")])
        == 0
    )


def services_over(volumes: Path, embedder) -> Services:  # type: ignore[no-untyped-def]
    config = AdvisorConfig(
        knowledge_dir=volumes / "knowledge", index_dir=volumes / "index", decision_file=SMALL_DECISION
    )
    return Services(Advisor(config, embedder), open_store(f"sqlite:///{volumes / 'data' / 'roadmap-bot.db'}"))


def served_faq_ids(volumes: Path) -> set[str]:
    """The FAQ entries the live index serves (its knowledge snapshot), and those in the knowledge folder."""
    build = current_build(volumes / "index")
    assert build is not None
    return {f.id for f in read_knowledge(build).faq} & {f.id for f in load_knowledge(volumes / "knowledge").faq}


def test_a_moderators_faq_entry_survives_an_upgrade(
    built_small: tuple[Path, Path], volumes: Path, tmp_path: Path, embedder, capsys: pytest.CaptureFixture[str]
) -> None:  # type: ignore[no-untyped-def]
    knowledge, index = built_small
    v1 = make_image(tmp_path / "image-v1", knowledge, index)

    # First start: the empty volumes get what the image ships, and the shipped index is live as it is.
    start(v1)
    out = capsys.readouterr().out
    assert "Seeded" in out and "shipped knowledge files" in out and "with the shipped index" in out
    assert fingerprint(volumes / "knowledge") == fingerprint(v1 / "knowledge.dist")
    assert not (volumes / "knowledge" / STAGING).exists()
    services = services_over(volumes, embedder)
    assert services.advisor.stale_reason() is None  # no rebuild on the first start

    # A moderator adds an FAQ entry (/kb faq-add): written to the knowledge volume, indexed in the index volume.
    change = services.moderation.add_faq("moderator-1", QUESTION, ANSWER, "bread")
    assert change.ok, change.problems
    added = volumes / "knowledge" / change.path
    assert added.parent == volumes / "knowledge" / "faq"
    written = added.read_bytes()
    services.close()
    assert change.faq_id in served_faq_ids(volumes)

    # A new image ships another FAQ entry and an edited article; the old container goes, a new one starts.
    shipped_v2 = tmp_path / "knowledge-v2"
    shutil.copytree(knowledge, shipped_v2)
    (shipped_v2 / "faq" / "upstream-new.md").write_text(
        (knowledge / "faq" / "what-flour.md").read_text(encoding="utf-8").replace("what-flour", "upstream-new"),
        encoding="utf-8",
    )
    article = sorted((shipped_v2 / "articles").glob("*.md"))[0]
    article.write_text(article.read_text(encoding="utf-8") + "\nA paragraph the new release adds.\n", encoding="utf-8")
    v2 = make_image(tmp_path / "image-v2", shipped_v2, index)
    start(v2)
    out = capsys.readouterr().out
    assert "Kept the knowledge" in out and "2 shipped file(s) missing or different" in out

    # The moderator's entry is still there, byte for byte, and still served; nothing shipped overwrote anything.
    assert added.read_bytes() == written
    assert not (volumes / "knowledge" / "faq" / "upstream-new.md").exists()
    services = services_over(volumes, embedder)
    services.advisor.ensure_index()
    assert services.advisor.stale_reason() is None
    assert change.faq_id in served_faq_ids(volumes)
    with reading(services.engine) as session:
        # The audit trail (data volume) still points at a file that exists.
        assert f"{change.path}: {QUESTION}" in {
            a.detail for a in list_audit(session=session) if a.actor == "moderator-1"
        }
    services.close()

    # `kb diff` shows the moderator what the new image brings; their own entry is not a difference.
    assert main(["kb", "diff", "--upstream", str(v2 / "knowledge.dist")]) == 0
    out = capsys.readouterr().out
    assert "  missing  faq/upstream-new.md" in out
    assert f"  differs  articles/{article.name}" in out
    assert added.name not in out
    assert main(["kb", "diff", "--upstream", str(v2 / "knowledge.dist"), "--patch"]) == 0
    assert "+A paragraph the new release adds." in capsys.readouterr().out

    # Merging one file by hand leaves only the other to decide on.
    shutil.copy(v2 / "knowledge.dist" / "faq" / "upstream-new.md", volumes / "knowledge" / "faq")
    assert knowledge_diff(v2 / "knowledge.dist", volumes / "knowledge") == [("differs", f"articles/{article.name}")]


def test_seed_never_touches_a_folder_that_holds_anything(tmp_path: Path) -> None:
    shipped = tmp_path / "shipped"
    (shipped / "faq").mkdir(parents=True)
    (shipped / "faq" / "a.md").write_text("shipped")
    target = tmp_path / "volume"
    (target / "faq").mkdir(parents=True)
    (target / "faq" / "mine.md").write_text("mine")
    assert seed_folder(shipped, target) == 0
    assert sorted(p.name for p in target.rglob("*")) == ["faq", "mine.md"]


def test_an_interrupted_seed_is_finished_or_started_over(tmp_path: Path) -> None:
    shipped = tmp_path / "shipped"
    for folder in ("articles", "faq", "roadmaps"):
        (shipped / folder).mkdir(parents=True)
        (shipped / folder / f"{folder}.md").write_text(folder)
    # Killed while copying: the staging copy has no completion mark, so it is made again.
    target = tmp_path / "copying"
    (target / STAGING / "articles").mkdir(parents=True)
    assert seed_folder(shipped, target) == 3
    assert sorted(p.name for p in target.iterdir()) == ["articles", "faq", "roadmaps"]
    # Killed while moving into place: the moves that are left are made.
    target = tmp_path / "moving"
    shutil.copytree(shipped, target / STAGING)
    (target / STAGING / COMPLETE).write_text("")
    os.replace(target / STAGING / "articles", target / "articles")
    assert seed_folder(shipped, target) == 2
    assert sorted(p.name for p in target.iterdir()) == ["articles", "faq", "roadmaps"]
    assert (target / "faq" / "faq.md").read_text() == "faq"


def test_the_entrypoint_seeds_then_runs_the_command(tmp_path: Path, built_small: tuple[Path, Path]) -> None:
    knowledge, index = built_small
    image = make_image(tmp_path / "image", knowledge, index)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_URL", "DISCORD_"))}
    env.update(
        PATH=os.pathsep.join([sysconfig.get_path("scripts"), str(Path(sys.executable).parent), env.get("PATH", "")]),
        PYTHONPATH=str(REPO),
        KNOWLEDGE_DIST=str(image / "knowledge.dist"),
        INDEX_DIST=str(image / "index.dist"),
        KNOWLEDGE_DIR=str(tmp_path / "volumes" / "knowledge"),
        INDEX_DIR=str(tmp_path / "volumes" / "index"),
        DATABASE_URL=f"sqlite:///{tmp_path / 'volumes' / 'data' / 'roadmap-bot.db'}",
    )
    entrypoint = ["/bin/sh", str(REPO / "docker" / "entrypoint.sh")]
    done = subprocess.run(
        [*entrypoint, "roadmap-bot", "health"], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=180
    )
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0].startswith("Seeded ") and lines[1].startswith("Seeded ") and lines[2].startswith("healthy: ")
    again = subprocess.run(
        [*entrypoint, "sh", "-c", "echo $0", "ran"], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=180
    )
    assert again.returncode == 0, again.stderr
    assert again.stdout.splitlines() == [f"Kept the knowledge in {tmp_path / 'volumes' / 'knowledge'} as it is.", "ran"]
