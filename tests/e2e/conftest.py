import io
import os
import shutil

import pytest
from django.core.management import call_command
from django.core.servers.basehttp import WSGIServer
from django.test.testcases import LiveServerThread

# Playwright's sync API runs an event loop in the test thread, which makes Django
# refuse database calls there unless told it is safe (it is: one thread at a time).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


# One request at a time: on SQLite the live server shares the tests' in-memory
# database connection, and two requests at once (a page and its autocomplete) on that
# one connection can hang both. Django's plain WSGIServer closes each connection after
# its response, so the browser never waits on a kept-alive socket.
class OneRequestAtATimeServer(WSGIServer):
    def __init__(self, *args, connections_override=None, **kwargs):
        # The server thread has already taken the tests' connections: requests are
        # served in that thread.
        super().__init__(*args, **kwargs)


LiveServerThread.server_class = OneRequestAtATimeServer

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--no-first-run",
    "--disable-background-networking",
]


@pytest.fixture(scope="session")
def browser():
    if not shutil.which(CHROMIUM):
        if os.environ.get("REQUIRE_BROWSER"):
            pytest.fail(f"{CHROMIUM} is missing: apt-get install -y chromium")
        pytest.skip(f"{CHROMIUM} is not installed (apt-get install -y chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="fr-FR")
    # No request may leave the machine: a test that needs the internet must fail.
    context.route(
        "**/*",
        lambda route: (
            route.continue_()
            if route.request.url.startswith(("http://localhost", "http://127.0.0.1"))
            else route.abort()
        ),
    )
    page = context.new_page()
    # The Content-Security-Policy forbids inline script and style: anything the browser
    # blocks is reported on the console, and fails the test.
    violations = []
    page.on(
        "console",
        lambda message: (
            violations.append(message.text)
            if "Content Security Policy" in message.text
            or "Content-Security-Policy" in message.text
            else None
        ),
    )
    yield page
    context.close()
    assert violations == []


@pytest.fixture
def loaded(live_server):
    """The live server with the real sourced data (what `make run` serves)."""
    call_command("load_initial_data", stdout=io.StringIO())
    return live_server
