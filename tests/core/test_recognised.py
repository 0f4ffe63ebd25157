"""Requests recognised by their words: a quoted error, "write me…code", a derivation, one employer's pay right now."""

from __future__ import annotations

import pytest

from bot.core.recognised import (
    CODE_RULE,
    DEBUGGING_RULE,
    DERIVATION_RULE,
    LIVE_FACTS_RULE,
    pay_at_employer,
    recognised_rule,
)


@pytest.mark.parametrize(
    "question",
    [
        "My spark job fails with java.lang.OutOfMemoryError: GC overhead limit exceeded, how do I fix it",
        "getting ValueError: Input contains NaN when i call fit",
        'I get "Error in UseMethod("predict") : no applicable method" in R, why?',
        "Traceback (most recent call last): File 'train.py', line 3 ... what's wrong?",
        "my loop keeps throwing a KeyError on the label column, why",
        "**ValueError: shapes (32,10) and (64,1) not aligned** what now",
        'getting "CUDA error: no kernel image is available for execution on the device" in my pod, how do I fix it',
    ],
)
def test_a_quoted_error_is_a_debugging_request(question: str) -> None:
    assert recognised_rule(question) == DEBUGGING_RULE


@pytest.mark.parametrize(
    "question",
    [
        "Write me an airflow DAG that retrains an xgboost model weekly",
        "can u write me python code for a movie recommender",
        "could someone please implement k-means in numpy for my assignment",
        "Give me python code for linear regression",
        "write the full FastAPI + Dockerfile code to deploy my model",
        # "as a portfolio project" says what the code is for, not who could write it
        "can you write me a full PyTorch training pipeline with MLflow tracking so I can put it on github as a portfolio project",
        "Write me a terraform module that provisions a Kubernetes cluster with a GPU node pool",
        "give me a regex that pulls the dates out of these log lines",
        # asking for the code itself after a how-to
        "How do I call the OpenAI API from Python to summarise survey reports, kindly show the exact code",
        "how to call Einstein LLM generations API from apex class, pls share exact syntax",
        "how do I call the embeddings API from python? whats the exact syntax",
        "can you show me the code for training a CNN on MNIST",
        "Write me a Kafka Streams processor that calls TF Serving for each event",
        "write me a react hook that streams llm responses token by token",
    ],
)
def test_asking_for_code_to_be_written_is_a_code_request(question: str) -> None:
    assert recognised_rule(question) == CODE_RULE


@pytest.mark.parametrize(
    "question",
    [
        "can you derive the backpropagation equations for a 2 layer network step by step with all the matrix calculus",
        "derive the backprop equations for a 2 layer neural net step by step with full matrix calculus pls",
        "Please give me the full mathematical derivation of backpropagation for a 3 layer network",
        "show me full derivation of backpropagation with matrix calculus for 3 layer network step by step",
        "prove mathematically that k-means always converges",
        "walk me through the full derivation of the VAE ELBO, including the closed-form KL term",
    ],
)
def test_asking_for_a_derivation_or_proof_is_a_deep_technical_request(question: str) -> None:
    assert recognised_rule(question) == DERIVATION_RULE


