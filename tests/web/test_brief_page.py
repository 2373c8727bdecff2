"""GET /brief and /brief/download/{fmt}: the situation brief of a dashboard view, on the
store built from the seed articles."""
from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest


@pytest.fixture(scope="module")
def span(client) -> dict:
    """The dashboard filter covering the whole seed store (the brief's window is then
    every event)."""
    facets = client.get("/facets").json()
    return {"date_from": facets["date_min"], "date_to": facets["date_max"]}


class _Links(HTMLParser):
    """Anchors (href, class, text) and element ids of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.anchors: list[dict] = []
        self.ids: set[str] = set()
        self.images: list[str] = []
        self._open: list[dict] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if a.get("id"):
            self.ids.add(a["id"])
        if tag == "img":
            self.images.append(a.get("src") or "")
        if tag == "a":
            self._open.append({"href": a.get("href"), "class": a.get("class"), "text": ""})

    def handle_data(self, data):
        for a in self._open:
            a["text"] += data

    def handle_endtag(self, tag):
        if tag == "a" and self._open:
            self.anchors.append(self._open.pop())


def _parse(html: str) -> _Links:
    p = _Links()
    p.feed(html)
    return p


def test_brief_page_json_counts_match_the_events_view(client, span):
    view = {**span, "country": "Syria"}
    brief = client.get("/brief", params={**view, "format": "json"}).json()
    events = client.get("/events", params={**view, "limit": 1000}).json()
    assert brief["events"]["current"] == events["total"] > 0
    assert brief["fatalities"]["current"] == events["fatalities"]
    assert brief["scope"]["window"]["since"] == span["date_from"]
    assert brief["scope"]["country"] == "Syria" and brief["filters_not_applied"] == []
    by_type = {f["label"]: f["current"] for f in brief["by_type"]}
    for event_type, n in by_type.items():
        assert n == client.get("/events", params={**view, "event_type": event_type}
                               ).json()["total"], event_type


def test_brief_page_every_citation_resolves_to_an_event_quote(client, span):
    brief = client.get("/brief", params={**span, "format": "json"}).json()
    assert brief["references"], "the seed brief cites nothing"
    for ref in brief["references"]:
        detail = client.get(f"/events/{ref['event_id']}").json()
        assert ref["quote"] in [s["quote"] for s in detail["event"]["sources"]], ref
    cited = {int(n) for note in brief["notables"] for n in re.findall(r"\[(\d+)\]",
                                                                        note["sentence"])}
    assert cited == {r["number"] for r in brief["references"]}


def test_brief_page_html_links_citations_to_event_pages(client, span):
    page = client.get("/brief", params={**span, "actor": "", "format": "html"})
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert "script-src 'self'" in page.headers["content-security-policy"]
    links = _parse(page.text)
    citations = [a for a in links.anchors if re.fullmatch(r"\[\d+\]", a["text"])]
    assert citations
    event_links = [a for a in links.anchors if a["class"] == "event-link"]
    for cite in citations:
        assert cite["href"].lstrip("#") in links.ids, cite  # the reference paragraph exists
    assert len(event_links) == len({i for i in links.ids if i.startswith("ref-")})
    for a in event_links:
        event = client.get(a["href"])
        assert event.status_code == 200 and a["text"] in event.text, a
    assert all(src.startswith("data:image/png;base64,") for src in links.images)
    assert {"brief-md", "brief-html", "brief-pdf"} <= links.ids


def test_brief_page_downloads_render_each_format(client, span):
    view = {**span, "admin1": "Deir-ez-Zor"}
    md = client.get("/brief/download/md", params=view)
    assert md.status_code == 200 and md.text.startswith("# Situation brief: Deir-ez-Zor")
    assert 'filename="eventwire-brief.md"' in md.headers["content-disposition"]
    html = client.get("/brief/download/html", params=view)
    assert html.text.startswith("<!doctype html>") and "data:image/png;base64," in html.text
    pdf = client.get("/brief/download/pdf", params=view)
    assert pdf.headers["content-type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF") and len(pdf.content) > 5000
    assert client.get("/brief/download/docx", params=view).status_code == 404


def test_brief_page_names_filters_it_cannot_apply(client, span):
    page = client.get("/brief", params={**span, "q": "killed", "format": "html"})
    assert "Not applied to the brief" in page.text and "q" in page.text
    brief = client.get("/brief", params={**span, "q": "killed", "format": "json"}).json()
    assert brief["filters_not_applied"] == ["q"]


def test_brief_page_empty_window_says_so(client):
    brief = client.get("/brief", params={"date_from": "1990-01-01", "date_to": "1990-01-07",
                                         "format": "json"}).json()
    assert brief["events"]["current"] == 0 and brief["references"] == []
    page = client.get("/brief", params={"date_from": "1990-01-01", "date_to": "1990-01-07"},
                      headers={"accept": "text/html"})
    assert "No events in the store match" in page.text
