"""Turning text into search terms: accents folded, lowercase, light stemming per language."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import snowballstemmer

_WORD = re.compile(r"[a-z0-9]+")
_STEMMERS = {"en": snowballstemmer.stemmer("english"), "es": snowballstemmer.stemmer("spanish")}

STOPWORDS = frozenset(
    [
        "a",
        "an",
        "and",
        "are",
        "as",
        "at",
        "be",
        "by",
        "can",
        "do",
        "does",
        "for",
        "from",
        "how",
        "i",
        "if",
        "in",
        "is",
        "it",
        "its",
        "me",
        "my",
        "of",
        "on",
        "or",
        "our",
        "the",
        "their",
        "there",
        "this",
        "to",
        "we",
        "what",
        "which",
        "who",
        "why",
        "will",
        "with",
        "you",
        "your",
        "i'm",
        "im",
        "want",
        "need",
        "get",
        "got",
        "have",
        "has",
        "had",
        "please",
        "help",
        "about",
        "do",
        "does",
        "did",
        "could",
        "would",
        "should",
        "into",
        "el",
        "la",
        "los",
        "las",
        "un",
        "una",
        "unos",
        "unas",
        "y",
        "o",
        "de",
        "del",
        "al",
        "en",
        "con",
        "por",
        "para",
        "que",
        "como",
        "cual",
        "quien",
        "mi",
        "mis",
        "su",
        "sus",
        "es",
        "son",
        "esta",
        "estan",
        "hay",
        "me",
        "se",
        "lo",
        "le",
        "les",
        "yo",
        "necesito",
        "quiero",
        "tengo",
        "puedo",
        "sobre",
        "ayuda",
        # Function words of whole sentences: "my tap water looks brown this morning".
        "am",
        "was",
        "were",
        "been",
        "just",
        "so",
        "but",
        "they",
        "them",
        "us",
        "he",
        "she",
        "him",
        "his",
        "her",
        "that",
        "these",
        "those",
        "than",
        "then",
        "too",
        "very",
        "really",
        "some",
        "any",
        "dont",
        "cant",
        "t",
        "s",
        "m",
        "re",
        "ve",
        "ll",
        "d",
        "today",
        "yesterday",
        "tonight",
        "morning",
        "muy",
        "mas",
        "pero",
        "este",
        "esto",
        "estos",
        "ese",
        "eso",
        "esa",
        "nos",
        "te",
        "ya",
        "porque",
        "tan",
        "algo",
        "hola",
        "favor",
    ]
)


@lru_cache(maxsize=65536)
def fold(text: str) -> str:
    """Lowercase and strip accents: "Información" -> "informacion"."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


MAX_WORD_LENGTH = 40  # longer "words" are pasted junk; typo matching on them is quadratic


def words(text: str) -> list[str]:
    return [w for w in _WORD.findall(fold(text)) if len(w) <= MAX_WORD_LENGTH]


@lru_cache(maxsize=131072)
def stem(word: str, lang: str) -> str:
    if len(word) <= 3 or word.isdigit():
        return word
    return str(_STEMMERS[lang].stemWord(word))


def allowed_typos(word: str) -> int:
    """No typo on short words, one from 5 letters, two from 9 (like the best engines)."""
    if len(word) >= 9:
        return 2
    if len(word) >= 5:
        return 1
    return 0


def plural_variants(term: tuple[str, ...]) -> list[tuple[str, ...]]:
    """The term with one word in the singular or plural instead (regular English and Spanish
    plurals): ("trash", "cans") -> [("trash", "can")]. Synonym groups are looked up by these
    too, so "tag", "roach" and "baches" find the groups that say "tags", "roaches", "bache"."""
    out: list[tuple[str, ...]] = []
    for i, word in enumerate(term):
        if len(word) < 3 or word.isdigit():
            continue
        forms = []
        if word.endswith("ies") and len(word) > 4:
            forms.append(word[:-3] + "y")
        elif word.endswith("es") and len(word) > 4:
            forms += [word[:-2], word[:-1]]
        elif word.endswith("s") and not word.endswith(("ss", "us", "is")):
            forms.append(word[:-1])
        elif word.endswith("y") and word[-2] not in "aeiou":
            forms.append(word[:-1] + "ies")
        else:
            forms += [word + "s", word + "es"]
        out.extend(term[:i] + (form,) + term[i + 1 :] for form in forms)
    return out
