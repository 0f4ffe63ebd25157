"""The question-answering half of the core: owns the model and the live index, answers questions.

The model and index load once per process. A reload builds a new index version beside the live one
and swaps one reference, so a question in flight finishes on the version it started with.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import Future
from dataclasses import dataclass, field, replace
from pathlib import Path

from pydantic import BaseModel

from bot.core.answers import DECLINE_TEXT, EMPLOYER_PAY_TEXT, Answer, clean_question, decline, empty_answer
from bot.core.batching import MicroBatcher
from bot.core.chunking import ChunkerSettings, for_asker
from bot.core.compose import NEAR_TIE, compose
from bot.core.decision import DecisionModel, Signals, load_decision, signals
from bot.core.embedding import Embedder, Vectors
from bot.core.errors import IndexUnavailable
from bot.core.index.artifacts import current_build, read_knowledge, read_manifest
from bot.core.index.build import BuildReport, Progress, build_index, is_stale
from bot.core.knowledge.loader import load_knowledge
from bot.core.knowledge.models import KnowledgeBase, ScopeRule
from bot.core.language import OTHER_LANGUAGE_TEXT, LanguageGuess
from bot.core.names import nothing_specific, unknown_names
from bot.core.question_parts import split_parts
from bot.core.ranking import Ranker, faq_first, load_ranker, named_background_first
from bot.core.recognised import pay_at_employer, recognised_rule
from bot.core.retrieval import DenseMatch, Hit, Mode, QueryTerms, RetrievalSettings, SearchIndex
from bot.core.spare_cores import SpareCores
from bot.core.spelling import Speller

log = logging.getLogger(__name__)

MAX_K = 20
CANDIDATE_DEPTH = 20  # hits kept per question: the answer's passages, related reading, "did you mean"
SUGGESTIONS = 3
SUGGEST_ABOVE = 0.35  # cosine
# A part of a post the bot answers needs only this probability: the decision was fitted on whole
# questions, and a part ("are there competitions he could join?") says less than the post around it.
# Chosen on the tune split (0.4-0.5 equal, lower answered parts worse on calibrate).
PART_BAR = 0.5
# A part of a post is read in the post's context: a passage's relevance to the whole post, times this,
# is added to its relevance to the part when the part's passages are ordered ("how do I get more
# replies?" in a post about job applications is not about chatbots). Chosen on tune (0.15-0.5 equal,
# +2 long posts of 14; 1.0 worse), checked on calibrate (+1).
POST_CONTEXT = 0.3
# The post's best passages join each part's candidates, so the context can bring them forward even when
# the part's own words never found them ("and is it a good path to ML engineering later?" in a tester's
# post had only the career-change sections to choose from). 5 on calibrate: +2 long posts, tune
# unchanged; 3 gave +1, 8 the same as 5.
POST_BEST = 5
# A batch of at least this many texts (questions and their parts) is encoded on the cores other
# processes left idle, up to the build threads (`spare_cores`): 64 questions at once 551 ms -> 373 ms
# on an idle two-core machine, and no wider next to a busy process, where two threads took 1,132 ms.
WIDE_BATCH = 16


class AdvisorConfig(BaseModel):
    knowledge_dir: Path
    index_dir: Path
    retrieval: RetrievalSettings = RetrievalSettings()
    decision_file: Path | None = None  # None: the model shipped with the package
    ranking_file: Path | None = None  # likewise
    multi_part: bool = True
    chunker: ChunkerSettings = ChunkerSettings()
    spelling: bool = True


@dataclass
class Considered:
    """What retrieval and the decision model made of one question (or one part of a post)."""

    text: str  # what was searched: the member's words with typos repaired
    hits: list[Hit]
    signals: Signals
    probability: float
    covered: bool
    scope_rule: ScopeRule | None = None  # the rule of knowledge/scope.yaml it is closer to than to any passage
    asked: str = ""  # the member's own words, as an answer quotes them back
    terms: QueryTerms | None = None  # of `text`, as the index saw them


@dataclass
class Consideration:
    question: str
    note: str | None
    whole: Considered | None  # None for an empty question
    parts: list[Considered] = field(default_factory=list)
    index: SearchIndex | None = None  # the version it was considered on


class Advisor:
    def __init__(
        self,
        config: AdvisorConfig,
        embedder: Embedder,
        decision: DecisionModel | None = None,
        ranker: Ranker | None = None,
    ) -> None:
        self.config = config
        self.embedder = embedder
        self.decision = decision or load_decision(config.decision_file)
        self.ranker = ranker or load_ranker(config.ranking_file)
        self._index: SearchIndex | None = None
        self._build_lock = threading.Lock()
        self._speller: tuple[SearchIndex, Speller] | None = None
        self._snapshot: tuple[str, KnowledgeBase] | None = None
        self._batcher: MicroBatcher[tuple[str, int], Answer] | None = None
        self._batcher_lock = threading.Lock()
        self.language = LanguageGuess()
        self.spare = SpareCores()

    # -- index lifecycle -------------------------------------------------------------------
    def stale_reason(self) -> str | None:
        return is_stale(self.config.index_dir, self.config.knowledge_dir, self.embedder.ref.name, self.config.chunker)

    def ensure_index(self, notify: Callable[[str], None] | None = None, progress: Progress | None = None) -> None:
        """Build the index when it is missing or stale, then load it (once)."""
        reason = self.stale_reason()
        if reason:
            if notify:
                notify(f"Building the knowledge index ({reason})...")
            self.rebuild(progress=progress)
        elif self._index is None:
            self._index = SearchIndex.load(self.config.index_dir)

    def warm_up(self) -> None:
        """Load the index and the model now, so the first question does not wait for them."""
        _ = self.index
        _ = self.embedder.model
        self.language.load()

    def rebuild(self, progress: Progress | None = None) -> BuildReport:
        """Validate and build a new version, then make it live; the old one serves until then."""
        with self._build_lock:
            report = build_index(
                self.config.knowledge_dir, self.config.index_dir, self.embedder, self.config.chunker, progress=progress
            )
            self._index = SearchIndex.load(self.config.index_dir)
            return report

    def refresh(self) -> bool:
        """Adopt a build another process made live (`roadmap-bot kb reload` moved index/CURRENT).

        Cheap enough to poll every few seconds: one small file read when nothing changed. Returns True
        when a newer build was loaded. Skipped while this process rebuilds (it loads the newest build
        itself); a build that cannot be read, or was made by another model, leaves the live one serving.
        """
        live = self._index
        folder = current_build(self.config.index_dir)
        if live is None or folder is None or (live.folder is not None and live.folder.name == folder.name):
            return False
        if not self._build_lock.acquire(blocking=False):
            return False
        try:
            manifest = read_manifest(self.config.index_dir)
            if manifest is None or manifest.model != self.embedder.ref.name:
                log.warning("Not adopting index build %s: made by another model or unreadable", folder.name)
                return False
            try:
                index = SearchIndex.load(self.config.index_dir)
            except IndexUnavailable as exc:
                log.warning("Not adopting index build %s: %s", folder.name, exc)
                return False
            self._index = index
            log.info("Adopted index build %s written by another process", index.artifacts.manifest.build_id)
            return True
        finally:
            self._build_lock.release()

    @property
    def loaded_index(self) -> SearchIndex | None:
        """The version in memory, if any, without loading or building one."""
        return self._index

    def live_build_id(self) -> str | None:
        """The build this process serves, or (nothing loaded yet, e.g. the CLI) the one on disk."""
        index = self._index
        return index.artifacts.manifest.build_id if index is not None else self.disk_build_id()

    def disk_build_id(self) -> str | None:
        """The build `index/CURRENT` names (what a reload in any process made live last)."""
        manifest = read_manifest(self.config.index_dir)
        return manifest.build_id if manifest else None

    def snapshot(self) -> KnowledgeBase:
        """The knowledge the bot serves (roadmaps, FAQ), without loading the model or building anything:
        the loaded build's, else the current build's on disk, else (no build yet) the folder itself,
        which the first build will be made from."""
        if self._index is not None:
            return self._index.artifacts.knowledge
        folder = current_build(self.config.index_dir)
        if folder is not None:
            cached = self._snapshot
            if cached is None or cached[0] != folder.name:
                try:
                    cached = (folder.name, read_knowledge(folder))
                except IndexUnavailable as exc:
                    log.warning("Reading the knowledge from the folder: %s", exc)
                    return load_knowledge(self.config.knowledge_dir)
                self._snapshot = cached
            return cached[1]
        return load_knowledge(self.config.knowledge_dir)

    @property
    def index(self) -> SearchIndex:
        if self._index is None:
            self.ensure_index()
        assert self._index is not None
        return self._index

    @property
    def knowledge(self) -> KnowledgeBase:
        return self.snapshot()

    # -- questions ---------------------------------------------------------------------------
    def ask(self, question: str, k: int = 5, mode: Mode | None = None) -> Answer:
        """One question, batched with any others arriving at the same moment (blocks until answered)."""
        if mode is not None:
            return self.ask_many([question], k=k, mode=mode)[0]
        return self.submit(question, k).result()

    def submit(self, question: str, k: int = 5) -> Future[Answer]:
        """Queue a question for the next micro-batch; async callers await `asyncio.wrap_future` of it."""
        with self._batcher_lock:
            if self._batcher is None:
                self._batcher = MicroBatcher(self._answer_requests, name="advisor-batcher")
            batcher = self._batcher
        return batcher.submit((question, k))

    def close(self) -> None:
        with self._batcher_lock:
            batcher, self._batcher = self._batcher, None
        if batcher is not None:
            batcher.close()

    def _answer_requests(self, requests: Sequence[tuple[str, int]]) -> list[Answer]:
        considered = self.consider_many([question for question, _ in requests])
        return [self._answer(c, max(1, min(int(k), MAX_K))) for c, (_, k) in zip(considered, requests, strict=True)]

    def ask_many(self, questions: Sequence[str], k: int = 5, mode: Mode | None = None) -> list[Answer]:
        """Answer several questions with one batched encode; each text is encoded exactly once."""
        k = max(1, min(int(k), MAX_K))
        return [self._answer(c, k) for c in self.consider_many(questions, mode)]

    def speller(self, index: SearchIndex) -> Speller:
        """Typo repair towards this index version's words (built once per version)."""
        cached = self._speller
        if cached is None or cached[0] is not index:
            cached = (index, Speller(index.corpus_words, self.embedder.dictionary()))
            self._speller = cached
        return cached[1]

    def consider_many(self, questions: Sequence[str], mode: Mode | None = None) -> list[Consideration]:
        """Retrieve and decide, without composing: what evaluation and calibration look at."""
        index = self.index  # one version for the whole batch
        settings = self.config.retrieval if mode is None else self.config.retrieval.model_copy(update={"mode": mode})
        speller = self.speller(index) if self.config.spelling else None
        plans: list[tuple[str, str | None, str, list[tuple[str, str]]]] = []
        texts: list[str] = []
        for raw in questions:
            text, note = clean_question(raw)
            searched = speller.correct(text) if speller and text else text
            asked = split_parts(text) if text and self.config.multi_part else []
            parts = [(part, speller.correct(part) if speller else part) for part in asked]
            plans.append((text, note, searched, parts))
            if text:
                texts.append(searched)
                texts.extend(part for _, part in parts)
        serving, threads = self.embedder.threads, None
        if serving is not None and len(texts) >= WIDE_BATCH:
            threads = self.spare.threads(serving, self.embedder.build_threads or serving)
        else:
            self.spare.idle()  # every batch looks, so a burst's look covers a short, recent window
        matrix = self.embedder.encode(texts, threads=threads) if texts else None
        # Both rankers run once for the whole batch: one FAISS search, one BM25 call.
        # Every passage's cosines, not only the dense ranker's candidates: a passage BM25 finds keeps its
        # anchors' cosine for the ranker (`search` fuses only the first `candidates`).
        dense = index.dense_many(matrix, len(index.passages), settings.anchors) if matrix is not None else []
        terms = index.terms_many(texts) if texts else []
        lexical = index.lexical_many(terms, settings.candidates) if texts else []
        row = 0
        out: list[Consideration] = []
        for text, note, searched, parts in plans:
            if not text:
                out.append(Consideration(question=text, note=note, whole=None))
                continue
            assert matrix is not None

            def consider(n: int, said: str, asked: str, extra: Sequence[int] = ()) -> Considered:
                return self._consider(index, said, asked, matrix[n], settings, dense[n], terms[n], lexical[n], extra)

            whole = consider(row, searched, text)
            post_best = [h.row for h in whole.hits[:POST_BEST]]
            considered_parts = [consider(row + 1 + n, part, shown, post_best) for n, (shown, part) in enumerate(parts)]
            if self.ranker.active:  # both read relevance as a probability; fused scores are rank-based
                considered_parts = [_in_context(p, whole) for p in considered_parts]
                whole, considered_parts = (
                    _faq_first(index, whole, text),
                    [_faq_first(index, p, text) for p in considered_parts],
                )
            row += 1 + len(parts)
            out.append(Consideration(text, note, whole, considered_parts, index))
        return out

    def _consider(
        self,
        index: SearchIndex,
        text: str,
        asked: str,
        vector: Vectors,
        settings: RetrievalSettings,
        dense: list[DenseMatch],
        terms: QueryTerms,
        lexical: list[tuple[int, float]],
        extra: Sequence[int] = (),
    ) -> Considered:
        hits = self.ranker.rerank(
            index, terms, index.search(vector, text, CANDIDATE_DEPTH, settings, dense, lexical, terms, extra)
        )
        rule, scope = index.scope(vector)
        seen = signals(index, terms, hits, scope)
        covered, probability = self.decision.answers(seen)
        matched = index.artifacts.knowledge.scope[rule] if rule is not None and seen.scope_margin > 0 else None
        return Considered(text, hits, seen, probability, covered and bool(hits), matched, asked, terms)

    def _answer(self, c: Consideration, k: int) -> Answer:
        answer = self._compose(c, k)
        # A decline not recognised by its words (those rules read English) may be the language's doing:
        # the rankers and the scope examples are English too. Say so rather than "not covered".
        if answer.abstained and c.index is not None and _out_of_scope(c.question, c.index) is None:
            language = self.language.other_than_english(c.question, c.index.corpus_words)
            if language is not None:
                body = OTHER_LANGUAGE_TEXT.format(language=language)
                return answer.model_copy(update={"body": body, "reason": "other_language"})
        names = unknown_names(c.question, c.index.corpus_words) if c.index is not None else []
        if answer.abstained or not names:
            return answer
        return answer.model_copy(update={"body": f"{nothing_specific(names)}\n\n{answer.body}"})

    def _compose(self, c: Consideration, k: int) -> Answer:
        """The answer; a question recognised as out of scope by its words is declined, and in a post of
        several questions only the parts so recognised: the others are answered, those told why not."""
        if c.whole is None:
            return empty_answer()
        whole = c.whole
        if c.parts:
            recognised = [(p, _out_of_scope(p.asked, c.index, p.scope_rule)) for p in c.parts]
            told = [(p, out) for p, out in recognised if out is not None]
            if not told:
                return self._compose_from(c, k, c.parts)
            rest = [p for p, out in recognised if out is None]
            # The whole post's passages are pulled by the part out of scope: the other parts answer alone.
            answer = self._compose_from(c, k, rest, whole_answers=False) if rest else None
            if answer is not None and not answer.abstained:
                notes = [f"**{p.asked}**\n{reply}" for p, (reply, _) in told]
                return answer.model_copy(update={"body": "\n\n".join([answer.body, *notes])})
            out = told[0][1]
        else:
            found = _out_of_scope(c.question, c.index, whole.scope_rule)
            if found is None:
                return self._compose_from(c, k, c.parts)
            out = found
        reply, rule = out
        return decline(
            c.question, whole.hits[:k], nearest_faq(whole.hits, c.question), whole.probability, c.note, rule, reply
        )

    def _compose_from(
        self, c: Consideration, k: int, parts: Sequence[Considered], whole_answers: bool = True
    ) -> Answer:
        """`whole_answers=False`: a single answer comes from the best answered part, not the whole post."""
        assert c.whole is not None
        whole = c.whole
        answered_parts = [p for p in parts if p.covered or (whole.covered and p.hits and p.probability >= PART_BAR)]
        picks = _assign(answered_parts, NEAR_TIE if self.ranker.active else None)
        if len(picks) >= 2:
            best = max(answered_parts, key=lambda p: p.probability)
            confidence = whole.probability if whole.covered else best.probability
            # The passages each part is answered from come first, then the whole post's.
            hits = _unique([hit for _, hit in picks] + whole.hits)
            blocks = [(p.asked, hit) for p, hit in _with_shared(answered_parts, picks)]
            return compose(c.question, hits[:k], confidence, c.note, parts=blocks)
        if whole.covered and whole_answers:
            return compose(
                c.question, whole.hits[:k], whole.probability, c.note, ranked=self.ranker.active, focus=_focus(c, whole)
            )
        if answered_parts:
            best = max(answered_parts, key=lambda p: p.probability)
            return compose(
                c.question, best.hits[:k], best.probability, c.note, ranked=self.ranker.active, focus=_focus(c, best)
            )
        return decline(
            c.question,
            whole.hits[:k],
            nearest_faq(whole.hits, c.question),
            whole.probability,
            c.note,
            whole.scope_rule,
        )


