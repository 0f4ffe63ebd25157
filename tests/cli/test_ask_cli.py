"""The `ask` command's JSON contract, batch mode, and bad input, through the real entry points."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from bot.cli import main


@pytest.fixture
def env(built_small: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> tuple[Path, Path]:
    knowledge, index = built_small
    monkeypatch.setenv("KNOWLEDGE_DIR", str(knowledge))
    monkeypatch.setenv("INDEX_DIR", str(index))
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'db.sqlite'}")
    monkeypatch.delenv("DISCORD_TOKEN", raising=False)
    monkeypatch.chdir(tmp_path)  # no stray .env is read
    return knowledge, index


def check_contract(obj: dict[str, object], k: int) -> None:
    assert set(obj) == {"question", "abstained", "answer", "passages"}
    assert isinstance(obj["question"], str) and isinstance(obj["abstained"], bool) and isinstance(obj["answer"], str)
    passages = obj["passages"]
    assert isinstance(passages, list) and len(passages) <= k
    scores = []
    for p in passages:
        assert set(p) == {"text", "source", "score"}
        assert isinstance(p["text"], str) and p["text"] and isinstance(p["source"], str)
        assert isinstance(p["score"], float)
        scores.append(p["score"])
    assert scores == sorted(scores, reverse=True)


def test_ask_json_contract(env: tuple[Path, Path], capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["ask", "--json", "--k", "3", "which flour is best for sourdough?"]) == 0
    out = capsys.readouterr().out.strip().splitlines()
    assert len(out) == 1
    obj = json.loads(out[0])
    check_contract(obj, 3)
    assert len(obj["passages"]) == 3
    assert obj["abstained"] is False
    assert obj["passages"][0]["source"] == "faq/what-flour.md"
    # `text` is the passage's full text, as stored.
    assert obj["passages"][0]["text"].startswith("Use strong white bread flour")
    assert "[1]" in obj["answer"] and "faq/what-flour.md" in obj["answer"]


def test_ask_json_default_k_is_five(env: tuple[Path, Path], capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["ask", "--json", "how do I fix a flat tyre"]) == 0
    check_contract(json.loads(capsys.readouterr().out), 5)


def test_batch_from_stdin_keeps_order_and_survives_bad_lines(
    env: tuple[Path, Path], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    questions = ["how do I fix a flat tyre", "", "what's the capital of France?", "x" * 50_000, "ﬂour for sourdough 🍞"]
    monkeypatch.setattr(sys, "stdin", io.StringIO("\n".join(questions) + "\n"))
    assert main(["ask", "--batch", "-", "--json"]) == 0
    lines = capsys.readouterr().out.strip().split("\n")
    assert len(lines) == len(questions)
    objs = [json.loads(line) for line in lines]
    for obj in objs:
        check_contract(obj, 5)
    assert objs[0]["passages"][0]["source"].startswith("articles/bicycle-repair.md")
    assert objs[1]["abstained"] is True and "Please ask a question" in objs[1]["answer"]
    assert objs[2]["abstained"] is True and objs[2]["answer"].startswith("I only know about bread, bicycles")
    assert objs[3]["abstained"] is True
    assert objs[4]["passages"][0]["source"] == "faq/what-flour.md"


def test_batch_file_and_errors(env: tuple[Path, Path], capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    batch = tmp_path / "q.txt"
    batch.write_text("what flour?\nbest time for stars?\n")
    assert main(["ask", "--batch", str(batch), "--json"]) == 0
    assert len(capsys.readouterr().out.strip().splitlines()) == 2
    assert main(["ask", "--batch", str(tmp_path / "missing.txt"), "--json"]) == 1
    assert "cannot read" in capsys.readouterr().err
    assert main(["ask", "--k", "0", "hi"]) == 1
    assert "--k must be between 1 and 20" in capsys.readouterr().err
    assert main(["ask"]) == 1
    assert "give a question" in capsys.readouterr().err


def test_check_reports_problems_and_changes_nothing(
    env: tuple[Path, Path], capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import shutil

    knowledge = tmp_path / "kb"
    shutil.copytree(env[0], knowledge)
    (knowledge / "faq" / "bad.md").write_text("---\nid: Bad Id\nquestion: q\n---\nA.\n")
    monkeypatch.setenv("KNOWLEDGE_DIR", str(knowledge))
    assert main(["build-index", "--check"]) == 1
    err = capsys.readouterr().err
    assert "faq/bad.md:2: id: must be lowercase words joined by hyphens" in err
    assert "the index was not changed" in err


def test_check_points_at_sections_that_show_members_little_and_still_succeeds(
    env: tuple[Path, Path], capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import shutil

    from kb_fixtures import FRAGMENT_LIST

    knowledge = tmp_path / "kb"
    shutil.copytree(env[0], knowledge)
    article = knowledge / "articles" / "baking-bread.md"
    article.write_text(article.read_text(encoding="utf-8") + FRAGMENT_LIST + "\n", encoding="utf-8")
    monkeypatch.setenv("KNOWLEDGE_DIR", str(knowledge))
    assert main(["build-index", "--check"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("OK: ")
    assert lines[1].startswith("advice: articles/baking-bread.md:") and "Topics for the theory round" in lines[1]


@pytest.mark.slow
def test_python_dash_m_bot_ask_json_end_to_end(built_small: tuple[Path, Path], tmp_path: Path) -> None:
    knowledge, index = built_small
    env = {**os.environ, "KNOWLEDGE_DIR": str(knowledge), "INDEX_DIR": str(index), "HF_HUB_OFFLINE": "1"}
    result = subprocess.run(
        [sys.executable, "-m", "bot", "ask", "--json", "when should I look at the night sky?"],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=180,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    obj = json.loads(result.stdout)
    check_contract(obj, 5)
    assert obj["passages"][0]["source"] == "faq/best-night-sky.md"
    assert "Traceback" not in result.stderr


def test_ask_for_a_member_names_the_step_of_their_roadmap(
    env: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from kb_fixtures import SMALL_DECISION

    monkeypatch.setenv("DECISION_FILE", str(SMALL_DECISION))
    question = "How do I proof and shape a sourdough loaf?"
    assert main(["ask", "--user", "dana", question]) == 0
    assert "On your roadmap" not in capsys.readouterr().out  # no goal: nothing extra
    assert main(["roadmap", "done", "starter", "--user", "dana"]) == 0
    capsys.readouterr()
    assert main(["ask", "--user", "dana", question]) == 0
    out = capsys.readouterr().out
    assert "On your roadmap: Bake a first loaf (`first-loaf`). This builds on Gather basic tools, which you" in out
    assert main(["ask", "--json", "--user", "dana", question]) == 0
    context = json.loads(capsys.readouterr().out)["roadmap_context"]
    assert context["step"]["id"] == "first-loaf" and [s["id"] for s in context["missing"]] == ["tools"]


def test_batch_text_names_each_answers_question(
    env: tuple[Path, Path], capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    batch = tmp_path / "q.txt"
    batch.write_text("what flour for sourdough?\n" + "why  " * 100 + "\nwhat is\x1b[31m red\x07 flour\u202e?\n")
    assert main(["ask", "--batch", str(batch)]) == 0
    echoed = [line for line in capsys.readouterr().out.splitlines() if line.startswith("Q: ")]
    assert echoed[0] == "Q: what flour for sourdough?"
    assert len(echoed) == 3 and len(echoed[1]) <= 3 + 200 and "  " not in echoed[1]
    assert not any(c in echoed[2] for c in "\x1b\x07\u202e")  # nothing from the file steers the terminal
    assert main(["ask", "what flour for sourdough?"]) == 0
    assert not capsys.readouterr().out.startswith("Q: ")  # one question: the answer alone, as before
