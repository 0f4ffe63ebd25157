"""Requests recognised by their words: a quoted error, "write me…code", one employer's pay right now."""

from __future__ import annotations

import pytest

from bot.core.recognised import CODE_RULE, DEBUGGING_RULE, pay_at_employer, recognised_rule


@pytest.mark.parametrize(
    "question",
    [
        "My spark job fails with java.lang.OutOfMemoryError: GC overhead limit exceeded, how do I fix it",
        "getting ValueError: Input contains NaN when i call fit",
        'I get "Error in UseMethod("predict") : no applicable method" in R, why?',
        "Traceback (most recent call last): File 'train.py', line 3 ... what's wrong?",
        "NullPointerException in my feature job",
    ],
)
def test_a_quoted_error_is_a_debugging_request(question: str) -> None:
    assert recognised_rule(question) == DEBUGGING_RULE


@pytest.mark.parametrize(
    "question",
    [
        "Write me an airflow DAG that retrains an xgboost model weekly",
        "can u write me python code for a movie recommender",
        "could someone please implement k-means in numpy for me, it's for a class",
        "write the full FastAPI + Dockerfile code to deploy my model",
    ],
)
def test_asking_for_code_to_be_written_is_a_code_request(question: str) -> None:
    assert recognised_rule(question) == CODE_RULE


@pytest.mark.parametrize(
    "question",
    [
        "how do I fix cuda out of memory when fine-tuning?",  # a symptom the knowledge answers
        "what is the difference between an error and a bias in a model?",
        "can you give me a realistic study plan for 10 hours a week?",
        "how do I write clean code for ML projects?",
        "does that give me a head start for MLOps?",
        "what SQL concept do I need to find the days between purchases?",
        "",
    ],
)
def test_questions_about_errors_or_code_are_not_requests(question: str) -> None:
    assert recognised_rule(question) is None


def test_a_recognised_request_is_declined_and_a_posts_other_part_answered(small_advisor) -> None:  # type: ignore[no-untyped-def]
    from bot.core.answers import DECLINE_TEXT

    [answer] = small_advisor.ask_many(["my oven timer app throws ValueError: bad crust, how do I fix it?"])
    assert answer.abstained and answer.reason == "out_of_scope"
    assert answer.body == DECLINE_TEXT  # this knowledge has no "debugging" rule to reply with
    post = "How often should I feed my sourdough starter? And can you write me python code for a bread timer?"
    [answer] = small_advisor.ask_many([post])
    assert not answer.abstained and "starter" in answer.body.lower()
    assert answer.body.endswith(f"**And can you write me python code for a bread timer?**\n{DECLINE_TEXT}")


@pytest.mark.parametrize(
    ("question", "employer"),
    [
        ("What is the salary for a junior ML engineer at Google London right now?", "Google"),
        ("what is the salary of ml engineer fresher at google india right now", "google"),
        ("how much does monzo pay ML engineers in london", "monzo"),
        ("what's Spotify's salary for a senior MLE?", "Spotify"),
        ("current base salary for a research scientist at DeepMind? need it for my negotiation", "DeepMind"),
    ],
)
def test_pay_at_one_employer_is_recognised(question: str, employer: str) -> None:
    assert pay_at_employer(question) == employer


@pytest.mark.parametrize(
    "question",
    [
        "how much do ml engineers make",
        "what salary should i ask for at my first job offer",
        "is the pay better at a startup or at big tech?",
        "what do ML engineers earn at entry level?",
        "do they pay well in Europe?",
        "does freelancing pay well for ML people?",
        "how do i get an ML job at Google?",  # no pay asked
        "how much can I earn at 30 if I start now",
        "",
    ],
)
def test_pay_in_general_and_employers_without_pay_are_not(question: str) -> None:
    assert pay_at_employer(question) is None, question
