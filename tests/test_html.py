"""The HTML report: a real document (structure checked here) that a real browser lays out without
horizontal overflow at desktop and phone widths (checked in headless Chromium)."""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest
from conftest import EXAMPLES

from recommender import load_requirements, recommend
from recommender.render import render

TODAY = dt.date(2026, 11, 26)
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


class _Outline(HTMLParser):
    """The parts of a document the checks need: tags seen, attributes, links, the ranking rows."""

    def __init__(self) -> None:
        super().__init__()
        self.doctype = ""
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.links: list[str] = []
        self.text: dict[str, list[str]] = {}
        self._open: list[str] = []

    def handle_decl(self, decl: str) -> None:
        self.doctype = decl

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if tag == "a" and dict(attrs).get("href", "").startswith("http"):  # type: ignore[union-attr]
            self.links.append(dict(attrs)["href"] or "")
        if tag not in ("meta", "br", "link"):
            self._open.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if self._open and self._open[-1] == tag:
            self._open.pop()

    def handle_data(self, data: str) -> None:
        if self._open:
            self.text.setdefault(self._open[-1], []).append(data)


def _html(name: str, lang: str = "en") -> tuple[str, object]:
    rec = recommend(load_requirements(EXAMPLES / name), today=TODAY, lang=lang)
    return render(rec, "html", source=f"examples/{name}"), rec


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_html_is_a_document_with_tables_headings_and_links(lang: str) -> None:
    text, rec = _html("canary-on-istio.yaml", lang)
    outline = _Outline()
    outline.feed(text)
    assert outline.doctype.lower() == "doctype html"
    tags = [tag for tag, _ in outline.tags]
    html_attrs = dict(outline.tags)["html"]
    assert html_attrs["lang"] == lang
    assert "title" in tags and "h1" in tags and tags.count("h2") >= 4
    assert any(a.get("name") == "viewport" for tag, a in outline.tags if tag == "meta")
    assert tags.count("table") == 2  # the ranking and the stack
    assert "pre" not in tags
    # One row per ranked tool in the first table's body, in rank order.
    first_table = text.split("<table>")[1].split("</table>")[0]
    rows = re.findall(r'<a href="#tool-(\w+)">', first_table)
    assert rows == [r.tool for r in rec.ranking]  # type: ignore[attr-defined]
    # Every evidence URL of every line is a link.
    urls = {u for r in rec.ranking for e in [*r.explanations, *r.exclusions, *r.covers]  # type: ignore[attr-defined]
            for u in e.evidence}
    assert urls and urls <= set(outline.links)
    # Self-contained and printable: no external stylesheet, script, image or font.
    assert not any(tag in ("link", "script", "img", "iframe") for tag in tags)
    assert "@import" not in text and "url(" not in text
    assert "@media print" in text


def test_html_escapes_what_the_user_wrote(tmp_path: Path) -> None:
    path = tmp_path / "x.yaml"
    path.write_text('requirements: {gitops_sync: must}\nnotes: "<script>alert(1)</script> & more"\n')
    text = render(recommend(load_requirements(path), what_if=False), "html")
    assert "<script>" not in text
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; more" in text


_PROBE = """<script>
addEventListener('load', () => {
  const root = document.documentElement;
  const beyond = [...document.querySelectorAll('body *')]
    .filter(e => e.getBoundingClientRect().right > root.clientWidth + 0.5)
    .map(e => e.tagName + ': ' + e.textContent.slice(0, 40));
  const links = [...document.querySelectorAll('a[href^="http"]')].map(a => a.href);
  parent.postMessage(JSON.stringify({width: innerWidth, client: root.clientWidth, scroll: root.scrollWidth,
                                     beyond: beyond, links: links}), '*');
});
</script>"""

# The report inside an iframe as wide as a desktop window or a phone (a headless window is never
# narrower than 500 px); the frame's script posts its measurements to this page, which --dump-dom prints.
_HOST = """<!doctype html><html><body style="margin:0"><pre id="probe"></pre>
<script>addEventListener('message', e => { document.getElementById('probe').textContent = e.data; });</script>
<iframe src="report.html" style="width:{width}px;height:4000px;border:0"></iframe></body></html>"""


def _chromium(args: list[str], profile: Path) -> str:
    assert CHROMIUM
    done = subprocess.run([CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                           "--disable-component-update", "--disable-sync", "--no-first-run",
                           f"--user-data-dir={profile}", *args],
                          capture_output=True, text=True, timeout=120, check=False)
    return done.stdout


@pytest.mark.skipif(CHROMIUM is None, reason="needs chromium (.ci/run installs it)")
# The widest English report (a three-part stack) and a Korean no-fit one: each browser run costs seconds.
@pytest.mark.parametrize(("name", "lang"), [("ecommerce-in-place.yaml", "en"),
                                           ("no-fit-graduated-in-place.yaml", "ko")])
def test_html_fits_desktop_and_phone_in_chromium(tmp_path: Path, name: str, lang: str) -> None:
    text, _rec = _html(name, lang)
    expected_links = re.findall(r'<a href="(https?://[^"]+)"', text)
    (tmp_path / "report.html").write_text(text.replace("</body>", _PROBE + "</body>"), encoding="utf-8")
    for width in (1280, 390):
        host = tmp_path / f"host{width}.html"
        host.write_text(_HOST.replace("{width}", str(width)), encoding="utf-8")
        dom = _chromium(["--window-size=1400,900", "--virtual-time-budget=10000", "--dump-dom", host.as_uri()],
                        tmp_path / f"profile{width}")
        found = re.search(r'<pre id="probe">(.*?)</pre>', dom, re.S)
        assert found and found.group(1), f"no measurement at {width} px: {dom[:300]}"
        probe = json.loads(found.group(1).replace("&quot;", '"').replace("&amp;", "&").replace("&lt;", "<")
                           .replace("&gt;", ">"))
        assert probe["width"] == width
        assert probe["scroll"] <= probe["client"], f"overflows at {width} px: {probe['beyond']}"
        assert probe["beyond"] == []
        assert probe["links"] == [u.replace("&amp;", "&") for u in expected_links]
        shot = tmp_path / f"shot{width}.png"
        _chromium([f"--window-size={max(width, 500)},2400", f"--screenshot={shot}", "--hide-scrollbars",
                   host.as_uri()], tmp_path / f"shot-profile{width}")
        assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
