"""The roadmap command line, end to end: `bot.cli.main([...])` on a tmp store and a tmp knowledge folder."""

from __future__ import annotations

import json
import shutil
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from bot.cli import main

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "roadmaps"
ARTICLE = """---
id: fixture-article
title: Fixture article
---
## Python
Python is a programming language used for machine learning.
"""


def _knowledge(root: Path, roadmaps: list[str]) -> Path:
    (root / "roadmaps").mkdir(parents=True)
    (root / "articles").mkdir()
    (root / "articles" / "fixture-article.md").write_text(ARTICLE, encoding="utf-8")
    for name in roadmaps:
        shutil.copy(FIXTURES / f"{name}.yaml", root / "roadmaps" / f"{name}.yaml")
    return root


@pytest.fixture
def cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> Any:
    """run(*argv) -> (exit code, stdout, stderr), against two fixture roadmaps."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'data' / 'bot.db'}")
    monkeypatch.setenv("KNOWLEDGE_DIR", str(_knowledge(tmp_path / "knowledge", ["ml-basics", "data-basics"])))
    monkeypatch.setenv("LOG_LEVEL", "WARNING")

    def run(*argv: str) -> tuple[int, str, str]:
        code = main(list(argv))
        out, err = capsys.readouterr()
        return code, out, err

    return run


def _error(err: str) -> str:
    lines = [line for line in err.splitlines() if line.startswith("roadmap-bot:")]
    assert len(lines) == 1, err
    return lines[0]


def test_roadmap_list_json(cli: Any) -> None:
    code, out, _ = cli("roadmap", "list", "--json")
    assert code == 0
    data = json.loads(out)
    assert [r["id"] for r in data] == ["data-basics", "ml-basics"]
    assert all(set(r) == {"id", "title", "steps"} for r in data)
    ml = data[1]
    assert ml["title"] == "ML Basics"
    assert ml["steps"][2] == {"id": "numpy-pandas", "title": "NumPy and pandas", "prerequisites": ["python-basics"]}
    code, out, _ = cli("roadmap", "list")
    assert code == 0 and "ml-basics: ML Basics (5 steps" in out and "**" not in out


def test_full_journey(cli: Any) -> None:
    code, _, err = cli("roadmap", "next", "--user", "u1")
    assert code == 1 and "goal set" in _error(err)

    target = (date.today() + timedelta(days=70)).isoformat()
    code, out, _ = cli("goal", "set", "ml-basics", "--user", "u1", "--target-date", target, "--note", "evenings")
    assert code == 0 and "Goal set" in out and target in out

    code, out, _ = cli("roadmap", "next", "--user", "u1", "--json")
    assert code == 0
    data = json.loads(out)
    assert set(data) == {"roadmap", "steps"} and data["roadmap"] == "ml-basics"
    assert data["steps"][0] == {
        "id": "python-basics",
        "title": "Python basics",
        "summary": "Write small Python programs with functions and data structures.",
        "prerequisites": [],
        "articles": ["fixture-article"],
    }
    assert [s["id"] for s in data["steps"]] == ["python-basics", "math-basics"]

    assert cli("roadmap", "start", "python-basics", "--user", "u1")[0] == 0
    assert cli("roadmap", "done", "python-basics", "--user", "u1")[0] == 0
    assert cli("roadmap", "skip", "math-basics", "--user", "u1")[0] == 0
    assert cli("roadmap", "start", "numpy", "--user", "u1")[0] == 0  # a former id

    code, out, _ = cli("roadmap", "progress", "--user", "u1", "--json")
    assert code == 0
    data = json.loads(out)
    assert set(data) == {"roadmap", "done", "total", "percent", "steps"}
    assert (data["roadmap"], data["done"], data["total"], data["percent"]) == ("ml-basics", 2, 5, 40.0)
    assert data["steps"] == [
        {"id": "python-basics", "status": "done"},
        {"id": "math-basics", "status": "skipped"},
        {"id": "numpy-pandas", "status": "in_progress"},
        {"id": "first-model", "status": "todo"},
        {"id": "model-evaluation", "status": "todo"},
    ]
    assert isinstance(data["percent"], float)

    code, out, _ = cli("roadmap", "progress", "--user", "u1")
    assert code == 0 and "40% · 2/5 steps" in out and "h/week" in out

    assert cli("roadmap", "undo", "math-basics", "--user", "u1")[0] == 0
    code, out, _ = cli("roadmap", "next", "--user", "u1")
    assert code == 0 and out.index("NumPy and pandas") < out.index("Math basics")  # in progress first

    code, out, _ = cli("roadmap", "show", "--user", "u1")
    assert code == 0 and "[x] python-basics Python" in out and "[>] numpy-pandas NumPy" in out and "`" not in out

    code, out, _ = cli("goal", "list", "--user", "u1")
    assert code == 0 and "* ML Basics (ml-basics)" in out


def test_done_with_open_prerequisites(cli: Any) -> None:
    cli("goal", "set", "ml-basics", "--user", "u2")
    code, out, _ = cli("roadmap", "done", "first-model", "--user", "u2")
    assert code == 0 and "still open" in out and "--with-prerequisites" in out
    code, out, _ = cli("roadmap", "done", "first-model", "--user", "u2", "--with-prerequisites")
    assert code == 0 and "Also marked done" in out
    data = json.loads(cli("roadmap", "progress", "--user", "u2", "--json")[1])
    assert data["done"] == 4


def test_complete_roadmap(cli: Any) -> None:
    cli("goal", "set", "data-basics", "--user", "u3")
    cli("roadmap", "done", "sql-joins", "--user", "u3", "--with-prerequisites")
    code, out, _ = cli("roadmap", "next", "--user", "u3")
    assert code == 0 and "every step is done" in out and "ml-basics (ML Basics)" in out
    code, out, _ = cli("roadmap", "next", "--user", "u3", "--json")
    assert json.loads(out) == {"roadmap": "data-basics", "steps": []}


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["goal", "set", "ml-basic", "--user", "u"], "Did you mean: ml-basics"),
        (["goal", "set", "ml-basics", "--user", "u", "--target-date", "31/12/2030"], "YYYY-MM-DD"),
        (["goal", "set", "ml-basics", "--user", "u", "--target-date", "2031-02-30"], "YYYY-MM-DD"),
        (["goal", "set", "ml-basics", "--user", "u", "--target-date", "2001-01-01"], "in the past"),
        (["goal", "set", "ml-basics", "--user", "u", "--note", "n" * 5000], "500"),
        (["goal", "set", "ml-basics", "--user", ""], "user id is required"),
        (["goal", "set", "ml-basics", "--user", "x" * 101], "at most 100"),
        (["export", "--user", "   "], "user id is required"),
        (["goal", "switch", "nope", "--user", "u"], "Unknown roadmap 'nope'"),
    ],
)
def test_bad_input_is_one_line_on_stderr(cli: Any, argv: list[str], expected: str) -> None:
    code, out, err = cli(*argv)
    assert code == 1 and out == ""
    assert expected in _error(err)


def test_unknown_step_suggests(cli: Any) -> None:
    cli("goal", "set", "ml-basics", "--user", "u4")
    code, _, err = cli("roadmap", "done", "pyton-basic", "--user", "u4")
    assert code == 1 and "Unknown step 'pyton-basic'. Did you mean: python-basics" in _error(err)
    code, _, err = cli("roadmap", "done", "Evaluation of modles", "--user", "u4")
    assert code == 1 and "model-evaluation" in _error(err)


def test_odd_unicode_user_and_note(cli: Any) -> None:
    user = "名前-ユーザー 🚀"
    note = "Ünïcødé ‮ *stars* @everyone"
    target = (date.today() + timedelta(days=30)).isoformat()
    assert cli("goal", "set", "ml-basics", "--user", user, "--note", note, "--target-date", target)[0] == 0
    data = json.loads(cli("export", "--user", user)[1])
    assert data["user_id"] == user and data["goals"][0]["note"] == note


def test_export_and_forget(cli: Any) -> None:
    cli("goal", "set", "ml-basics", "--user", "u5")
    cli("roadmap", "done", "python-basics", "--user", "u5")
    code, out, _ = cli("export", "--user", "u5")
    data = json.loads(out)
    assert code == 0 and data["goals"][0]["roadmap"] == "ml-basics" and data["progress"][0]["step"] == "python-basics"
    code, out, _ = cli("forget", "--user", "u5")
    assert code == 0 and "1 goal" in out and "1 step status" in out
    data = json.loads(cli("export", "--user", "u5")[1])
    assert data["goals"] == [] and data["progress"] == []
    assert "Nothing was stored" in cli("forget", "--user", "u5")[1]


def test_only_roadmap_needs_no_goal(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'one.db'}")
    monkeypatch.setenv("KNOWLEDGE_DIR", str(_knowledge(tmp_path / "kn", ["ml-basics"])))
    monkeypatch.setenv("LOG_LEVEL", "WARNING")
    assert main(["roadmap", "done", "python-basics", "--user", "solo"]) == 0
    assert "only roadmap" in capsys.readouterr().out
    assert main(["roadmap", "next", "--user", "solo", "--json"]) == 0
    assert [s["id"] for s in json.loads(capsys.readouterr().out)["steps"]] == ["math-basics", "numpy-pandas"]


def test_broken_knowledge_is_an_error_but_export_still_works(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'b.db'}")
    monkeypatch.setenv("KNOWLEDGE_DIR", str(tmp_path / "missing"))
    monkeypatch.setenv("LOG_LEVEL", "WARNING")
    assert main(["roadmap", "list"]) == 1
    assert "knowledge folder" in capsys.readouterr().err
    assert main(["export", "--user", "z"]) == 0
    assert json.loads(capsys.readouterr().out)["goals"] == []


def test_messages_name_the_command_lines_own_commands(cli: Any) -> None:
    code, out, err = cli("roadmap", "progress", "--user", "newcomer")
    assert code == 1 and out == ""  # a member with no goal is told so, not shown an empty 0% roadmap
    assert _error(err).endswith(
        "Choose one with `roadmap-bot goal set ROADMAP --user ID` (`roadmap-bot roadmap list` lists them)."
    )
    assert json.loads(cli("export", "--user", "newcomer")[1])["goals"] == []  # and reading created nothing
    cli("goal", "set", "ml-basics", "--user", "u6")
    code, _, err = cli("roadmap", "done", "sql-joins", "--user", "u6")
    assert code == 1 and _error(err).endswith("Switch with `roadmap-bot goal set data-basics --user ID`.")
