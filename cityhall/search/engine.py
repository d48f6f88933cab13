"""An in-memory search engine for the catalog: field-weighted BM25 with typo tolerance,
prefix matching, synonyms and ranking priors. Pure Python + numpy; no Django in here.

Why in memory: the catalog is small (hundreds to tens of thousands of documents), and a
per-process index answers in well under a millisecond, which neither database's full-text
search does with typo tolerance. Every web process builds the same index from the database and
rebuilds when the shared index version changes (see index.py).
"""

from __future__ import annotations

import bisect
import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

import numpy as np
from rapidfuzz import process
from rapidfuzz.distance import OSA

from cityhall.search.text import STOPWORDS, allowed_typos, stem, words

FIELD_WEIGHTS = {"title": 5.0, "keywords": 3.0, "summary": 1.5, "body": 1.0, "related": 0.4}
K1, B = 1.2, 0.75
LANGS = ("en", "es")
MAX_QUERY_WORDS = 24
SHORTLIST = 150
TITLE_BONUS = 0.3
SYNONYM_WEIGHT = 0.7  # below an exact word (1.0) and a one-typo match (0.8)


@dataclass(frozen=True)
class IndexDoc:
    key: str  # "service:12"
    kind: str
    object_id: int
    url: str
    title: Mapping[str, str]
    snippet: Mapping[str, str]
    fields: Mapping[str, Mapping[str, str]]  # field -> lang -> text
    popularity: float = 0.0
    season: str = ""
    personas: tuple[str, ...] = ()
    topic: str = ""


@dataclass
class Hit:
    doc: IndexDoc
    score: float
    text_score: float


@dataclass
class SearchContext:
    """What we know beyond the words: used to rank, never to filter."""

    seasons: frozenset[str] = frozenset()
    personas: frozenset[str] = frozenset()
    clicked: Mapping[str, float] = field(default_factory=dict)  # doc key -> 0..1 learned boost
    local: Mapping[str, float] = field(default_factory=dict)  # doc key -> boost near the profile


@dataclass
class Clause:
    word: str
    candidates: dict[str, float]  # stem -> weight
    canonical: str = ""  # the word as we understood it (typo corrected)