def _out_of_scope(
    text: str, index: SearchIndex | None, matched: ScopeRule | None = None
) -> tuple[str, ScopeRule | None] | None:
    """What to say instead of answering, for a kind of question recognised by its words: the reply of the
    knowledge's rule for that kind, else of the scope example the question `matched` (a knowledge base
    with no live-facts rule answers "what does a telescope cost at the moment?" from its shopping
    example), else the plain decline."""
    employer = pay_at_employer(text)
    if employer is not None:
        return EMPLOYER_PAY_TEXT.format(name=employer.capitalize() if employer.islower() else employer), None
    recognised = recognised_rule(text)
    if recognised is None:
        return None
    rules = index.artifacts.knowledge.scope if index is not None else []
    rule = next((r for r in rules if r.id == recognised), matched)
    return (rule.reply if rule else DECLINE_TEXT), rule


def _focus(c: Consideration, considered: Considered) -> Callable[[str], float] | None:
    """How well a paragraph matches what was asked, for `compose` to find the one that answers it."""
    index, terms = c.index, considered.terms
    if index is None or terms is None:
        return None
    return lambda text: index.coverage(terms, text)


def _in_context(part: Considered, whole: Considered) -> Considered:
    """The part's passages reordered by relevance to the part plus `POST_CONTEXT` x relevance to the post.

    The hits keep the ranker's relevance to the part as their score (near ties, "Related" and the
    answer's JSON read it as a probability), and the decision to answer the part was taken on its own.
    """
    post = {h.passage.id: h.score for h in whole.hits}
    hits = sorted(part.hits, key=lambda h: -(h.score + POST_CONTEXT * post.get(h.passage.id, 0.0)))
    return replace(part, hits=hits)


