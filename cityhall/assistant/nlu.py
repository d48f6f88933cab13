"""Understanding what a resident asks: an intent classifier trained offline on the project's own
labelled examples (plus every published article's title and keywords), blended with retrieval
over the catalog (the search engine the site uses). See docs/decisions/0012-virtual-assistant.md.

The model is trained once per training-data version and kept on disk (`ASSISTANT_MODEL_DIR`),
so web processes load it instead of training; `cityhall assistant train` builds it ahead."""

from __future__ import annotations

import hashlib
import json
import os
import re
import threading
import time
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings

TRAINING_DIR = Path(__file__).resolve().parent / "data"
MODEL_FORMAT = 4

# Intents answered by a task flow instead of an article; the article each one replaces is
# cited by the flow, and the retrieval baseline maps that article to the task.
TASK_INTENTS = ("report_problem", "case_status", "trash_day", "opening_hours")
SMALL_TALK = ("greeting", "thanks", "goodbye")
HANDOFF = "talk_to_person"
OUT_OF_SCOPE = "out_of_scope"
ARTICLE_OWNED_BY_TASK = {
    "trash-pickup-day": "trash_day",
    "city-hall-hours": "opening_hours",
    "track-311-request": "case_status",
}
FAQ_PREFIX = "faq:"

_CASE_NUMBER = re.compile(r"\b\d{4}\s*-\s*\d{3,7}\b")
_DIGITS = re.compile(r"\d+")
_URL = re.compile(r"https?://\S+|www\.\S+")
_TAGS = re.compile(r"<[^>]{0,200}>")
_NOT_WORD = re.compile(r"[^a-z0-9ñ ]+")


def prepare(text: str) -> str:
    """Lowercase, without accents, markup or links; case numbers become one token and other
    numbers a placeholder, so "2026-000123" and "2026-000456" look the same to the model."""
    text = _TAGS.sub(" ", _URL.sub(" ", text[:2000]))
    text = _CASE_NUMBER.sub(" casenumber ", text.lower())
    text = _DIGITS.sub(" 0 ", text)
    decomposed = unicodedata.normalize("NFKD", text.replace("ñ", "\0"))
    text = "".join(c for c in decomposed if not unicodedata.combining(c)).replace("\0", "ñ")
    return " ".join(_NOT_WORD.sub(" ", text).split())


@dataclass(frozen=True)
class Example:
    text: str
    intent: str
    lang: str = "en"


def labelled_examples() -> list[Example]:
    """The hand-written examples shipped with the project."""
    examples = []
    for path in sorted(TRAINING_DIR.glob("training*.jsonl")):
        with path.open(encoding="utf-8") as lines:
            for line in lines:
                if line.strip():
                    row = json.loads(line)
                    examples.append(Example(row["text"], row["intent"], row.get("lang", "en")))
    return examples


def questions_by_article() -> dict[str, list[Example]]:
    """The hand-written questions behind each article's intent, by article slug: search indexes
    them as residents' own words for the article ("my heat is out and the landlord won't
    answer")."""
    owner = {intent: slug for slug, intent in ARTICLE_OWNED_BY_TASK.items()}
    out: dict[str, list[Example]] = {}
    for example in labelled_examples():
        slug = owner.get(example.intent)
        if slug is None and example.intent.startswith(FAQ_PREFIX):
            slug = example.intent[len(FAQ_PREFIX) :]
        if slug:
            out.setdefault(slug, []).append(example)
    return out


def article_examples(articles: Iterable[dict[str, Any]]) -> list[Example]:
    """Each published article teaches its own intent by its titles and keywords."""
    examples = []
    for article in articles:
        intent = ARTICLE_OWNED_BY_TASK.get(article["slug"], FAQ_PREFIX + article["slug"])
        for question, lang in article.get("questions", []):
            examples.append(Example(question, intent, lang))
        for lang in ("en", "es"):
            examples.append(Example(article[f"title_{lang}"], intent, lang))
            keywords = [k for k in article.get(f"keywords_{lang}") or [] if k]
            if keywords:
                examples.append(Example(" ".join(keywords), intent, lang))
    return examples


@dataclass
class Guess:
    intent: str
    confidence: float
    ranked: list[tuple[str, float]]
    # The in-scope/out-of-scope detector's margin: above 0 it thinks "not a city question".
    out_of_scope: float = 0.0
    # What retrieval and the message's address added, by intent.
    evidence: dict[str, float] = field(default_factory=dict)


