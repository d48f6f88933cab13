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

from cityhall.search.text import STOPWORDS, allowed_typos, plural_variants, stem, words

# "asked": questions residents ask that an article answers (the assistant's examples).
FIELD_WEIGHTS = {
    "title": 5.0,
    "keywords": 3.0,
    "summary": 1.5,
    "body": 1.0,
    "related": 0.4,
    "asked": 2.0,
}
K1, B = 1.2, 0.75
LANGS = ("en", "es")
MAX_QUERY_WORDS = 24
SHORTLIST = 150
TITLE_BONUS = 0.3
SYNONYM_WEIGHT = 0.7  # below an exact word (1.0) and a one-typo match (0.8)
STEM_GUESS_WEIGHT = 0.9  # an unseen word ("fired") through its stem ("fire")
OTHER_FORM_WEIGHT = 0.5  # a synonym found only as another word of its stem
PAIR_MIN = 0.75  # a word read as a one-typo correction still counts for title pairs
COMPOUND_WEIGHT = 0.9  # "pot hole" for "pothole", "streetlight" for "street light"
PAIR_BONUS = 0.25  # per adjacent pair of query words found side by side in the title


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
    # Multi-word alternatives ("sin hogar" for "homeless", "street light" for "streetlight"):
    # they match a document only when it has every word of them.
    phrases: dict[tuple[str, ...], float] = field(default_factory=dict)


