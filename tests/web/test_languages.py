"""The server in the reader's language: Accept-Language, a remembered choice, links that switch, pages that say
their language, texts marked where they fall back, and a German classification read German end to end."""

from __future__ import annotations

import re
from pathlib import Path

import httpx2 as httpx
import pytest

from jobarch import api
from jobarch.web.app import create_app
from tests.helpers import FIXTURES, REFERENCE_CODE, imported
from tests.web.conftest import running

GERMAN = {"accept-language": "de-DE,de;q=0.9,en;q=0.5"}
PAGES = [
    "/",
    "/functions/MANUFA3",
    "/families/MANUFACT13",
    "/foci/MANUFACT13A2",
    "/foci/MANUFACT13A2/ladder",
    "/levels",
    "/levels/M2",
    f"/profiles/{REFERENCE_CODE}",
    "/search?q=leitung",
    "/compare?codes=MANUFA3.MANUFACT13A2.M2,MANUFA3.MANUFACT13A2.M3",
    f"/path?from={REFERENCE_CODE}&to=MANUFA3.MANUFACT13A2.M3",
    f"/match?from={REFERENCE_CODE}",
    "/skills?name=GMP+Compliance",
    "/sparql",
    "/queries/thinly_sourced_profiles",
    "/profiles/NO.SUCH.CODE",
]


def h1(page: str) -> str:
    return re.sub(r"<[^>]+>", "", re.search(r"<h1>(.*?)</h1>", page, re.S).group(1)).strip()


def test_the_browser_language_chooses_the_page_and_its_texts(base_url):
    with httpx.Client(base_url=base_url) as client:
        page = client.get(f"/profiles/{REFERENCE_CODE}", headers=GERMAN)
        assert page.status_code == 200
        assert page.headers["content-language"] == "de"
        assert {"Accept", "Accept-Language", "Cookie"} <= {v.strip() for v in page.headers["vary"].split(",")}
        text = page.text
        assert (
            '<html lang="de">' in text
            and h1(text) == "Herstellungsbetrieb / Produktionsleitung (Upstream-Prozess) — M2"
        )
        assert ">Aufgaben nach Stufe<" in text and "Responsibilities by level" not in text
        assert "Verfasst, prüft und genehmigt Abweichungen" in text
        # an English text on a German page: tagged for screen readers and marked for everyone
        marked = re.findall(r'<span lang="en">([^<]*)</span> <abbr class="fallback" title="([^"]*)">EN</abbr>', text)
        assert ("People Leadership", "nicht auf Deutsch vorhanden; angezeigt auf Englisch") in marked
        assert not any("Produktionsleitung" in shown for shown, _ in marked)
        english = client.get(f"/profiles/{REFERENCE_CODE}")  # no header: English, and nothing marked
        assert '<html lang="en">' in english.text and 'class="fallback"' not in english.text
        assert h1(english.text) == "Manufacturing Operations / Production Supervision (Upstream Processing) — M2"


def test_every_page_answers_in_german(base_url):
    with httpx.Client(base_url=base_url) as client:
        for path in PAGES:
            page = client.get(path, headers=GERMAN)
            assert page.status_code in (200, 404), path
            assert '<html lang="de">' in page.text and ">Übersicht</a>" in page.text, path
            assert "Skip to content" not in page.text, path
        home = client.get("/", headers=GERMAN).text
        assert h1(home) == "Jobarchitektur" and "Herstellungsbetrieb" in home
        assert h1(client.get("/", headers={"accept-language": "en"}).text) == "Job architecture"  # views kept apart


def test_a_link_chooses_the_language_and_it_is_remembered(base_url):
    with httpx.Client(base_url=base_url) as client:
        chosen = client.get("/levels?lang=de")
        assert h1(chosen.text) == "Stufen" and "jobarch-lang=de;" in chosen.headers["set-cookie"]
        assert h1(client.get("/levels", headers={"accept-language": "en"}).text) == "Stufen"  # the choice wins
        switcher = re.findall(r'<a href="(/language\?[^"]+)" hreflang="(\w+)"', chosen.text)
        english = next(href for href, tag in switcher if tag == "en").replace("&amp;", "&")
        back = client.get(english, follow_redirects=False)
        assert back.status_code == 303 and back.headers["location"] == "/levels"
        assert h1(client.get("/levels").text) == "Levels"


@pytest.mark.parametrize("back", ["//evil.example/x", "https://evil.example/", "/\\evil.example", "levels"])
def test_the_switch_never_sends_the_reader_elsewhere(base_url, back):
    answer = httpx.get(f"{base_url}/language", params={"to": "de", "back": back}, follow_redirects=False)
    assert answer.status_code == 303 and answer.headers["location"] == "/"


@pytest.mark.parametrize(
    "headers",
    [
        {"accept-language": "x" * 10_000},
        {"accept-language": "de;q=nan, en;q=1e999, *;q=-1"},
        {"cookie": 'jobarch-lang=<script>; other="unterminated'},
        {"cookie": "jobarch-lang=" + "de." * 500},
    ],
)
def test_hostile_language_headers_get_a_page_not_an_error(base_url, headers):
    answer = httpx.get(f"{base_url}/?lang=%3Cscript%3E", headers=headers)
    assert answer.status_code == 200 and "<script>" not in answer.text
    assert re.search(r'<html lang="(en|de)">', answer.text)


@pytest.mark.slow
def test_a_german_classification_reads_german_end_to_end(runner, tmp_path: Path):
    """A national classification with German labels only, imported with defaults and served: a German reader
    sees German pages with German texts and no fallback anywhere; search finds its compounds."""
    out = tmp_path / "national"
    imported(runner, "skos", FIXTURES / "national-5-level.ttl", out)
    store = api.open_architecture([out], "memory")
    profiles = sorted(f.code for f in api.profile_facts(store).values()) if hasattr(api, "profile_facts") else []
    with running(create_app(store, data=[out])) as base, httpx.Client(base_url=base) as client:
        home = client.get("/", headers=GERMAN).text
        assert '<html lang="de">' in home and h1(home) == "Jobarchitektur"
        first = re.search(r'href="(/functions/[^"]+)"', home).group(1)
        function = client.get(first, headers=GERMAN).text
        focus = re.search(r'href="(/foci/[^"/]+)"', function).group(1)
        profile = re.search(r'href="(/profiles/[^"]+)"', client.get(focus, headers=GERMAN).text).group(1)
        page = client.get(profile, headers=GERMAN).text
        assert ">Aufgaben nach Stufe<" in page and "(Stufe " in page  # generated level names in German too
        assert 'class="fallback"' not in page and 'lang="en"' not in page.split("<main", 1)[1]
        word = re.sub(r"\W.*", "", h1(page).split(" / ")[-1])
        found = client.get("/search", params={"q": word[-6:]}, headers=GERMAN).text  # the end of a compound
        assert profile in found, (word, profiles)