@pytest.mark.parametrize(
    "question",
    [
        "do I need to be able to derive backprop by hand for interviews?",
        "should I learn to derive the gradient of logistic regression?",
        "how can I prove my skills to employers without a degree?",
        "is it important to derive the equations or just understand them?",
        "How do I prove to recruiters that I can do ML?",
        "Do interviewers ask you to derive backprop?",
        "how do I fix cuda out of memory when fine-tuning?",  # a symptom the knowledge answers
        "what is the difference between an error and a bias in a model?",
        'what does "error analysis" mean in ML interviews?',
        "can you give me a realistic study plan for 10 hours a week?",
        "how do I write clean code for ML projects?",
        "does that give me a head start for MLOps?",
        "what SQL concept do I need to find the days between purchases?",
        "What's the difference between a TypeError and a ValueError, and do I need to know Python exceptions?",
        "Should I use MeanSquaredError or MeanAbsoluteError loss for regression in Keras?",
        "I spent a whole day on a ValueError in my first sklearn project. Is it normal to struggle this much?",
        "I fixed my first KeyError today! How long does it take to get job-ready in ML?",
        "How much code will you write as an ML engineer day to day?",
        "Can you code your way into ML without a degree?",
        "Can anyone write production code without a CS degree?",
        "Can you write production-quality code as a self-taught ML engineer?",
        "Can you write me a study plan for learning ML? I already know some Python.",
        "should I write my ML code in notebooks or scripts?",
        "should i share the code of my portfolio projects publicly on github?",
        "how do I show my code to recruiters if it belongs to my employer?",
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
    story = "I fixed my first ValueError in my bread app today! How often should I feed my sourdough starter?"
    assert not small_advisor.ask_many([story])[0].abstained
    [answer] = small_advisor.ask_many([post])
    assert not answer.abstained and "starter" in answer.body.lower()
    assert answer.body.endswith(f"**And can you write me python code for a bread timer?**\n{DECLINE_TEXT}")


@pytest.mark.parametrize(
    ("question", "employer"),
    [
        ("What is the salary for a junior ML engineer at Google London right now?", "Google London"),
        ("what is the salary of ml engineer fresher at google india right now", "google"),
        ("how much does monzo pay ML engineers in london right now", "monzo"),
        ("how much does monzo pay ML engineers in london", None),  # a lowercase word: only about now
        ("what's Spotify's salary for a senior MLE?", "Spotify"),
        ("current base salary for a research scientist at DeepMind? need it for my negotiation", "DeepMind"),
        ("How much do ML engineers make at Google?", "Google"),
        ("How much does **Google** pay ML engineers?", "Google"),
        ("what is ml engineer salary at google this year for new grad?", "google"),
        ("what is the current salary for a junior ML engineer at ICON plc in Dublin right now", "ICON"),
        ("how much do ML engineers at Accenture Manila get paid right now", "Accenture Manila"),
        ("what salary Google Warsaw pays for junior ML engineer right now?", "Google Warsaw"),
        ("how much would Spotify pay for a junior MLE?", "Spotify"),
        ("What does IBM pay junior ML engineers?", "IBM"),
    ],
)
def test_pay_at_one_employer_is_recognised(question: str, employer: str | None) -> None:
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
        "I work at Tesco as a data analyst. How much do ML engineers earn in the UK?",
        "I'm a student at Stanford; what salary can I expect as a new grad ML engineer?",
        "I'm an intern at Amazon, what salary should I ask for when I convert to full time?",
        "What is an ML engineer's salary in India?",
        "Is the paid certificate at Coursera worth it for getting an ML job?",
        "Should I pay for the ML course at Udacity or use free resources?",
        "What should I pay attention to at interviews for ML roles?",
        "Do ML engineers who work at scale earn more than those at startups?",
        "What's the typical pay at research labs compared to product teams?",
        "Is pay at European companies much lower than in the US?",
        "Does MLOps pay more than data science?",
        "Does Google offer free ML courses, or are the good ones paid?",
        "How much prize money can you earn at Kaggle competitions, and does it help get hired?",
        "Is it worth getting a masters? I've read ML engineers at Google earn a lot.",
        "does freelancing pay well for ml people right now?",
        "Does Python pay more than Java?",
        "Does Computer Vision pay more than NLP?",
        "Do ML engineers get paid more than data scientists?",
        "what do MLEs at FAANG earn?",
        "Is the salary at NYC startups better?",
        "salary at PhD level vs MSc level?",
        "What do AI engineers get paid at startups vs big tech?",
        "how much do I need to pay for the course at Coursera?",
        "How much does the nanodegree at Udacity cost, and does it pay for itself?",
        "how much do companies pay for ML engineers at entry level?",
        "",
    ],
)
def test_pay_in_general_and_employers_without_pay_are_not(question: str) -> None:
    assert pay_at_employer(question) is None, question


@pytest.mark.parametrize(
    "question",
    [
        "when is the deadline for the Google STEP internship application this year?",
        "what is last date to apply for IIT Madras AI/ML diploma this year?",
        "When is the application deadline for the fall 2025 computational linguistics MSc?",
        "hasta when? lol, when's the deadline for the NHS data science graduate scheme this year",
        "do applications close in march this year for the deepmind residency",
    ],
)
def test_an_application_deadline_is_a_live_fact(question: str) -> None:
    assert recognised_rule(question) == LIVE_FACTS_RULE


@pytest.mark.parametrize(
    "question",
    [
        "how do I stay motivated studying ML without a deadline?",
        "my team keeps missing deadlines on ML projects, how do we estimate better?",
        "do companies open internship applications many months before the start?",
    ],
)
def test_deadlines_in_general_are_not_live_facts(question: str) -> None:
    assert recognised_rule(question) is None


@pytest.mark.parametrize(
    "question",
    [
        "what does an AWS p3 GPU instance cost per hour right now",
        "how much does the Google Data Analytics certificate cost on coursera right now",
        "what is the current on-demand price of a p4d.24xlarge in eu-central-1",
        "whats the price of an RTX 4090 today",
    ],
)
def test_a_price_as_of_now_is_a_live_fact(question: str) -> None:
    assert recognised_rule(question) == LIVE_FACTS_RULE


@pytest.mark.parametrize(
    "question",
    [
        "how much does it cost to train a model on the cloud?",
        "is a GPU worth the cost for a beginner?",
        "are ML certifications worth their price?",
        "what do ML engineers earn right now?",
    ],
)
def test_prices_in_general_are_not_live_facts(question: str) -> None:
    assert recognised_rule(question) is None
