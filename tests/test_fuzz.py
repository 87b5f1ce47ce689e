"""A bounded fuzz test of every public URL, with the real directory loaded.

Each URL pattern of `web.urls` (found by walking its resolver, so that a new page is
covered without touching this file) is requested with its path parameters (real
slugs and codes, or anything its converter accepts) and query parameters (the names
of every FilterSet and form of the web layer) holding hostile text: NUL bytes, very
long strings, unusual Unicode, HTML/JS payloads. GET and POST. Whatever comes in, the
answer is never a 5xx, and no payload comes back unescaped in an HTML page.

Hypothesis settings keep it bounded and reproducible: `derandomize=True` (the same
examples on every run and in CI), no example database, no deadline (the first
request of a page warms caches). Each pattern gets its own @given function, run
inside the test: every pattern is exercised on every run, and the real data
(`directory_data`, a function-scoped fixture) is loaded once for all of them, which
is why the function-scoped-fixture health check does not apply here.
"""

import inspect
import re
import zlib
from urllib.parse import quote

import django_filters
from django import forms
from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.resolvers import RegexPattern
from hypothesis import HealthCheck, given, seed, settings
from hypothesis import strategies as st

import web.filters
import web.forms
from centres.models import ReferenceCentre, Site
from diseases.models import Disease
from filieres.models import Filiere
from hospitals.models import Hospital

EXAMPLES_PER_PATTERN = 20
FUZZ_SETTINGS = settings(
    max_examples=EXAMPLES_PER_PATTERN,
    deadline=None,
    derandomize=True,
    database=None,
    # The examples are few and each makes a request: a slow example is expected.
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

PAYLOADS = [
    "<script>alert(1)</script>",
    "\"'><img src=x onerror=alert(1)>",
    "'\"><svg/onload=alert(1)>",
    "javascript:alert(1)",
    "</textarea><script>alert(1)</script>",
    "{{ 7|add:7 }}{% now 'Y' %}",
    "' OR 1=1; DROP TABLE centres_site; --",
    "100%_\\",
    "\x00",
    "a\x00b",
    "\u202e\u200b\ufeff",  # right-to-left override, zero-width space, BOM
    "İstanbul ǅ ﬁ ß",  # case folding that changes lengths
    "ｍｕｃｏ ５１１００ ١٢٣",  # full-width letters and digits, Arabic-Indic digits
    "e\u0301\u0301\u0301",  # stacked combining accents
    "😀🏳️‍🌈",
    "\r\nSet-Cookie: x=y",
    "../../etc/passwd",
    "%00%3Cscript%3E",
]
# What a page may not contain, whatever was sent: a payload rendered as markup.
MARKERS = ["<script>alert(", "<img src=x", "<svg/onload", "\"'><"]
# Values people type or links carry, so that the hostile text also reaches deep
# paths (a disease near a place, a filière's page two...).
PLAUSIBLE = [
    "586",
    "ORPHA:586",
    "000586",
    "mucoviscidose",
    "51100",
    "14670",
    "75001",
    "Montpellier",
    "Saint-Denis",
    "Troarn",
    "Vergne (17)",
    "enfants",
    "adultes",
    "reference",
    "competence",
    "crc",
    "11",
    "44",
    "-1",
    "0",
    "2",
    "30",
    "999999999999999999999",
    "telephone",
    "parent@famille.invalid",
]
EXTRA_PARAMETERS = ["page", "kind", "utm_source"]


def _web_classes(module, base):
    return [
        obj
        for _name, obj in inspect.getmembers(module, inspect.isclass)
        if issubclass(obj, base) and obj.__module__ == module.__name__
    ]


def parameter_names() -> list[str]:
    """Every filter and form field name of the web layer, and a few more."""
    names = set(EXTRA_PARAMETERS)
    for filterset in _web_classes(web.filters, django_filters.FilterSet):
        names |= set(filterset.base_filters)
    for form in _web_classes(web.forms, forms.BaseForm):
        names |= set(form.base_fields)
    return sorted(names)


def _route_text(pattern) -> str:
    """A path() route as it is; a re_path() regex as a route with each named group
    given its first alternative (``^centres\\.(?P<extension>csv|json)$`` →
    ``centres.csv``)."""
    if not isinstance(pattern, RegexPattern):
        return str(pattern)
    text = str(pattern).removeprefix("^").removesuffix("$")
    return re.sub(r"\(\?P<\w+>([^)|]+)[^)]*\)", r"\1", text).replace("\\", "")


def public_patterns():
    """(route, converters, name) of every public pattern (web.urls and the untranslated
    ones: downloads, API, robots, sitemaps; not staff.urls), nested includes walked, in
    French (the unprefixed language); the name with its namespaces ("centres:detail")."""

    def walk(entries, route, converters, namespace):
        for entry in entries:
            if isinstance(entry, URLResolver) and getattr(
                entry.urlconf_module, "__name__", entry.urlconf_name
            ) in ("staff.urls",):
                continue
            here = route + _route_text(entry.pattern)
            known = {**converters, **entry.pattern.converters}
            if isinstance(entry, URLResolver):
                inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
                yield from walk(entry.url_patterns, here, known, inner)
            elif isinstance(entry, URLPattern):
                yield here, known, f"{namespace}{entry.name or here}"

    return list(walk(get_resolver().url_patterns, "", {}, ""))


ROUTE_PARAMETER = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<name>[^>]+)>")


