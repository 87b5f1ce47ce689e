"""Regions in the order French readers expect: « Île-de-France » among the I's, not
after « Provence-Alpes-Côte d'Azur » (where the byte order of "Î" puts it)."""

from common.france import Region
from common.text import normalize


def region_sort_key(label) -> str:
    """The key that sorts region labels (lazy or not) alphabetically, in French."""
    return normalize(str(label))


def region_choices() -> list[tuple[str, str]]:
    """Region.choices in French alphabetical order of the active language's labels."""
    return sorted(Region.choices, key=lambda choice: region_sort_key(choice[1]))