class IntentModel:
    """TF-IDF over character n-grams (typos, Spanish accents, word pieces) and words, with two
    linear classifiers on the same features: one over every intent (probabilities are a
    softmax over its margins) and one that only tells city questions from everything else,
    which catches out-of-scope questions the many-way classifier spreads thin."""

    def __init__(self) -> None:
        self.features: Any = None
        self.classifier: Any = None
        self.scope: Any = None
        self.intents: list[str] = []

    def fit(self, examples: list[Example]) -> IntentModel:
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.pipeline import FeatureUnion
        from sklearn.svm import LinearSVC

        self.features = FeatureUnion(
            [
                (
                    "chars",
                    TfidfVectorizer(
                        analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True, min_df=1
                    ),
                ),
                ("words", TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True)),
            ]
        )
        matrix = self.features.fit_transform([prepare(e.text) for e in examples])
        labels = [e.intent for e in examples]
        self.classifier = LinearSVC(C=0.5, class_weight="balanced").fit(matrix, labels)
        self.scope = LinearSVC(C=0.5, class_weight="balanced").fit(
            matrix, [label == OUT_OF_SCOPE for label in labels]
        )
        self.intents = list(self.classifier.classes_)
        return self

    def _matrix(self, texts: list[str]) -> Any:
        # The union's own transform goes through joblib even for one text (a third of a
        # reply's time); stacking the two vectorizers' outputs directly gives the same matrix.
        from scipy.sparse import hstack

        prepared = [prepare(t) for t in texts]
        parts = [
            vectorizer.transform(prepared) for _name, vectorizer in self.features.transformer_list
        ]
        return hstack(parts, format="csr")

    def margins(self, texts: list[str]) -> Any:
        return self.classifier.decision_function(self._matrix(texts))

    def guess(self, text: str, *, retrieved: dict[str, float] | None = None) -> Guess:
        import numpy as np

        matrix = self._matrix([text])
        margins = self.classifier.decision_function(matrix)[0]
        out_of_scope = float(self.scope.decision_function(matrix)[0])
        if retrieved:
            margins = margins.copy()
            for intent, weight in retrieved.items():
                if intent in self._index:
                    margins[self._index[intent]] += RETRIEVAL_WEIGHT * weight
        scaled = np.exp((margins - margins.max()) * TEMPERATURE)
        probabilities = scaled / scaled.sum()
        order = np.argsort(-probabilities)[:5]
        ranked = [(self.intents[i], float(probabilities[i])) for i in order]
        return Guess(
            intent=ranked[0][0],
            confidence=ranked[0][1],
            ranked=ranked,
            out_of_scope=out_of_scope,
            evidence=dict(retrieved or {}),
        )

    @property
    def _index(self) -> dict[str, int]:
        index = getattr(self, "_intent_index", None)
        if index is None:
            index = {intent: i for i, intent in enumerate(self.intents)}
            self._intent_index = index
        return index


# How far retrieval can move the classifier's margins, and how peaked the confidence is.
RETRIEVAL_WEIGHT = 0.6
TEMPERATURE = 6.0


def training_examples(articles: list[dict[str, Any]]) -> list[Example]:
    return labelled_examples() + article_examples(articles)


def fingerprint(examples: list[Example]) -> str:
    digest = hashlib.sha256(f"format {MODEL_FORMAT}\n".encode())
    for example in examples:
        digest.update(f"{example.intent}\t{example.lang}\t{example.text}\n".encode())
    return digest.hexdigest()[:16]


def model_dir() -> Path:
    return Path(settings.ASSISTANT_MODEL_DIR)


def load_or_train(examples: list[Example]) -> IntentModel:
    """The model for these examples: from disk when an identical one was trained before."""
    import joblib

    path = model_dir() / f"intent-{fingerprint(examples)}.joblib"
    if path.exists():
        try:
            model: IntentModel = joblib.load(path)
            return model
        except Exception:  # noqa: BLE001 - a torn or foreign file is simply retrained
            path.unlink(missing_ok=True)
    model = IntentModel().fit(examples)
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(f".{os.getpid()}-{threading.get_ident()}.tmp")
    joblib.dump(model, partial)
    partial.replace(path)  # atomic: another process never reads half a file
    # Each publish trains a new model; keep the few newest (processes may still load them).
    try:
        files = sorted(path.parent.glob("intent-*.joblib"), key=lambda p: p.stat().st_mtime)
        for stale in files[:-5]:
            stale.unlink(missing_ok=True)
    except OSError:  # another process tidied up at the same moment
        pass
    return model


_model: IntentModel | None = None
_model_version: Any = None
_checked_at = 0.0
_lock = threading.Lock()


def current_model() -> IntentModel:
    """This process's model, retrained (or reloaded) when the catalog's published articles
    change, which the search index version already tracks."""
    global _model, _model_version, _checked_at
    from cityhall.search.index import shared_version

    now = time.monotonic()
    interval = getattr(settings, "SEARCH_INDEX_CHECK_SECONDS", 1.0)
    if _model is not None and now - _checked_at < interval:
        return _model
    version = shared_version()
    with _lock:
        if _model is None or version != _model_version:
            from cityhall.assistant.queries import published_articles

            _model = load_or_train(training_examples(published_articles()))
            _model_version = version
        _checked_at = now
        return _model


def forget() -> None:
    global _model, _model_version, _checked_at
    with _lock:
        _model, _model_version, _checked_at = None, None, 0.0
