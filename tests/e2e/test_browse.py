"""End to end in a real Chromium, on the real sourced data: home -> search -> filter ->
site page, the way a parent or a GP would do it."""

import re

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_home_search_filter_and_open_a_site(page, loaded):
    page.goto(loaded.url + "/")
    assert page.locator("h1").count() == 1

    page.get_by_label("Rechercher une maladie, un centre, un hôpital ou une ville").fill(
        "neuromusculaires"
    )
    page.get_by_role("button", name="Rechercher").click()
    page.wait_for_url(re.compile(r"/recherche/\?q=neuromusculaires"))
    page.get_by_role("link", name=re.compile(r"Voir les \d+ sites")).click()
    page.wait_for_url(re.compile(r"/centres/\?q=neuromusculaires"))
    found = page.locator(".results-count").inner_text()
    total = int(found.split()[0])
    assert total >= 1

    page.get_by_label("Région").select_option(label="Grand Est")
    page.get_by_role("button", name="Filtrer").click()
    page.wait_for_url(re.compile(r"region=44"))
    narrowed = int(page.locator(".results-count").inner_text().split()[0])
    assert 1 <= narrowed <= total
    # The filters stay in the form, so the page can be shared or refined.
    assert page.get_by_label("Rechercher").input_value() == "neuromusculaires"

    first = page.locator(".card-title a").first
    name = first.inner_text()
    first.click()
    page.wait_for_url(re.compile(r"/centres/[-\w]+/$"))
    assert page.locator("h1").inner_text() == name
    assert "Reims" in page.locator("main").inner_text()
    assert page.get_by_role("heading", name="Sources", exact=True).is_visible()


def test_disease_autocomplete_works_with_the_keyboard(page, loaded):
    page.goto(loaded.url + "/")
    box = page.get_by_role("combobox")
    box.fill("mucovisc")
    option = page.get_by_role("option").first
    option.wait_for()
    assert "Mucoviscidose" in option.inner_text()
    assert box.get_attribute("aria-expanded") == "true"
    box.press("ArrowDown")
    assert box.get_attribute("aria-activedescendant") == option.get_attribute("id")
    box.press("Enter")
    page.wait_for_url(re.compile(r"/maladies/586/$"))
    assert page.locator("h1").inner_text() == "Mucoviscidose"


def test_disease_page_lists_the_nearest_sites_first(page, loaded):
    page.goto(loaded.url + "/maladies/586/")
    page.get_by_label("Près de").fill("51100")
    page.get_by_role("button", name="Trier par distance").click()
    page.wait_for_url(re.compile(r"pres_de=51100"))
    # The first centre listed is the one whose published scope is cystic fibrosis.
    first = page.locator("section.centre-match").first
    assert "Mucoviscidose" in first.locator("h3").inner_text()
    assert "Muco-CFTR" in first.inner_text()
    # « dans la commune » under 1 km, else « à 12 km ».
    distances = [
        0 if text == "dans la commune" else int(re.search(r"\d+", text).group())
        for text in first.locator(".site-rows strong").all_inner_texts()
    ]
    assert distances, "no distance shown"
    assert distances == sorted(distances)
