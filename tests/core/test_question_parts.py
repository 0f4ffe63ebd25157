"""Which sentences of a post ask something: members often ask without a question mark."""

from __future__ import annotations

import pytest

from bot.core.question_parts import asks, split_parts


@pytest.mark.parametrize(
    "sentence",
    [
        "So I'm wondering whether I can skip RNNs and go straight to transformers.",
        "not sure if I should pause the coding and do three months of maths first",
        "I cant figure out if I should fine-tune a model or build retrieval over the documents.",
        "Second, do I actually need a vector database at this size.",
        "Third — how do I check whether the answers are any good",
        "Last thing: is C++ worth learning for ML jobs.",
        "also kinda random but how much does VRAM matter for small CNNs",
        "If I buy something later, is a MacBook fine for PyTorch.",
        "If I go that route do I still need the classic ML fundamentals",
        "Also, given my background, which role is the most realistic to aim for.",
        "And once it's deployed, what does monitoring even mean for a model",
        "My manager offered to pay for a cert, do those actually matter to recruiters.",
        "I have no idea how to prepare for the system design round either.",
        "Also curious how salaries compare to data analyst roles.",
        "Does a master's degree matter for ML jobs.",
        "Do bootcamps actually help people get hired",
        "Did the bootcamp help anyone here get a job",
        "Also what kind of projects would make the ML team take me seriously, since my work is dashboards.",
        "how much math is needed for ML",
        "how advanced is the maths in a typical ML interview",
        "what speed is needed for a recommender to feel instant",
    ],
)
def test_a_sentence_that_asks_without_a_question_mark(sentence: str) -> None:
    assert asks(sentence)


@pytest.mark.parametrize(
    "sentence",
    [
        "In my last job, which was in finance, I built reports in Excel.",
        "did the fast.ai course and a couple of sklearn projects.",
        "But when I open a blank notebook, I freeze.",
        "I finished a physics degree last year and work in a lab.",
        "Second year of an economics degree, switched my electives to statistics.",
        "I'm 29, did my masters in physics and now work as an analyst.",
        "I trained it for ten epochs, did it again with dropout.",
        "I asked my manager, how much time I could spend on it.",
        "If you want to do it right you need the maths.",
        "If the data is there I retrain every night.",
        "So, what I did was build a scraper.",
        "As a beginner, what helped me most was Kaggle.",
        "what got me hired was two projects.",
        "How I got in was luck, honestly.",
        "I got curious about how recommender systems work and built one.",
        "I was torn between two offers and took the ML one.",
        "I don't know how, but I passed the interview.",
    ],
)
def test_a_sentence_that_tells(sentence: str) -> None:
    assert not asks(sentence)


def test_a_post_that_asks_indirectly_is_split_into_its_questions() -> None:
    post = (
        "Data analyst here, 31. My manager wants a chatbot over our policy documents. "
        "Do I fine-tune a model on the PDFs or build retrieval? "
        "Second, do I need a vector database at this size. "
        "Third — how do I check the answers are any good before people trust them"
    )
    assert split_parts(post) == [
        "Do I fine-tune a model on the PDFs or build retrieval?",
        "Second, do I need a vector database at this size.",
        "Third — how do I check the answers are any good before people trust them",
    ]


def test_a_short_question_that_points_back_borrows_the_two_sentences_before_it() -> None:
    post = (
        "Some background first. I'm 26 and switched from accounting last spring. "
        "My coworkers casually cite papers I have never heard of. Is this normal or am I behind? "
        "Also how do you all keep up with research without reading every evening?"
    )
    assert split_parts(post)[0] == (
        "I'm 26 and switched from accounting last spring. "
        "My coworkers casually cite papers I have never heard of. Is this normal or am I behind?"
    )
    tuning = (
        "I pick tree depth by checking the test set score every time until it looks best. "
        "But the number we get in production is always worse. Am I doing something wrong here? "
        "And what is the right way to tune those settings?"
    )
    assert split_parts(tuning)[0].startswith("I pick tree depth by checking the test set score")
    # "have" and "ask" name no topic: "these" is the interview loop of the sentence before.
    loop = (
        "Just landed my first ML engineer interview loop, it's next month. "
        "I have no idea what they even ask in these. What should I prepare for?"
    )
    assert split_parts(loop)[0].startswith("Just landed my first ML engineer interview loop")


def test_an_alternative_or_a_word_or_two_after_a_question_belong_to_it() -> None:
    post = (
        "Is it realistic to get a remote ML job as a junior? Or do I need experience locally first. "
        "Which tracking tool should we adopt, MLflow? Kubeflow? "
        "Also curious how salaries compare to data analyst roles."
    )
    assert split_parts(post) == [
        "Is it realistic to get a remote ML job as a junior? Or do I need experience locally first.",
        "Which tracking tool should we adopt, MLflow? Kubeflow?",
        "Also curious how salaries compare to data analyst roles.",
    ]


def test_a_short_question_after_a_question_is_a_question_of_its_own() -> None:
    assert split_parts("How do I learn PyTorch? Do I need Docker?") == ["How do I learn PyTorch?", "Do I need Docker?"]


@pytest.mark.parametrize(
    "post",
    [
        "do ml engineers need docker? how much should i learn",
        "what is data leakage exactly? I read about it but dont understand when it happen",
        "What is a transformer? How does it work?",
        "leetcode for ml jobs?? do i need that",
        "GATE vs job after btech for ML engineer role? which is better pls tell",
    ],
)
def test_a_follow_up_made_of_asking_words_only_stays_with_its_question(post: str) -> None:
    # "how much should i learn" names no topic: answered alone it was answered on "learn" (a study plan)
    assert split_parts(post) == []


def test_a_follow_up_with_a_learning_verb_and_a_topic_of_its_own_is_a_question_of_its_own() -> None:
    assert split_parts("Do I need a GPU? What should I learn?") == ["Do I need a GPU?", "What should I learn?"]


def test_numbered_items_that_only_name_things_belong_to_the_question_before_them() -> None:
    post = (
        "How do ML engineer interviews usually look like? 1) coding part 2) ML theory 3) system design? "
        "How should I prepare each part?"
    )
    assert split_parts(post) == [
        "How do ML engineer interviews usually look like? 1) coding part 2) ML theory 3) system design?",
        "How should I prepare each part?",
    ]
    # a numbered item that asks is a question of its own
    asks = "(1) how do I find where my model goes wrong? (2) is there a good resource on debugging models?"
    assert split_parts(asks) == [
        "(1) how do I find where my model goes wrong?",
        "(2) is there a good resource on debugging models?",
    ]