def known_values() -> dict[str, list[str]]:
    """Real path parameters by kind: slugs of every kind of page, ORPHA codes that
    have centres, an obsolete one, a code with leading zeros."""
    obsolete = Disease.objects.filter(replaced_by__isnull=False).values_list("pk", flat=True)
    return {
        "site": list(Site.objects.published().values_list("slug", flat=True)[:200]),
        "hospital": list(Hospital.objects.values_list("slug", flat=True)),
        "filiere": list(Filiere.objects.values_list("slug", flat=True)),
        "centre": list(ReferenceCentre.objects.values_list("slug", flat=True)[:100]),
        "disease": ["586", "448", "000586", *(str(code) for code in obsolete[:5])],
    }


def fill(route, values):
    return "/" + ROUTE_PARAMETER.sub(lambda m: values[m["name"]], route)


def probe(client, route, converters, known):
    """What to send to this pattern: the real values that lead somewhere (each kind
    tried once and kept unless it is a 404), and the methods it allows (GET, POST:
    the one a 405 refuses gets no examples). So a new page gets real slugs and the
    right method without being listed here."""
    real, sample = [], None
    for values in known.values() if converters else []:
        value = values[0]
        if not all(re.fullmatch(c.regex, value) for c in converters.values()):
            continue
        url = fill(route, dict.fromkeys(converters, value))
        if client.get(url).status_code != 404 or client.post(url).status_code != 404:
            real += values
            sample = sample or url
    url = sample or fill(route, dict.fromkeys(converters, "0"))
    methods = [
        method
        for method, call in (("GET", client.get), ("POST", client.post))
        if call(url).status_code != 405
    ]
    return real, methods or ["GET"]


def text_values():
    hostile = st.one_of(
        st.text(max_size=40),
        st.sampled_from(PAYLOADS),
        # Very long: repeated payloads or letters, past every max_length.
        st.builds(
            lambda piece, times: piece * times,
            st.sampled_from([*PAYLOADS[:3], "a", "é", "5"]),
            st.integers(min_value=50, max_value=800),
        ),
    )
    plausible = st.sampled_from(PLAUSIBLE)
    return st.one_of(
        plausible,
        hostile,
        st.tuples(plausible, hostile).map("".join),
        st.tuples(hostile, plausible).map(" ".join),
    )


