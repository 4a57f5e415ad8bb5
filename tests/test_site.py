"""The site: a full strict build from a clean output folder, then every built page in headless Chromium.

The browser is Debian's /usr/bin/chromium driven by Playwright (never `playwright install`). Each page must
typeset all of its math with MathJax (no error nodes, no red undefined macros), load every image, raise no
JavaScript error, and send no request to any address but the local server.
"""

import functools
import http.server
import os
import subprocess
import sys
import threading
from pathlib import Path
from urllib.parse import urlparse

import pytest
from playwright.sync_api import sync_playwright

from conftest import ROOT, toc_files

CHROMIUM = "/usr/bin/chromium"
LOCAL_HOSTS = {"127.0.0.1", "localhost"}

# Runs in the page after load: waits for MathJax, then reports everything the test asserts on.
INSPECT = """async () => {
  if (window.MathJax && MathJax.startup && MathJax.startup.promise) { await MathJax.startup.promise; }
  const math = [...document.querySelectorAll('span.math, div.math')];
  const red = [...document.querySelectorAll('mjx-mtext, mjx-mi')].filter(
    e => getComputedStyle(e).color === 'rgb(255, 0, 0)');
  return {
    math: math.length,
    untypeset: math.filter(e => !e.querySelector('mjx-container')).map(e => e.textContent.slice(0, 80)),
    containers: document.querySelectorAll('mjx-container').length,
    errors: [...document.querySelectorAll('mjx-merror, [data-mjx-error]')].map(
      e => e.getAttribute('data-mjx-error') || e.textContent.slice(0, 80)),
    red: red.length,  // CHTML draws glyphs with CSS, so these nodes have no text to report
    images: document.images.length,
    broken: [...document.images].filter(i => !(i.complete && i.naturalWidth > 0)).map(i => i.src),
  };
}"""


def build(output_dir):
    """`jupyter-book build` with -W -n --keep-going into a fresh output folder; returns (exit code, log)."""
    jupyter_book = Path(sys.executable).with_name("jupyter-book")  # the script of this environment
    command = [str(jupyter_book), "build", str(ROOT),
               "--path-output", str(output_dir), "-W", "-n", "--keep-going"]
    result = subprocess.run(command, capture_output=True, text=True, timeout=1800, cwd=ROOT)
    return result.returncode, result.stdout + result.stderr


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    output = tmp_path_factory.mktemp("site")  # new and empty: nothing cached from an earlier build
    code, log = build(output)
    return output / "_build" / "html", code, log


@pytest.fixture(scope="module")
def server(site):
    html = site[0]
    handler = functools.partial(QuietHandler, directory=str(html))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def browser():
    assert os.path.exists(CHROMIUM), "Debian's chromium is missing: `apt-get install chromium` (.ci/run does)"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-quic", "--disable-component-update", "--disable-sync"],
        )
        yield browser
        browser.close()


def visit(browser, url):
    """Open one page; return the inspection report plus the outside requests, failed local loads, JS errors."""
    page = browser.new_page()
    outside, failed, js_errors = [], [], []

    def route(r):
        host = urlparse(r.request.url).hostname
        if r.request.url.startswith(("data:", "blob:")) or host in LOCAL_HOSTS:
            r.continue_()
        else:
            outside.append(r.request.url)
            r.abort()

    page.route("**/*", route)
    page.on("pageerror", lambda error: js_errors.append(str(error)))
    page.on("response", lambda response: response.status >= 400 and failed.append(response.url))
    page.goto(url, wait_until="networkidle")
    report = page.evaluate(INSPECT)
    page.close()
    return {**report, "outside": outside, "failed": failed, "js_errors": js_errors}


def expected_pages():
    pages = ["index.html", "genindex.html", "search.html"]
    return pages + [f"{entry}.html" for entry in toc_files()]


def test_build_is_clean(site):
    html, code, log = site
    assert code == 0, log[-5000:]
    assert "build succeeded" in log and (html / "index.html").exists(), log[-5000:]
    sphinx_warnings = [line for line in log.splitlines() if "WARNING:" in line]  # not the kernel's "WARNING |"
    assert sphinx_warnings == []
    assert (html / "_static" / "mathjax" / "tex-mml-chtml.js").exists()


def test_every_toc_page_is_built_and_nothing_else(site):
    html = site[0]
    built = {p.relative_to(html).as_posix() for p in html.rglob("*.html") if "_static" not in p.parts}
    built.discard("prf-prf.html")  # sphinx-proof's index of theorems and proofs
    assert built == set(expected_pages())


@pytest.mark.parametrize("page", expected_pages() + ["prf-prf.html"])
def test_page_renders_offline(page, site, server, browser):
    assert site[1] == 0, "the build failed"
    report = visit(browser, f"{server}/{page}")
    assert report["outside"] == [], "requests left the machine"
    assert report["failed"] == [], "local resources failed to load"
    assert report["js_errors"] == []
    assert report["untypeset"] == [], "math left untypeset"
    assert report["containers"] >= report["math"]
    assert report["errors"] == [] and report["red"] == 0, "MathJax reported errors"
    assert report["broken"] == [], "images failed to load"
    if page.startswith("chapters/0"):  # a chapter has math and at least one figure
        assert report["math"] > 0 and report["images"] > 0


def test_the_checks_catch_broken_pages(site, server, browser):
    """An undefined macro, a TeX error, unclosed math, a missing image and a remote script are all caught."""
    html = site[0]
    bad = html / "broken-on-purpose.html"
    bad.write_text(
        '<html><head><script defer src="_static/mathjax/tex-mml-chtml.js"></script>'
        '<script src="https://example.invalid/x.js"></script></head><body>'
        '<p><span class="math">\\(\\undefinedmacro x\\)</span></p>'
        '<p><span class="math">\\(x^1^2\\)</span></p>'
        '<p><span class="math">\\(\\frac{1}{2}</span></p>'
        '<img src="_images/missing.png"></body></html>'
    )
    try:
        report = visit(browser, f"{server}/broken-on-purpose.html")
    finally:
        bad.unlink()
    assert report["outside"] == ["https://example.invalid/x.js"]
    assert report["red"] >= 1
    assert report["errors"] and all("Double exponent" in error for error in report["errors"])
    assert len(report["untypeset"]) == 1
    assert len(report["broken"]) == 1 and report["failed"]
