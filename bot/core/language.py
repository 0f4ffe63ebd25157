"""Which language a question is written in, so a decline can say why when it is not English.

The knowledge base and the embedding model are English. A member who writes "q es mlops y tengo q
aprenderlo ahora o despues" is mostly declined (the words are unknown to both rankers), and a plain
"I don't know" would tell them the topic is missing when it is the language. py3langid ships its
model in the package (no download; docs/models.md says how it was checked); limited to the languages
members here are likely to write, its guesses are sharper. Its guess alone called "how do i make a portfolio if i got no experience" Italian,
so a question also needs many words the knowledge base never uses (`FOREIGN_WORDS`) and, in a Latin
script, two function words of the language guessed. Checked on the evaluation's tune and calibrate
questions and the trial sessions' English questions (1,132, none flagged) and 30 Spanish-and-English
posts (25 flagged; the fewest unknown words among them was 47%).
"""

from __future__ import annotations

import functools
import hashlib
import logging
import re
import threading
from collections.abc import Container
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

# ISO 639-1 codes py3langid knows, with the names a reply uses. A guess in a Latin script must also find
# two of that language's function words ("asdkjh qwpoeiru zmxncb" was once "Dutch"), so only languages
# bm25s has a stop-word list for are here; one in another script must be written mostly in it.
LANGUAGES = {
    "en": "English",
    "es": "Spanish",
    "pt": "Portuguese",
    "fr": "French",
    "de": "German",
    "it": "Italian",
    "nl": "Dutch",
    "tr": "Turkish",
    "sv": "Swedish",
    "no": "Norwegian",
    "da": "Danish",
    "ru": "Russian",
    "uk": "Ukrainian",
    "zh": "Chinese",
    "ja": "Japanese",
    "ko": "Korean",
    "ar": "Arabic",
    "hi": "Hindi",
}
NON_LATIN = {"ru", "uk", "zh", "ja", "ko", "ar", "hi"}
FUNCTION_WORDS = 2  # of the guessed language, among a Latin-script question's words
# py3langid 0.3.0's model file, the same blob as the public repository's tag v0.3.0 (adbar/py3langid).
MODEL_SHA256 = "8c99809ff6de3d129e447306d30ceae4713735230dced7e8d4d46df89e6968ce"
SURE = 0.8  # the guess's probability among LANGUAGES
MIN_LETTERS = 12  # shorter texts ("pls", "ok ty") are too little to tell
FOREIGN_WORDS = 0.4  # the share of a question's words the knowledge base never uses (English: median 3%)
_WORDS = re.compile(r"[^\W\d_]+")

OTHER_LANGUAGE_TEXT = (
    "I can only read questions in English so far, and this one looks like it's in {language}: "
    "ask it again in English and I'll look it up."
)


class LanguageGuess:
    """Loads py3langid's model on first use (about half a second), then guesses in well under a millisecond."""

    def __init__(self) -> None:
        self._identifier: Any = None
        self._failed = False
        self._lock = threading.Lock()

    def load(self) -> bool:
        """Whether the model is ready; a broken install is logged once and leaves declines as they were."""
        with self._lock:
            if self._identifier is None and not self._failed:
                try:
                    self._identifier = _identifier()
                except (OSError, ImportError, ValueError) as exc:
                    log.warning("Declines will not name a question's language: %s", exc)
                    self._failed = True
            return self._identifier is not None

    def other_than_english(self, text: str, known: Container[str]) -> str | None:
        """The language's name when `text` is confidently not English, else None; `known`: the
        knowledge base's words, lowercase."""
        words = _WORDS.findall(text.lower())
        if sum(map(len, words)) < MIN_LETTERS or sum(w not in known for w in words) < FOREIGN_WORDS * len(words):
            return None
        if not self.load():
            return None
        code, probability = self._identifier.classify(text)
        if code == "en" or probability < SURE:
            return None
        if code in NON_LATIN:
            letters = [c for c in text if c.isalpha()]
            written_in_it = sum(not c.isascii() for c in letters) >= len(letters) / 2
            return LANGUAGES[code] if written_in_it else None
        return LANGUAGES[code] if sum(w in _function_words(code) for w in words) >= FUNCTION_WORDS else None


@functools.cache
def _function_words(code: str) -> frozenset[str]:
    """The language's stop words that English does not share ("a", "in", "is" prove nothing)."""
    import bm25s.stopwords as stopwords

    words = getattr(stopwords, f"STOPWORDS_{LANGUAGES[code].upper()}", ())  # bm25s names them in English
    return frozenset(words) - frozenset(stopwords.STOPWORDS_EN)


def _identifier() -> Any:
    import py3langid.langid as langid

    model = Path(langid.__file__).parent / langid.MODEL_FILE
    if hashlib.sha256(model.read_bytes()).hexdigest() != MODEL_SHA256:
        raise ValueError(f"py3langid's model at {model} is not the verified one; reinstall py3langid==0.3.0")
    identifier = langid.LanguageIdentifier.from_pickled_model(langid.MODEL_FILE, norm_probs=True)
    identifier.set_languages(list(LANGUAGES))
    return identifier
