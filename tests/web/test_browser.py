"""`jobarch serve` in a real headless Chromium (Debian's chromium + chromium-driver, driven by Selenium).

The server is the real one (uvicorn on a free loopback port). `.ci/run`
installs the browser and sets ``CI=true``, under which a missing browser fails these tests; elsewhere they skip
and say what to install.
"""

from __future__ import annotations

import os
import shutil

import pytest

from tests.helpers import REFERENCE_CODE

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMEDRIVER = shutil.which("chromedriver")

MISSING = (
    "no headless browser here: install Debian's chromium and chromium-driver (apt-get install chromium chromium-driver)"
)

pytestmark = [pytest.mark.slow]  # a real browser
if not (CHROMIUM and CHROMEDRIVER):
    if os.environ.get("CI", "").lower() in ("1", "true", "yes"):  # CI must run them: a missing browser is a failure

        @pytest.fixture(autouse=True)
        def _browser_required() -> None:
            pytest.fail(MISSING)

    else:
        pytestmark.append(pytest.mark.skip(reason=MISSING))


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        f"--user-data-dir={tmp_path_factory.mktemp('chromium')}",
        "--window-size=1280,1600",
    ):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(30)
    yield driver
    driver.quit()


def _wait_for_url(browser, part: str) -> None:
    from selenium.webdriver.support import expected_conditions
    from selenium.webdriver.support.ui import WebDriverWait

    WebDriverWait(browser, 15).until(expected_conditions.url_contains(part))


def _by(css: str):
    from selenium.webdriver.common.by import By

    return By.CSS_SELECTOR, css


def test_reference_profile_expand_follow_compare_and_screenshot(browser, base_url, tmp_path):
    from selenium.webdriver.common.keys import Keys

    browser.get(f"{base_url}/profiles/{REFERENCE_CODE}")
    assert "Production Supervision (Upstream Processing)" in browser.find_element(*_by("h1")).text
    current = browser.find_element(*_by("details.level.current"))
    assert current.get_attribute("open") is not None and current.get_attribute("id") == "level-M2"
    assert browser.find_element(*_by("tr.current th")).text == "M2"

    mappings = browser.find_element(*_by("#mappings-details"))
    table = mappings.find_element(*_by("table.mappings"))
    assert not table.is_displayed()  # collapsed until asked for
    mappings.find_element(*_by("summary")).click()
    assert table.is_displayed() and "51-1011" in table.text

    aliases = browser.find_element(*_by("#aliases-details"))
    summary = aliases.find_element(*_by("summary"))
    summary.send_keys(Keys.ENTER)  # toggles work from the keyboard too
    assert aliases.get_attribute("open") is not None

    screenshot = tmp_path / "profile.png"
    assert browser.save_screenshot(str(screenshot))
    assert screenshot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and screenshot.stat().st_size > 10_000

    link = browser.find_element(*_by("a.adjacent-role"))
    target = link.get_attribute("href")
    link.click()
    _wait_for_url(browser, target.split("/profiles/")[1])
    assert browser.current_url == target and REFERENCE_CODE not in browser.current_url
    assert browser.find_element(*_by("h1")).text

    browser.get(f"{base_url}/profiles/{REFERENCE_CODE}")
    browser.find_element(*_by("a.compare")).click()
    _wait_for_url(browser, "/compare?codes=")
    headers = [th.text for th in browser.find_elements(*_by("table.compare thead th"))]
    assert len(headers) == 3 and headers[0] == "Aspect"
    assert browser.save_screenshot(str(tmp_path / "compare.png"))


def test_pages_fit_a_phone(browser, base_url):
    browser.set_window_size(390, 844)
    try:
        for path in (f"/profiles/{REFERENCE_CODE}", "/", "/search?q=technician"):
            browser.get(base_url + path)
            overflow = browser.execute_script(
                "return document.documentElement.scrollWidth - document.documentElement.clientWidth"
            )
            if overflow > 1:
                print(
                    browser.execute_script(
                        """return [window.innerWidth, document.documentElement.clientWidth, Array.from(document.querySelectorAll('*')).filter(e => (e.matches('.scroll') || !e.closest('.scroll')) && e.getBoundingClientRect().right > document.documentElement.clientWidth).slice(0, 5).map(e => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right))]"""
                    )
                )
            assert overflow <= 1, f"{path} scrolls sideways by {overflow}px on a phone"
    finally:
        browser.set_window_size(1280, 1600)


def test_search_from_the_header(browser, base_url):
    from selenium.webdriver.common.keys import Keys

    browser.get(base_url + "/")
    box = browser.find_element(*_by("#q"))
    box.send_keys("aseptic", Keys.ENTER)
    _wait_for_url(browser, "/search?q=aseptic")
    browser.find_element(*_by("ul.results a")).click()
    _wait_for_url(browser, "/skills?name=")
    assert REFERENCE_CODE in browser.page_source


PAGE_TYPES = {
    "home": "/",
    "profile": f"/profiles/{REFERENCE_CODE}",
    "focus": "/foci/MANUFACT13A2",
    "family": "/families/MANUFACT13",
    "function": "/functions/MANUFA3",
    "level": "/levels/M2",
    "search": "/search?q=upstream+supervisor",
    "compare": f"/compare?codes={REFERENCE_CODE},MANUFA3.MANUFACT13A2.M3",
    "path": f"/path?from=MANUFA3.MANUFACT11A1.P1&to={REFERENCE_CODE}",
    "match": "/match?skills=GMP+Compliance%3D3%0D%0AAseptic+Technique%3D2",
    "sparql": "/sparql",
    "sparql answer": "/sparql?format=html&query=SELECT+%3Fc+WHERE+%7B+%3Fp+ja%3Acode+%3Fc+%7D+LIMIT+3",
    "not found": "/profiles/MANUFA3.MANUFACT13A2.M9",
}
RUN_AXE = """
var done = arguments[arguments.length - 1];
axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa']}}).then(
  function (result) { done(result.violations.map(function (v) { return [v.id, v.nodes.length]; })); },
  function (error) { done([['axe failed', String(error)]]); });
"""


@pytest.mark.parametrize("width", [1280, 390], ids=["desktop", "phone"])
def test_every_page_type_passes_axe(browser, base_url, width):
    """axe-core (the copy axe-selenium-python ships, injected through WebDriver so the pages' CSP stays strict)
    at the WCAG A and AA levels, on every page type, at a desktop and a phone width."""
    from pathlib import Path

    import axe_selenium_python

    script = (Path(axe_selenium_python.__file__).parent / "node_modules" / "axe-core" / "axe.min.js").read_text()
    browser.set_window_size(width, 1600)
    browser.set_script_timeout(60)
    found = {}
    try:
        for name, path in PAGE_TYPES.items():
            browser.get(base_url + path)
            browser.execute_script(script)
            violations = browser.execute_async_script(RUN_AXE)
            if violations:
                found[name] = violations
    finally:
        browser.set_window_size(1280, 1600)
    assert not found, found