class SearchEngine:
    def __init__(self, docs: Iterable[IndexDoc], synonyms: Iterable[Iterable[str]] = ()) -> None:
        self.docs: list[IndexDoc] = list(docs)
        self._build_postings()
        self._build_synonyms(synonyms)

    # --- building -------------------------------------------------------------------------

    def _build_postings(self) -> None:
        n = len(self.docs)
        field_terms: dict[str, list[Counter[str]]] = {f: [] for f in FIELD_WEIGHTS}
        surface_df: Counter[str] = Counter()
        surface_stems: dict[str, set[str]] = defaultdict(set)
        stems: dict[tuple[str, str], str] = {}
        self.folded_titles: list[str] = []
        self.title_terms: list[frozenset[str]] = []
        for doc in self.docs:
            seen_surface: set[str] = set()
            for name in FIELD_WEIGHTS:
                bag: Counter[str] = Counter()
                texts = doc.fields.get(name, {})
                for lang in LANGS:
                    text = texts.get(lang)
                    if not text:
                        continue
                    for word, count in Counter(words(text)).items():
                        if word in STOPWORDS:
                            continue
                        term = stems.get((word, lang))
                        if term is None:
                            term = stems[(word, lang)] = stem(word, lang)
                            surface_stems[word].add(term)
                        bag[term] += count
                        seen_surface.add(word)
                field_terms[name].append(bag)
                if name == "title":
                    self.title_terms.append(frozenset(bag))
            surface_df.update(seen_surface)
            # Titles without stop words, each language on its own, for phrase matching.
            self.folded_titles.append(
                "|".join(
                    " "
                    + " ".join(w for w in words(doc.title.get(lang, "")) if w not in STOPWORDS)
                    + " "
                    for lang in LANGS
                )
            )
        avg_len = {
            name: (sum(sum(bag.values()) for bag in bags) / n if n else 0.0) or 1.0
            for name, bags in field_terms.items()
        }
        weighted: dict[str, dict[int, float]] = defaultdict(dict)
        for name, bags in field_terms.items():
            weight = FIELD_WEIGHTS[name]
            for i, bag in enumerate(bags):
                length = sum(bag.values())
                norm = 1 - B + B * length / avg_len[name]
                for term, tf in bag.items():
                    weighted[term][i] = weighted[term].get(i, 0.0) + weight * tf / norm
        self.postings: dict[str, tuple[np.ndarray, np.ndarray]] = {}
        for term, by_doc in weighted.items():
            df = len(by_doc)
            idf = math.log(1 + (n - df + 0.5) / (df + 0.5))
            ids = np.fromiter(by_doc.keys(), dtype=np.int32, count=df)
            tfw = np.fromiter(by_doc.values(), dtype=np.float32, count=df)
            self.postings[term] = (ids, (idf * tfw * (K1 + 1) / (tfw + K1)).astype(np.float32))
        self.surface_df = surface_df
        self.surface_stems = {w: tuple(sorted(s)) for w, s in surface_stems.items()}
        self.sorted_surface = sorted(surface_stems)
        self.surface_by_length: dict[int, list[str]] = defaultdict(list)
        for word in self.sorted_surface:
            self.surface_by_length[len(word)].append(word)
        self.popularity = np.array([d.popularity for d in self.docs], dtype=np.float32)
        self.kind_of = np.array([d.kind for d in self.docs], dtype=object)
        self.season_of = np.array([d.season for d in self.docs], dtype=object)
        personas = sorted({p for d in self.docs for p in d.personas})[:63]
        self.persona_bit = {p: 1 << i for i, p in enumerate(personas)}
        self.persona_mask = np.array(
            [sum(self.persona_bit.get(p, 0) for p in set(d.personas)) for d in self.docs],
            dtype=np.int64,
        )
        self._pools: dict[tuple[int, int], list[str]] = {}
        self._corrections: dict[str, list[tuple[str, int]]] = {}

    def _build_synonyms(self, groups: Iterable[Iterable[str]]) -> None:
        """Map each synonym term (as a word tuple) to the other terms of its group."""
        self.synonyms: dict[tuple[str, ...], list[tuple[str, ...]]] = defaultdict(list)
        for group in groups:
            terms = [tuple(words(t)) for t in group]
            terms = [t for t in terms if t]
            for term in terms:
                self.synonyms[term].extend(other for other in terms if other != term)
        self.max_synonym_len = max((len(t) for t in self.synonyms), default=1)
        self._pools.clear()
        self._corrections.clear()
        # Synonym words are known words too: "garbaje" should correct to "garbage" even when
        # only the synonym list (not any document) says "garbage".
        added = False
        for term in self.synonyms:
            for word in term:
                if word not in self.surface_stems:
                    self.surface_stems[word] = ()
                    self.surface_by_length[len(word)].append(word)
                    added = True
        if added:
            self.sorted_surface = sorted(self.surface_stems)

    # --- query understanding ----------------------------------------------------------------

    def _exact(self, word: str) -> dict[str, float]:
        """Stems this word was indexed under; for a word never seen (a plural, a conjugation),
        its stems in either language. Seen words keep only their own language's stem, so the
        English "fine" does not also match the Spanish "fin"."""
        known = [s for s in self.surface_stems.get(word, ()) if s in self.postings]
        if known:
            return dict.fromkeys(known, 1.0)
        found = {}
        for lang in LANGS:
            term = stem(word, lang)
            if term in self.postings:
                found[term] = 1.0
        return found

    def _prefix(self, word: str, limit: int = 8) -> dict[str, float]:
        start = bisect.bisect_left(self.sorted_surface, word)
        matches = []
        for candidate in self.sorted_surface[start : start + 200]:
            if not candidate.startswith(word):
                break
            if candidate != word:
                matches.append(candidate)
        matches.sort(key=lambda w: -self.surface_df[w])
        found: dict[str, float] = {}
        for candidate in matches[:limit]:
            for term in self.surface_stems[candidate]:
                found[term] = max(found.get(term, 0.0), 0.9)
        return found

    def corrections(self, word: str, limit: int = 5) -> list[tuple[str, int]]:
        """Known words within the typo budget for `word`, closest and most common first."""
        budget = allowed_typos(word)
        if not budget:
            return []
        cached = self._corrections.get(word)
        if cached is None:
            pool = self._pools.get((len(word), budget))
            if pool is None:
                pool = [
                    w
                    for length in range(len(word) - budget, len(word) + budget + 1)
                    for w in self.surface_by_length.get(length, ())
                ]
                self._pools[(len(word), budget)] = pool
            found = process.extract(word, pool, scorer=OSA.distance, score_cutoff=budget, limit=20)
            cached = sorted(
                ((w, int(d)) for w, d, _ in found), key=lambda x: (x[1], -self.surface_df[x[0]])
            )
            if len(self._corrections) > 50_000:
                self._corrections.clear()
            self._corrections[word] = cached
        return cached[:limit]

    def _fuzzy(self, word: str) -> dict[str, float]:
        found: dict[str, float] = {}
        for candidate, distance in self.corrections(word):
            # Swapped letters ("senoir") are the commonest typo: prefer same-letter candidates.
            if distance == 1:
                weight = 0.85 if sorted(candidate) == sorted(word) else 0.75
            else:
                weight = 0.55
            for term in self.surface_stems[candidate]:
                found[term] = max(found.get(term, 0.0), weight)
        return found

    def _known(self, word: str) -> bool:
        return word in self.surface_stems or bool(self._exact(word))

    def parse(self, query: str, *, prefix: bool = False) -> list[Clause]:
        tokens = words(query)[:MAX_QUERY_WORDS]
        content = [t for t in tokens if t not in STOPWORDS] or tokens
        clauses: list[Clause] = []
        canonical: list[str] = []
        for i, word in enumerate(content):
            candidates = self._exact(word)
            last = i == len(content) - 1
            if prefix and last and len(word) >= 2:
                for term, weight in self._prefix(word).items():
                    candidates.setdefault(term, weight)
            best = word
            if not self._known(word):
                candidates = candidates or self._fuzzy(word)
                corrections = self.corrections(word, limit=1)
                best = corrections[0][0] if corrections else word
            clauses.append(Clause(word, candidates, best))
            canonical.append(best)
        self._expand_synonyms(canonical, clauses)
        return clauses

    def _expand_synonyms(self, tokens: list[str], clauses: list[Clause]) -> None:
        for size in range(min(self.max_synonym_len, len(tokens)), 0, -1):
            for start in range(len(tokens) - size + 1):
                span = tuple(tokens[start : start + size])
                # A synonym stands for the whole span: its weight is shared among the span's
                # words, so "citation" can replace "parking ticket" without counting twice.
                weight = SYNONYM_WEIGHT / size
                for alternative in self.synonyms.get(span, ()):
                    for word in alternative:
                        for term in self._exact(word):
                            for clause in clauses[start : start + size]:
                                if clause.candidates.get(term, 0.0) < weight:
                                    clause.candidates[term] = weight

    # --- searching ----------------------------------------------------------------------------

    def search(
        self,
        query: str,
        *,
        limit: int = 10,
        prefix: bool = False,
        context: SearchContext | None = None,
        kinds: frozenset[str] | None = None,
    ) -> list[Hit]:
        clauses = [c for c in self.parse(query, prefix=prefix)]
        if not clauses or not self.docs:
            return []
        n = len(self.docs)
        total = np.zeros(n, dtype=np.float32)
        matched = np.zeros(n, dtype=np.float32)
        informative = 0.0
        for clause in clauses:
            if not clause.candidates:
                continue
            best = np.zeros(n, dtype=np.float32)
            rarity = 0.0
            for term, weight in clause.candidates.items():
                posting = self.postings.get(term)
                if posting is None:
                    continue
                ids, scores = posting
                best[ids] = np.maximum(best[ids], scores * weight)
                rarity = max(rarity, weight * math.log(1 + n / len(ids)))
            total += best
            # Coverage counts rare words more than common ones: in a long sentence, matching
            # "hole" and "road" says more than matching "house" and "front".
            matched += (best > 0) * rarity
            informative += rarity
        hits_idx = np.flatnonzero(total)
        if hits_idx.size == 0 or informative == 0:
            return []
        coverage = matched[hits_idx] / informative
        text = total[hits_idx] * np.sqrt(coverage)
        context = context or SearchContext()
        if kinds is not None:
            keep = np.isin(self.kind_of[hits_idx], list(kinds))
            hits_idx, text = hits_idx[keep], text[keep]
        prior = 1.0 + 0.3 * self.popularity[hits_idx]
        if context.seasons:
            prior += 0.15 * np.isin(self.season_of[hits_idx], list(context.seasons))
        if context.personas:
            mask = sum(self.persona_bit.get(p, 0) for p in context.personas)
            prior += 0.1 * ((self.persona_mask[hits_idx] & mask) != 0)
        final = text * prior
        # Phrase and learned-click bonuses only matter near the top: apply them to the best few
        # hundred, so a common word in a 50k catalog still answers in a few milliseconds.
        if final.size > SHORTLIST:
            short = np.argpartition(-final, SHORTLIST - 1)[:SHORTLIST]
            hits_idx, text, final = hits_idx[short], text[short], final[short]
        phrase = " " + " ".join(c.canonical or c.word for c in clauses) + " "
        strong = [
            {t for t, w in c.candidates.items() if w >= SYNONYM_WEIGHT}
            for c in clauses
            if c.candidates
        ]
        if len(clauses) > 1 or context.clicked or context.local:
            extra = np.zeros(final.size, dtype=np.float32)
            for j, i in enumerate(hits_idx.tolist()):
                key = self.docs[i].key
                bonus = context.clicked.get(key, 0.0) + context.local.get(key, 0.0)
                if len(clauses) > 1 and phrase in self.folded_titles[i]:
                    bonus += 0.5
                elif len(strong) > 1 and all(terms & self.title_terms[i] for terms in strong):
                    bonus += TITLE_BONUS  # every word of the query is in the title
                extra[j] = bonus
            final = final + text * extra
        k = min(limit, hits_idx.size)
        if k == 0:
            return []
        top = np.argpartition(-final, k - 1)[:k]
        top = top[np.argsort(-final[top], kind="stable")]
        return [Hit(self.docs[int(hits_idx[j])], float(final[j]), float(text[j])) for j in top]

    def did_you_mean(self, query: str) -> str | None:
        """The query with unknown words replaced by the closest common known word."""
        changed = False
        out = []
        for word in words(query)[:MAX_QUERY_WORDS]:
            if word in STOPWORDS or self._known(word):
                out.append(word)
                continue
            options = self.corrections(word, limit=1)
            if options:
                out.append(options[0][0])
                changed = True
            else:
                out.append(word)
        return " ".join(out) if changed else None