def markup_values():
    """Short HTML/JS payloads, alone or after a plausible value (short enough for
    every field's max_length, so that the forms are valid and show them back)."""
    markup = st.sampled_from(PAYLOADS[:5])
    return st.one_of(markup, st.tuples(st.sampled_from(PLAUSIBLE), markup).map("".join))


def path_value(converter, real):
    """Mostly (7 times in 10) a real value that leads somewhere, else one made from
    the converter's regex, or anything at all, quoted (the resolver's 404)."""
    regex = converter.regex
    real = [value for value in real if re.fullmatch(regex, value)]
    made_up = st.one_of(
        st.from_regex(rf"\A(?:{regex})\Z"),
        st.text(min_size=1, max_size=30).map(lambda t: quote(t, safe="")),
    )
    if not real:
        return made_up
    return st.integers(min_value=0, max_value=9).flatmap(
        lambda n: st.sampled_from(real) if n < 7 else made_up
    )


def strings_in(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from strings_in(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from strings_in(item)


def looks_like_markup(value: str) -> bool:
    return len(value) >= 6 and re.search(r"<[a-zA-Z/!?]", value) is not None


def check_response(response, sent):
    assert response.status_code < 500, response.status_code
    if "text/html" not in response.get("Content-Type", ""):
        return
    body = response.content.decode()
    for marker in MARKERS:
        assert marker not in body, marker
    for value in strings_in(sent):
        if looks_like_markup(value):
            assert value not in body, value
    assert "«INVALID" not in body  # an undefined template variable


def fuzz_pattern(client, route, converters, name, real, methods, parameters, exercised):
    """The @given function that requests one pattern."""

    def request_the_pattern(path, query, method):
        url = fill(route, path)
        response = client.get(url, query) if method == "GET" else client.post(url, query)
        check_response(response, [path, query])
        exercised[name] = exercised.get(name, 0) + 1

    # A seed of its own for each pattern (derandomize alone would draw the same
    # examples for every pattern: they share this function's source); the name makes
    # a failure name the pattern.
    request_the_pattern.__name__ = request_the_pattern.__qualname__ = "request_" + re.sub(
        r"\W", "_", name
    )
    request_the_pattern = seed(zlib.crc32(name.encode()))(
        FUZZ_SETTINGS(
            given(
                path=st.fixed_dictionaries(
                    {key: path_value(converter, real) for key, converter in converters.items()}
                ),
                query=parameters,
                method=st.sampled_from(methods),
            )(request_the_pattern)
        )
    )
    return request_the_pattern


def test_no_public_url_answers_5xx_or_reflects_a_payload(client, directory_data, settings):
    # The POST forms are rate-limited per address: without the limit, every example
    # reaches the form's validation and, when valid, the save and its e-mails.
    settings.RATELIMIT_ENABLE = False
    names = parameter_names()
    assert {"q", "maladie", "pres_de", "rayon", "region", "age", "page"} <= set(names)
    known = known_values()
    values = text_values()
    # The parameters that lead furthest, more often.
    name = st.one_of(st.sampled_from(["q", "pres_de", "maladie", "page"]), st.sampled_from(names))
    parameters = st.one_of(
        # A few parameters, each its own value; a parameter may be repeated.
        st.dictionaries(
            name, st.one_of(values, st.lists(values, min_size=2, max_size=3)), max_size=4
        ),
        # Markup in one parameter, the others valid (absent): a page shows it back.
        st.builds(lambda key, value: {key: value}, name, markup_values()),
        # One value in every parameter, or many: whichever of them a page shows back
        # is checked, so a few examples reach every field of every form.
        st.builds(dict.fromkeys, st.just(names), markup_values()),
        st.builds(dict.fromkeys, st.sets(st.sampled_from(names), min_size=1), values),
    )
    patterns = public_patterns()
    assert len(patterns) >= 14
    exercised = {}

    for route, converters, name in patterns:
        real, methods = probe(client, route, converters, known)
        fuzz_pattern(client, route, converters, name, real, methods, parameters, exercised)()

    assert set(exercised) == {name for _route, _converters, name in patterns}