class SearchEngine:
    def __init__(self, docs: Iterable[IndexDoc], synonyms: Iterable[Iterable[str]] = ()) -> None:
        self.docs: list[IndexDoc] = list(docs)
        groups = [list(g) for g in synonyms]
        vocabulary = {w for g in groups for t in g for w in words(t)}
        vocabulary |= {v[0] for w in list(vocabulary) for v in plural_variants((w,))}
        self._build_postings(vocabulary)
        self._build_synonyms(groups)

    # --- building -------------------------------------------------------------------------

    def _build_postings(self, synonym_words: set[str] = frozenset()) -> None:  # type: ignore[assignment]
        n = len(self.docs)
        # Which documents have a synonym's own word (not just its stem): "refuse" (garbage)
        # should find "refuse collection" before "the driver refused".
        surface_docs: dict[str, list[int]] = defaultdict(list)
        field_terms: dict[str, list[Counter[str]]] = {f: [] for f in FIELD_WEIGHTS}
        surface_df: Counter[str] = Counter()
        surface_stems: dict[str, set[str]] = defaultdict(set)
        stems: dict[tuple[str, str], str] = {}
        self.folded_titles: list[str] = []
        for i, doc in enumerate(self.docs):
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
            surface_df.update(seen_surface)
            for word in seen_surface & synonym_words:
                surface_docs[word].append(i)
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
            order = np.argsort(ids, kind="stable")  # sorted ids: phrases intersect them
            scores = (idf * tfw * (K1 + 1) / (tfw + K1)).astype(np.float32)
            self.postings[term] = (ids[order], scores[order])
        # Adjacent title words (as stems, stop words skipped), for the word-pair bonus: "parking
        # permit for my street" puts "Residential parking permit" above "Street permit".
        pairs: dict[tuple[str, str], list[int]] = defaultdict(list)
        for i, doc in enumerate(self.docs):
            seen_pairs: set[tuple[str, str]] = set()
            for lang in LANGS:
                title = [w for w in words(doc.title.get(lang, "")) if w not in STOPWORDS]
                title_stems = [stems.get((w, lang)) or stem(w, lang) for w in title]
                seen_pairs.update(zip(title_stems, title_stems[1:], strict=False))
            for pair in seen_pairs:
                pairs[pair].append(i)
        self.title_pairs = {pair: np.array(ids, dtype=np.int32) for pair, ids in pairs.items()}
        in_title: dict[str, list[int]] = defaultdict(list)
        for i, bag in enumerate(field_terms["title"]):
            for term in bag:
                in_title[term].append(i)
        self.title_docs = {t: np.array(ids, dtype=np.int32) for t, ids in in_title.items()}
        self.key_index = {doc.key: i for i, doc in enumerate(self.docs)}
        self.surface_df = surface_df
        self.surface_docs = {w: np.array(ids, dtype=np.int32) for w, ids in surface_docs.items()}
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
        self._phrase_postings: dict[tuple[str, ...], tuple[np.ndarray, np.ndarray]] = {}
        self._synonym_postings: dict[tuple[str, ...], tuple[np.ndarray, np.ndarray]] = {}

    def _build_synonyms(self, groups: Iterable[Iterable[str]]) -> None:
        """Map each synonym term (as a word tuple) to the other terms of its group."""
        self.synonyms: dict[tuple[str, ...], list[tuple[str, ...]]] = defaultdict(list)
        for group in groups:
            terms = [
                tuple(w for w in words(t) if w not in STOPWORDS) or tuple(words(t)) for t in group
            ]
            terms = list(dict.fromkeys(t for t in terms if t))
            for term in terms:
                others = [other for other in terms if other != term]
                # Singular and plural say the same: "tag" finds the group that says "tags".
                for key in dict.fromkeys([term, *plural_variants(term)]):
                    known = self.synonyms[key]
                    known.extend(o for o in others if o not in known and o != key)
        self.max_synonym_len = max((len(t) for t in self.synonyms), default=1)
        self._pools.clear()
        self._corrections.clear()
        self._phrase_postings.clear()
        # Synonym words are known words too: "garbaje" should correct to "garbage" even when
        # only the synonym list (not any document) says "garbage".
        added = False
        for term in {other for others in self.synonyms.values() for other in others}:
            for word in term:
                if word not in self.surface_stems:
                    self.surface_stems[word] = ()
                    self.surface_by_length[len(word)].append(word)
                    added = True
        if added:
            self.sorted_surface = sorted(self.surface_stems)
        # Every synonym's documents, worked out once here rather than in a resident's search.
        self._synonym_postings = {}
        alternatives = {other for others in self.synonyms.values() for other in others}
        for alternative in alternatives:
            self._synonym_postings[alternative] = self.phrase_posting(alternative)
        self._phrase_postings.clear()

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
            # A stem cut down to three letters says little about an unseen word: "senoir" is a
            # typo for "senior", not a form of whatever stems to "sen".
            if term in self.postings and (len(term) >= 4 or term == word):
                found[term] = STEM_GUESS_WEIGHT
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
            if not distance:
                continue
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

    def _likely_typo(self, word: str) -> bool:
        """A known but rare word next to a much more common one ("recyling" in a keyword list,
        "recycling" everywhere) is probably that word mistyped."""
        df = self.surface_df.get(word, 0)
        if df > 2 or not allowed_typos(word):
            return False
        own = set(self.surface_stems.get(word, ()))
        return any(
            self.surface_df.get(c, 0) >= 25 * max(df, 1)
            for c, d in self.corrections(word)
            if d and not own & set(self.surface_stems.get(c, ()))  # "fired" is not "fire" mistyped
        )

    def phrase_posting(self, phrase: tuple[str, ...]) -> tuple[np.ndarray, np.ndarray]:
        """Documents with every word of the phrase (any of each word's stems), scored by the
        mean of the words' scores; a document with the word itself (or its singular or plural)
        scores more than one with only another word of the same stem."""
        cached = self._synonym_postings.get(phrase) or self._phrase_postings.get(phrase)
        if cached is not None:
            return cached
        ids: np.ndarray | None = None
        total: np.ndarray | None = None
        for word in phrase:
            lists = [self.postings[t] for t in self._exact(word)]
            if not lists:
                ids = np.zeros(0, dtype=np.int32)
                break
            if len(lists) == 1:
                w_ids, w_scores = lists[0]
            else:  # one score per document: the best of this word's stems
                all_ids = np.concatenate([x[0] for x in lists])
                all_scores = np.concatenate([x[1] for x in lists])
                order = np.lexsort((-all_scores, all_ids))
                all_ids, all_scores = all_ids[order], all_scores[order]
                first = np.flatnonzero(np.r_[True, all_ids[1:] != all_ids[:-1]])
                w_ids, w_scores = all_ids[first], all_scores[first]
            own = [
                self.surface_docs[f]
                for f in (word, *(v[0] for v in plural_variants((word,))))
                if f in self.surface_docs
            ]
            if own:  # documents with only another form of the word ("refused") count less
                has_form = np.isin(w_ids, np.concatenate(own))
                w_scores = np.where(has_form, w_scores, w_scores * OTHER_FORM_WEIGHT)
            if ids is None or total is None:
                ids, total = w_ids, w_scores.copy()
            else:
                ids, mine, theirs = np.intersect1d(
                    ids, w_ids, assume_unique=True, return_indices=True
                )
                total = total[mine] + w_scores[theirs]
            if ids.size == 0:
                break
        if ids is None or total is None or ids.size == 0:
            result = (np.zeros(0, dtype=np.int32), np.zeros(0, dtype=np.float32))
        else:
            result = (ids.astype(np.int32), (total / len(phrase)).astype(np.float32))
        if len(self._phrase_postings) > 20_000:
            self._phrase_postings.clear()
        self._phrase_postings[phrase] = result
        return result

    def _split(self, word: str) -> tuple[str, str] | None:
        """ "streetlight" -> ("street", "light") when both halves are known words."""
        best = None
        for cut in range(3, len(word) - 2):
            left, right = word[:cut], word[cut:]
            if left in STOPWORDS or right in STOPWORDS:
                continue
            if self._exact(left) and self._exact(right):
                score = min(self.surface_df.get(left, 0), self.surface_df.get(right, 0))
                if best is None or score > best[0]:
                    best = (score, (left, right))
        return best[1] if best else None

    def parse(self, query: str, *, prefix: bool = False) -> list[Clause]:
        tokens = words(query)[:MAX_QUERY_WORDS]
        content = [t for t in tokens if t not in STOPWORDS] or tokens
        clauses: list[Clause] = []
        canonical: list[str] = []
        for i, word in enumerate(content):
            exact = self._exact(word)
            candidates = dict(exact)
            last = i == len(content) - 1
            if prefix and last and len(word) >= 2:
                for term, weight in self._prefix(word).items():
                    candidates.setdefault(term, weight)
            clause = Clause(word, candidates, word)
            seen = word in self.surface_stems
            likely_typo = seen and self._likely_typo(word)
            if not seen or likely_typo:
                # An unseen word may be both a form of a known word (its stem matched) and a
                # typo of another: keep every reading, the exact one strongest.
                for term, weight in self._fuzzy(word).items():
                    if candidates.get(term, 0.0) < weight:
                        candidates[term] = weight
                if likely_typo or not exact:
                    corrections = [c for c, d in self.corrections(word, limit=2) if d]
                    if corrections:
                        clause.canonical = corrections[0]
                if not exact:
                    halves = self._split(word)
                    if halves:
                        clause.phrases[halves] = COMPOUND_WEIGHT
            clauses.append(clause)
            canonical.append(clause.canonical)
        self._join_compounds(canonical, clauses)
        self._expand_synonyms(canonical, clauses)
        if canonical != content:  # the words as typed may be a synonym too ("fired")
            self._expand_synonyms(content, clauses)
        return clauses

    def _join_compounds(self, tokens: list[str], clauses: list[Clause]) -> None:
        """ "pot hole", "street light", "e waste": two words that the catalog writes as one."""
        for i in range(len(tokens) - 1):
            joined = tokens[i] + tokens[i + 1]
            for term in self._exact(joined) if joined in self.surface_stems else ():
                for clause in clauses[i : i + 2]:
                    if clause.candidates.get(term, 0.0) < COMPOUND_WEIGHT / 2:
                        clause.candidates[term] = COMPOUND_WEIGHT / 2

    def _expand_synonyms(self, tokens: list[str], clauses: list[Clause]) -> None:
        for size in range(min(self.max_synonym_len, len(tokens)), 0, -1):
            for start in range(len(tokens) - size + 1):
                span = tuple(tokens[start : start + size])
                # A synonym stands for the whole span: its weight is shared among the span's
                # words, so "citation" can replace "parking ticket" without counting twice.
                weight = SYNONYM_WEIGHT / size
                for alternative in self.synonyms.get(span, ()):
                    # Every word of a multi-word alternative must be there: "sin hogar" for
                    # "homeless" is not any document that says "sin".
                    for clause in clauses[start : start + size]:
                        if clause.phrases.get(alternative, 0.0) < weight:
                            clause.phrases[alternative] = weight

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
        gathered: list[tuple[list[tuple[np.ndarray, np.ndarray, float]], float]] = []
        for clause in clauses:
            if not clause.candidates and not clause.phrases:
                continue
            rarity = 0.0
            postings: list[tuple[tuple[np.ndarray, np.ndarray] | None, float]] = [
                (self.postings.get(t), w) for t, w in clause.candidates.items()
            ]
            own_idf = max(
                (self._idf(len(p[0])) for p, w in postings if p is not None and w >= 1.0),
                default=0.0,
            )
            for phrase, weight in clause.phrases.items():
                ids, scores = self.phrase_posting(phrase)
                if own_idf and len(ids):
                    # A rare synonym of a common word must not outscore the word itself: it is
                    # worth at most what the resident's own word is worth ("blended" idf).
                    weight *= min(1.0, own_idf / self._idf(len(ids)))
                postings.append(((ids, scores), weight))
            found = []
            for posting, weight in postings:
                if posting is None or not len(posting[0]):
                    continue
                found.append((posting[0], posting[1], weight))
                rarity = max(rarity, weight * math.log(1 + n / len(posting[0])))
            gathered.append((found, rarity))
        informative = sum(rarity for _, rarity in gathered)
        if informative == 0:
            return []
        # Work on the documents that match any word, not on the whole catalog: a long sentence
        # in a 50k catalog stays a few milliseconds.
        touched = np.zeros(n, dtype=bool)
        for found, _ in gathered:
            for ids, _, _ in found:
                touched[ids] = True
        candidates = np.flatnonzero(touched)
        position = np.empty(n, dtype=np.int32)
        position[candidates] = np.arange(candidates.size, dtype=np.int32)
        total = np.zeros(candidates.size, dtype=np.float32)
        matched = np.zeros(candidates.size, dtype=np.float32)
        for found, rarity in gathered:
            best = np.zeros(candidates.size, dtype=np.float32)
            for number, (ids, scores, weight) in enumerate(found):
                at = position[ids]
                if number == 0:  # nothing to compare with yet
                    best[at] = scores * weight
                else:
                    best[at] = np.maximum(best[at], scores * weight)
            total += best
            # Coverage counts rare words more than common ones: in a long sentence, matching
            # "hole" and "road" says more than matching "house" and "front".
            np.add(matched, rarity, out=matched, where=best > 0)
        nonzero = np.flatnonzero(total)
        if nonzero.size == 0:
            return []
        hits_idx = candidates[nonzero]
        total, matched = total[nonzero], matched[nonzero]
        coverage = matched / informative
        text = total * np.sqrt(coverage)
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
        if len(clauses) > 1 or context.clicked or context.local:
            extra = np.zeros(final.size, dtype=np.float32)
            if len(clauses) > 1:
                extra += self._title_bonus(clauses, hits_idx)
            for learned in (context.clicked, context.local):
                for key, boost in learned.items():
                    i = self.key_index.get(key)
                    if i is not None:
                        extra[hits_idx == i] += boost
            final = final + text * extra
        k = min(limit, hits_idx.size)
        if k == 0:
            return []
        top = np.argpartition(-final, k - 1)[:k]
        top = top[np.argsort(-final[top], kind="stable")]
        return [Hit(self.docs[int(hits_idx[j])], float(final[j]), float(text[j])) for j in top]

    def _title_bonus(self, clauses: list[Clause], hits_idx: np.ndarray) -> np.ndarray:
        """The whole query as a phrase in the title (0.5); else every word of it in the title
        (TITLE_BONUS); else PAIR_BONUS for each two adjacent query words side by side there."""
        phrase = " " + " ".join(c.canonical or c.word for c in clauses) + " "
        whole = np.fromiter(
            (phrase in self.folded_titles[i] for i in hits_idx.tolist()),
            dtype=bool,
            count=hits_idx.size,
        )
        strong = [
            {t for t, w in c.candidates.items() if w >= SYNONYM_WEIGHT}
            | {
                t
                for p, w in c.phrases.items()
                if w >= SYNONYM_WEIGHT and len(p) == 1
                for t in self._exact(p[0])
            }
            for c in clauses
            if c.candidates or c.phrases
        ]
        n = len(self.docs)

        def among_hits(id_lists: list[np.ndarray]) -> np.ndarray:
            mask = np.zeros(n, dtype=bool)
            for ids in id_lists:
                mask[ids] = True
            return mask[hits_idx]

        every = np.full(hits_idx.size, len(strong) > 1)
        for terms in strong:
            if not every.any():
                break
            every &= among_hits([self.title_docs[t] for t in terms if t in self.title_docs])
        pairs = np.zeros(hits_idx.size, dtype=np.float32)
        # A mistyped word counts too: "street ligth" is the title's "street light".
        exact = [{t for t, w in c.candidates.items() if w >= PAIR_MIN} for c in clauses]
        for left, right in zip(exact, exact[1:], strict=False):
            side_by_side = [
                self.title_pairs[(a, b)] for a in left for b in right if (a, b) in self.title_pairs
            ]
            if side_by_side:
                pairs += among_hits(side_by_side)
        return np.where(whole, 0.5, np.where(every, TITLE_BONUS, PAIR_BONUS * pairs)).astype(
            np.float32
        )

    def _idf(self, df: int) -> float:
        n = len(self.docs)
        return math.log(1 + (n - df + 0.5) / (df + 0.5))

    def did_you_mean(self, query: str) -> str | None:
        """The query with unknown words replaced by the closest common known word."""
        changed = False
        out = []
        for word in words(query)[:MAX_QUERY_WORDS]:
            if word in STOPWORDS or (self._known(word) and not self._likely_typo(word)):
                out.append(word)
                continue
            options = [w for w, distance in self.corrections(word) if distance]
            if options:
                out.append(options[0])
                changed = True
            else:
                out.append(word)
        return " ".join(out) if changed else None
