"""Regions in the order French readers expect: « Île-de-France » among the I's, not
after « Provence-Alpes-Côte d'Azur » (where the byte order of "Î" puts it)."""

import functools

from django.utils.translation import get_language

from common.france import Region
from common.text import normalize


def region_sort_key(label) -> str:
    """The key that sorts region labels (lazy or not) alphabetically, in French."""
    return normalize(str(label))


def region_choices() -> list[tuple[str, str]]:
    """Region.choices in French alphabetical order of the active language's labels."""
    return list(_sorted_choices(get_language()))


@functools.lru_cache(maxsize=8)
def _sorted_choices(language: str | None) -> tuple[tuple[str, str], ...]:
    """The sorted choices, labels in `language` (the argument keys the cache: the
    labels are read in the active language, which is it). A form's <select> reads
    them more than once per page; the labels are fixed in the code."""
    return tuple(
        (code, str(label))
        for code, label in sorted(Region.choices, key=lambda choice: region_sort_key(choice[1]))
    )
