"""Reading what people type: which language, which command, and the new part of an email."""

from __future__ import annotations

import re
import unicodedata

_WORD = re.compile(r"[a-zA-Z\u00c0-\u024f]+")
_SPANISH_MARKS = re.compile(r"[ñáéíóúü¿¡]", re.IGNORECASE)
_SPANISH_WORDS = (
    "el la los las un una unos unas de del que en hay por para con mi mis su es esta está "
    "están y o pero muy calle esquina frente casa hola buenos buenas gracias favor tengo "
    "tiene se lo le al como donde dónde basura bache agua luz ruido perro árbol arbol "
    "roto rota necesito quiero ayuda problema hace días semana vecino vecinos"
)
_SPANISH = frozenset(_SPANISH_WORDS.split())
_ENGLISH_WORDS = (
    "the a an is are there in on at of my our and or but very street corner house hello hi "
    "thanks thank please have has not it its this that near outside broken need want help "
    "problem days week neighbor neighbour been for with"
)
_ENGLISH = frozenset(_ENGLISH_WORDS.split())


def fold(text: str) -> str:
    """Uppercase without accents, for matching keywords ("Español" → "ESPANOL")."""
    decomposed = unicodedata.normalize("NFKD", text.strip().upper())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def guess_language(text: str) -> str | None:
    """ "es" or "en" when the words say so clearly enough, else None (keep what we had)."""
    words = [w.lower() for w in _WORD.findall(text)]
    spanish = sum(w in _SPANISH for w in words) + 2 * len(_SPANISH_MARKS.findall(text))
    english = sum(w in _ENGLISH for w in words)
    if spanish > english:
        return "es"
    if english > spanish:
        return "en"
    return None


# --- Email bodies ----------------------------------------------------------------------------

_REPLY_HEADER = re.compile(
    r"^\s*(On\b.{0,200}\bwrote:|El\b.{0,200}\bescribi[oó]:|Le\b.{0,200}\ba écrit\s?:"
    r"|-{2,}\s*Original Message\s*-{2,}|-{2,}\s*Mensaje original\s*-{2,}"
    r"|_{10,}|From:\s.*|De:\s.*|Sent from my .*|Enviado desde mi .*|Get Outlook for .*)\s*$",
    re.IGNORECASE,
)


def strip_quoted(text: str) -> str:
    """The new part of an email: stop at the first quoted-reply header, forwarded block or
    signature delimiter ("-- "), and drop quoted lines ("> …")."""
    kept: list[str] = []
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    for index, line in enumerate(lines):
        if line.rstrip() == "--" or line == "-- ":
            break
        # Gmail wraps long "On … wrote:" headers over two lines.
        joined = line + " " + lines[index + 1] if index + 1 < len(lines) else line
        if _REPLY_HEADER.match(line) or (
            line.strip().startswith(("On ", "El ")) and _REPLY_HEADER.match(joined)
        ):
            break
        if line.lstrip().startswith(">"):
            continue
        kept.append(line.rstrip())
    cleaned = "\n".join(kept).strip()
    return re.sub(r"\n{3,}", "\n\n", cleaned)
