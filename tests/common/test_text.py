import pytest

from common.text import normalize, search_terms


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("L'Hémophilie", "l hemophilie"),
        ("Charcot-Marie-Tooth", "charcot marie tooth"),
        ("Lymphœdèmes primaires", "lymphoedemes primaires"),
        ("FAI²R", "fai2r"),
        ("  CeRéMAIA  ", "ceremaia"),
        ("Île-de-France", "ile de france"),
        ("", ""),
        (None, ""),
    ],
)
def test_normalize(raw, expected):
    assert normalize(raw) == expected


def test_search_terms_drop_nul_bytes_and_cap_the_number_of_words():
    assert search_terms("a\x00b") == ["a", "b"]
    assert len(search_terms("mot " * 50)) == 8