def _assign(parts: Sequence[Considered], near_tie: float | None) -> list[tuple[Considered, Hit]]:
    """Each part answered from a passage of its own, in the post's order.

    Two parts whose best passage is the same ("what rounds should I expect?", "leetcode or theory?")
    would otherwise show it once and leave the other part unanswered. Every part first claims its own
    best passage (the part that matches a shared one best keeps it); a part left without one takes its
    next passage when that is within `near_tie` of its best and is no other part's best (on tune +1 long
    post of 14, the same at 0.05 and 0.10, calibrate unchanged, -1 from 0.20); else the shared passage
    answers it. `near_tie=None` (no ranker: fused scores tie by construction) only de-duplicates.
    """
    order = sorted(range(len(parts)), key=lambda n: -parts[n].hits[0].score)
    picks: dict[int, Hit] = {}
    for n in order:
        top = parts[n].hits[0]
        if all(h.passage.id != top.passage.id for h in picks.values()):
            picks[n] = top
    if near_tie is not None:
        bests = {p.hits[0].passage.id for p in parts}
        for n in order:
            if n in picks:
                continue
            top = parts[n].hits[0]
            taken = {h.passage.id for h in picks.values()}
            hit = next(
                (
                    h
                    for h in parts[n].hits[1:3]
                    if h.passage.id not in taken | bests and top.score - h.score <= near_tie
                ),
                None,
            )
            if hit is not None:
                picks[n] = hit
    return [(parts[n], picks[n]) for n in sorted(picks)]


