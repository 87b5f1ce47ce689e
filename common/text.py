"""Text normalisation shared by search on every database backend."""

import re
import unicodedata

# After accents are stripped, anything that is not a plain letter or digit separates
# words: apostrophes, hyphens, slashes, punctuation, quotes. PostgreSQL's side of
# `common.db.Normalized` uses the same rule.
_SEPARATORS = re.compile(r"[^a-z0-9]+")
_LIGATURES = str.maketrans({"œ": "oe", "Œ": "oe", "æ": "ae", "Æ": "ae", "ß": "ss"})


def normalize(value: str | None) -> str:
    """Lower-case, strip accents and collapse separators into single spaces.

    "L'Hémophilie — Cœur" -> "l hemophilie coeur". Returns "" for None so it can be
    registered as an SQL function (NULL in, "" out).
    """
    if not value:
        return ""
    value = value.translate(_LIGATURES)
    decomposed = unicodedata.normalize("NFKD", value)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _SEPARATORS.sub(" ", stripped.casefold()).strip()


def search_terms(query: str, max_terms: int = 8) -> list[str]:
    """Split a user query into at most `max_terms` normalised words (NUL bytes dropped)."""
    cleaned = normalize(query.replace("\x00", " "))
    return cleaned.split()[:max_terms]