def _faq_first(index: SearchIndex, considered: Considered, question: str) -> Considered:
    """After the decision: only which passage answers changes, not whether to answer (the passage for the
    member's own background, then an FAQ entry before its sibling section)."""
    return replace(considered, hits=faq_first(index, named_background_first(considered.hits, question), question))


def _with_shared(parts: Sequence[Considered], picks: Sequence[tuple[Considered, Hit]]) -> list[tuple[Considered, Hit]]:
    """The picks, plus each part left without a passage of its own under the picked passage it shares.

    "What are the options for high-cardinality categoricals? I've heard target encoding leaks, how?"
    are both answered by one section: the member sees both questions above it, and it gets the room
    of both (`compose` joins parts that share a passage).
    """
    picked = {hit.passage.id: hit for _, hit in picks}
    out: list[tuple[Considered, Hit]] = []
    for part in parts:
        hit = next((h for p, h in picks if p is part), None)
        if hit is None and part.hits:
            hit = picked.get(part.hits[0].passage.id)
        if hit is not None:
            out.append((part, hit))
    return out


def _unique(hits: Sequence[Hit]) -> list[Hit]:
    seen: set[str] = set()
    out: list[Hit] = []
    for hit in hits:
        if hit.passage.id not in seen:
            seen.add(hit.passage.id)
            out.append(hit)
    return out


def nearest_faq(hits: Sequence[Hit], question: str, limit: int = SUGGESTIONS) -> list[str]:
    """The FAQ questions closest to what was asked, offered as "Did you mean…" with a decline
    (only those at least loosely related: a list of unrelated questions helps nobody; an entry for
    one background only to a member who names it, as for "Related")."""
    out: list[str] = []
    for hit in sorted(hits, key=lambda h: -h.dense):
        if hit.dense < SUGGEST_ABOVE:
            break
        if hit.passage.kind == "faq" and hit.passage.title not in out and for_asker(hit.passage, question):
            out.append(hit.passage.title)
        if len(out) == limit:
            break
    return out
