"""The site as a reader meets it: a strict build, then every built page in headless
Chromium at 1280 and 390 px.

The build is `jupyter-book build` with -W -n --keep-going, from the notebooks nbval
executed in this run (tests/bookbuild.py; run alone, the build executes them itself).
The browser is Debian's /usr/bin/chromium driven by Playwright (never `playwright
install`). On every page and at both widths:
- all math typeset by the bundled MathJax (no error nodes, no red undefined macros),
  every image loaded, no JavaScript error, no console error, no failed request, no
  request to any address but the local server;
- nothing wider than the screen: the page never scrolls sideways (wide tables and
  equations scroll inside their own box), and at 1280 px no code block needs a scroll
  bar;
- at most 1.5 MB of files per page, cached or not, not counting MathJax (which the
  browser caches once for the site); no cached file revalidated (it would count 0);
- every figure has a numbered caption and alt text that describes it (not a file name);
- Chinese text is marked `lang="zh-…"`. At 390 px the menu button opens the table of
  contents as a drawer, and on a chapter the "on this page" button opens its contents;
  at 1280 px the menu button collapses the sidebar.
"""

import functools
import http.server
import os
import re
import socket
import threading
from urllib.parse import urlparse

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from playwright.sync_api import sync_playwright

from bookbuild import build, site_source
from conftest import toc_files

CHROMIUM = "/usr/bin/chromium"
WIDTHS = {"desktop": 1280, "phone": 390}
PAGE_BUDGET_BYTES = 1_500_000  # per page, MathJax excluded

# Runs in the page after load: waits for MathJax, then reports everything the tests
# assert on.
INSPECT = """async () => {
  const all = (selector) => [...document.querySelectorAll(selector)];
  if (window.MathJax && MathJax.startup && MathJax.startup.promise) {
    await MathJax.startup.promise;
  }
  const math = all('span.math, div.math');
  const red = all('mjx-mtext, mjx-mi').filter(
    e => getComputedStyle(e).color === 'rgb(255, 0, 0)');
  const figures = all('.bd-article .cell_output img').map(img => ({
    alt: img.getAttribute('alt') || '',
    caption: (img.closest('figure')?.querySelector('figcaption')?.textContent || '')
      .trim(),
  }));
  const wideCode = all('.bd-article pre').filter(p => !p.closest('.cell_output'))
    .filter(p => p.scrollWidth > p.clientWidth + 1)
    .map(p => p.textContent.slice(0, 60));
  const cjk = /[\\u3400-\\u9fff]/;
  const article = document.querySelector('.bd-article') || document.body;
  const walker = document.createTreeWalker(article, NodeFilter.SHOW_TEXT);
  const unmarked = [];
  while (walker.nextNode()) {
    const node = walker.currentNode;
    if (cjk.test(node.textContent) && !node.parentElement.closest('[lang^="zh"]')) {
      unmarked.push(node.textContent.trim().slice(0, 40));
    }
  }
  const resources = performance.getEntriesByType('resource');
  const nav = performance.getEntriesByType('navigation')[0];
  const bytes = resources.filter(r => !r.name.includes('/_static/mathjax/'))
    .reduce((sum, r) => sum + (r.decodedBodySize || 0), nav ? nav.decodedBodySize : 0);
  const root = document.documentElement;
  return {
    math: math.length,
    untypeset: math.filter(e => !e.querySelector('mjx-container'))
      .map(e => e.textContent.slice(0, 80)),
    containers: all('mjx-container').length,
    errors: all('mjx-merror, [data-mjx-error]').map(
      e => e.getAttribute('data-mjx-error') || e.textContent.slice(0, 80)),
    red: red.length,  // CHTML draws glyphs with CSS: these nodes have no text to report
    images: document.images.length,
    broken: [...document.images].filter(i => !(i.complete && i.naturalWidth > 0))
      .map(i => i.src),
    figures: figures,
    overflow: root.scrollWidth - root.clientWidth,
    wideCode: wideCode,
    unmarkedChinese: unmarked,
    bytes: bytes,
    sidebarSearch: all('.bd-sidebar-primary .search-button-field').length,
  };
}"""


@pytest.fixture(scope="module")
def site(request, tmp_path_factory):
    source = site_source(request, tmp_path_factory.mktemp("source"))
    # New and empty: nothing cached from an earlier build.
    output = tmp_path_factory.mktemp("site")
    code, log = build(source, output)
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
    """The built site, served as a static host would: every file may be cached for an
    hour, so the browser never revalidates one during the run (a revalidated file, 304,
    would report 0 bytes to the page budget).
    """

    def end_headers(self):
        self.send_header("Cache-Control", "max-age=3600")
        super().end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def browser(server):
    """Chromium whose only way out is a proxy that nobody serves: every request to
    anything but the test server (127.0.0.1 at its port) fails
    (ERR_PROXY_CONNECTION_FAILED) without leaving the machine, and Chromium resolves no
    host name itself. `<-loopback>` removes Chromium's own exceptions (localhost, other
    loopback and link-local addresses such as 169.254.169.254 would otherwise go
    direct); WebRTC may not send UDP around the proxy.

    (Playwright's request interception, `page.route`, would block them too, but it
    turns off the HTTP cache: every page then fetched and compiled MathJax anew.)
    """
    assert os.path.exists(CHROMIUM), (
        "Debian's chromium is missing: `apt-get install chromium` (.ci/run does)"
    )
    with socket.socket() as nowhere, sync_playwright() as playwright:
        nowhere.bind(("127.0.0.1", 0))  # a port held but not listening: refused
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-quic",
                "--disable-component-update",
                "--disable-sync",
                f"--proxy-server=http://127.0.0.1:{nowhere.getsockname()[1]}",
                f"--proxy-bypass-list=<-loopback>;{urlparse(server).netloc}",
                "--force-webrtc-ip-handling-policy=disable_non_proxied_udp",
            ],
        )
        yield browser
        browser.close()


class Tab:
    """A browser tab at a width that records, for the current visit, the requests and
    WebSockets to other hosts, the failed requests (with the reason: Chromium's error,
    or the HTTP status), the revalidated files and the JavaScript and console errors.

    A request that a navigation cancels (net::ERR_ABORTED) while it belongs to an
    earlier visit, such as the favicon of the page just left, is no failure of either
    page: leaving a page is what cancelled it.
    """

    def __init__(self, browser, width, server_url):
        self.page = browser.new_page(viewport={"width": width, "height": 900})
        self.local = urlparse(server_url).netloc  # the test server: host and port
        self.url, self.seen = None, {}  # the current visit; record sizes at its report
        self.record = {
            "outside": [],
            "failed": [],
            "revalidated": [],
            "js_errors": [],
            "console_errors": [],
        }
        self.visits = 0
        self.visit_of = {}  # request -> the visit that made it
        page, record = self.page, self.record
        page.on("request", self._request)
        page.on("websocket", lambda ws: self._note_host(ws.url))
        page.on("pageerror", lambda error: record["js_errors"].append(str(error)))
        page.on(
            "console",
            lambda m: m.type == "error" and record["console_errors"].append(m.text),
        )
        page.on("requestfailed", self._request_failed)
        page.on("response", self._response)

    def _note_host(self, url):
        local = urlparse(url).netloc == self.local
        if not (url.startswith(("data:", "blob:")) or local):
            self.record["outside"].append(url)  # and the browser's proxy fails it

    def _request(self, r):
        self.visit_of[r] = self.visits
        self._note_host(r.url)

    def _request_failed(self, r):
        left_behind = self.visit_of.get(r, self.visits) != self.visits
        if not (left_behind and r.failure == "net::ERR_ABORTED"):
            self.record["failed"].append(f"{r.url} {r.failure}")

    def _response(self, response):
        if response.status >= 400:
            self.record["failed"].append(f"{response.url} HTTP {response.status}")
        elif response.status == 304:
            self.record["revalidated"].append(response.url)

    def go(self, url):
        """Start a new visit: a fresh record, then load `url`. Fails if the visit before
        recorded anything after its last report (see check_nothing_late).
        """
        self.check_nothing_late()
        self.visits += 1
        for entries in self.record.values():
            entries.clear()
        self.url, self.seen = url, {}
        # "load": images and scripts are in; INSPECT then waits for MathJax.
        self.page.goto(url, wait_until="load")

    def inspect(self):
        """INSPECT's report of the page, then a copy of the visit's record (which holds
        what happened while INSPECT waited for MathJax too).
        """
        report = self.page.evaluate(INSPECT)
        self.seen = {k: len(v) for k, v in self.record.items()}
        return {**report, **{k: list(v) for k, v in self.record.items()}}

    def check_nothing_late(self):
        """Fail if the current visit recorded something after its last report: a late
        error, failed request or request to another host would otherwise be cleared by
        the next visit unseen. (Playwright's sync API hands events over only during a
        later call: the next page's resize or load, or the NEXT_FRAMES of `finish`.)
        """
        if not self.seen:  # no visit yet, or none reported
            return
        late = {
            k: v[self.seen.get(k, 0):]
            for k, v in self.record.items()
            if len(v) > self.seen.get(k, 0)
        }
        assert not late, f"{self.url} recorded after its report: {late}"

    def finish(self):
        """Let pending events arrive, check that none came after the last report, and
        close the tab.
        """
        self.page.evaluate(NEXT_FRAMES)
        self.check_nothing_late()
        self.page.close()


def open_page(browser, url, width):
    """Open one page in a new tab; return (page, record)."""
    tab = Tab(browser, width, url)
    tab.go(url)
    return tab.page, tab.record


# Resolves after two animation frames: the resized page has been laid out and painted.
NEXT_FRAMES = """() => new Promise(done =>
  requestAnimationFrame(() => requestAnimationFrame(() => done(true))))"""


def visit(browser, url, width):
    tab = Tab(browser, width, url)
    tab.go(url)
    report = tab.inspect()
    tab.page.close()
    return report


@pytest.fixture(scope="module")
def reports(server, browser):
    """The reports of every page at both widths, made on first use.

    One tab visits page after page, as a reader clicks through the site: one renderer
    process instead of a new one per page (a third less CPU). Each page is loaded once,
    inspected at 1280 px, then resized to 390 px and inspected again (the layout
    reflows; what was loaded is the same).
    """
    tab = Tab(browser, WIDTHS["desktop"], server)
    cache = {}

    def report(name, width):
        if name not in cache:
            tab.page.set_viewport_size({"width": WIDTHS["desktop"], "height": 900})
            tab.go(f"{server}/{name}")
            cache[name] = {"desktop": tab.inspect()}
            tab.page.set_viewport_size({"width": WIDTHS["phone"], "height": 900})
            tab.page.evaluate(NEXT_FRAMES)
            cache[name]["phone"] = tab.inspect()
        return cache[name][width]

    yield report
    tab.finish()


def expected_pages():
    return ["index.html", "search.html"] + [f"{entry}.html" for entry in toc_files()]


def browsed_pages():
    """Every page a reader reads (index.html only redirects to the intro page)."""
    return [page for page in expected_pages() if page != "index.html"]


def test_index_redirects_to_the_intro(site):
    index = (site[0] / "index.html").read_text()
    assert 'http-equiv="Refresh"' in index and "chapters/intro.html" in index


def test_build_is_clean(site):
    html, code, log = site
    assert code == 0, log[-5000:]
    assert "build succeeded" in log and (html / "index.html").exists(), log[-5000:]
    sphinx_warnings = [
        line for line in log.splitlines() if "WARNING:" in line
    ]  # not the kernel's "WARNING |"
    assert sphinx_warnings == []
    assert (html / "_static" / "mathjax" / "tex-mml-chtml.js").exists()
    assert not (html / "_static" / "scripts" / "fontawesome.js").exists()


def test_every_toc_page_is_built_and_nothing_else(site):
    html = site[0]
    built = {
        p.relative_to(html).as_posix()
        for p in html.rglob("*.html")
        if "_static" not in p.parts
    }
    # No empty general index, no raw "Proof Index".
    assert built == set(expected_pages())


def test_downloads_are_the_executed_notebooks_and_the_course(site):
    """Each chapter's download is its executed notebook; the course archive holds what
    the README needs.
    """
    import json
    import zipfile

    html = site[0]
    downloads = html / "_downloads" / "course"
    for entry in toc_files():
        if (html.parent.parent / "jupyter_execute" / f"{entry}.ipynb").exists():
            notebook = json.loads((downloads / f"{entry}.ipynb").read_text())
            outputs = [
                o
                for c in notebook["cells"]
                if c["cell_type"] == "code"
                for o in c["outputs"]
            ]
            assert outputs, f"{entry}: the download has no outputs"
            page = (html / f"{entry}.html").read_text()
            assert f'_downloads/course/{entry}.ipynb" download' in page
    names = set(zipfile.ZipFile(downloads / "softmax-course.zip").namelist())
    for needed in (
        "README.md",
        "pyproject.toml",
        "uv.lock",
        "book/__init__.py",
        "chapters/01_softmax.ipynb",
    ):
        assert f"softmax-course/{needed}" in names


@pytest.mark.parametrize("width", sorted(WIDTHS))
@pytest.mark.parametrize("page", browsed_pages())
def test_page_reads_well_offline(page, width, site, reports):
    assert site[1] == 0, "the build failed"
    report = reports(page, width)
    assert report["outside"] == [], "requests left the machine"
    assert report["failed"] == [], "resources failed to load"
    assert report["revalidated"] == [], "cached files revalidated: bytes uncounted"
    assert report["js_errors"] == [] and report["console_errors"] == []
    assert report["untypeset"] == [], "math left untypeset"
    assert report["containers"] >= report["math"]
    assert report["errors"] == [] and report["red"] == 0, "MathJax reported errors"
    assert report["broken"] == [], "images failed to load"
    assert report["overflow"] <= 1, (
        f"the page is {report['overflow']} px wider than a {width} screen"
    )
    if width == "desktop":
        assert report["wideCode"] == [], "code blocks scroll sideways at 1280 px"
        assert report["sidebarSearch"] == 0, "a second search box"
    assert report["bytes"] <= PAGE_BUDGET_BYTES, (
        f"{report['bytes']} bytes without MathJax"
    )
    assert report["unmarkedChinese"] == [], "Chinese text without lang=zh"
    for figure in report["figures"]:
        assert re.match(r"Figure \d+", figure["caption"]), (
            f"a figure without a numbered caption: {figure}"
        )
        alt = figure["alt"]
        assert len(alt) >= 20 and not re.search(
            r"\.(png|svg|jpe?g)$|_images|^\W*$", alt
        ), f"alt text that does not describe the figure: {alt!r}"
    if page.startswith(("chapters/0", "chapters/1")):  # a chapter: math and figures
        assert report["math"] > 0 and report["figures"], (
            "a chapter without math or figures"
        )


DRAWER_IS_OPEN = """id => { const d = document.getElementById(id);
                   if (!d || !d.open) return false;
                   const r = d.getBoundingClientRect();
                   const links = d.querySelectorAll('a').length;
                   return r.width > 100 && r.height > 100 && links > 0; }"""


def drawer_is_open(page, dialog_id):
    return page.evaluate(DRAWER_IS_OPEN, dialog_id)


def becomes_true(page, condition, arg=None, timeout_ms=3000):
    """Whether the JavaScript `condition` becomes true within the timeout (two more
    frames are then let pass).
    """
    try:
        page.wait_for_function(condition, arg=arg, timeout=timeout_ms)
    except PlaywrightTimeout:
        return False
    page.evaluate(NEXT_FRAMES)
    return True


def drawer_becomes(page, dialog_id, wanted):
    """Whether the drawer reaches the wanted state (open or closed), and is still in it
    two frames later.
    """
    check = f"id => ({DRAWER_IS_OPEN})(id) === {'true' if wanted else 'false'}"
    return becomes_true(page, check, dialog_id) and (
        drawer_is_open(page, dialog_id) == wanted
    )


def test_phone_menu_opens_the_table_of_contents(site, server, browser):
    page, _ = open_page(browser, f"{server}/chapters/intro.html", WIDTHS["phone"])
    page.locator(".primary-toggle:visible").first.click()
    assert drawer_becomes(page, "pst-primary-sidebar-modal", True), (
        "the menu button opened nothing"
    )
    assert page.locator(
        "#pst-primary-sidebar-modal a[href*='02_stability']"
    ).first.is_visible()
    page.keyboard.press("Escape")
    assert drawer_becomes(page, "pst-primary-sidebar-modal", False)
    page.locator(".secondary-toggle:visible").first.click()
    assert drawer_becomes(page, "pst-secondary-sidebar-modal", True), (
        "'on this page' opened nothing"
    )
    page.close()


def test_desktop_menu_button_collapses_the_sidebar(site, server, browser):
    page, _ = open_page(
        browser, f"{server}/chapters/intro.html", WIDTHS["desktop"]
    )
    sidebar = page.locator("#pst-primary-sidebar")
    assert sidebar.is_visible()
    page.locator(".primary-toggle:visible").first.click()
    becomes_true(  # if it does not, the assert below says what is wrong
        page,
        "() => document.querySelector('#pst-primary-sidebar')"
        ".classList.contains('pst-sidebar-hidden')",
    )
    assert "pst-sidebar-hidden" in (sidebar.get_attribute("class") or "")
    assert not drawer_is_open(page, "pst-primary-sidebar-modal")
    page.close()


def test_the_checks_catch_broken_pages(site, server, browser):
    """An undefined macro, a TeX error, unclosed math, a missing image, remote files (by
    name, by address, link-local, and the server's own file by the name localhost: each
    refused by the proxy, none fetched), a page wider than the screen, an uncaptioned
    figure and unmarked Chinese are all caught.
    """
    html = site[0]
    bad = html / "broken-on-purpose.html"
    # The test server's own file, but by the name localhost: not the server's address.
    by_name = server.replace("127.0.0.1", "localhost") + "/_static/pygments.css"
    bad.write_text(
        '<html><head><meta charset="utf-8">'
        '<script defer src="_static/mathjax/tex-mml-chtml.js"></script>'
        '<script src="https://example.invalid/x.js"></script>'
        '<script src="http://203.0.113.9/y.js"></script>'  # an address, not a name
        '<script src="http://169.254.169.254/z.js"></script>'  # link-local
        f'<link rel="stylesheet" href="{by_name}"></head>'
        '<body><div class="bd-article">'
        '<p><span class="math">\\(\\undefinedmacro x\\)</span></p>'
        '<p><span class="math">\\(x^1^2\\)</span></p>'
        '<p><span class="math">\\(\\frac{1}{2}</span></p>'
        '<div style="width: 3000px">wide</div><p>交叉熵</p>'
        '<div class="cell_output">'
        '<img alt="_images/a.png" src="_images/missing.png"></div>'
        "</div></body></html>"
    )
    try:
        report = visit(browser, f"{server}/broken-on-purpose.html", WIDTHS["phone"])
    finally:
        bad.unlink()
    outside = [
        "https://example.invalid/x.js",
        "http://203.0.113.9/y.js",
        "http://169.254.169.254/z.js",
        by_name,
    ]
    assert sorted(report["outside"]) == sorted(outside)
    refused = [f"{url} net::ERR_PROXY_CONNECTION_FAILED" for url in outside]
    missing = f"{server}/_images/missing.png HTTP 404"
    assert sorted(report["failed"]) == sorted([*refused, missing])  # none went out
    assert report["red"] >= 1
    assert report["errors"] and all(
        "Double exponent" in error for error in report["errors"]
    )
    assert len(report["untypeset"]) == 1
    assert len(report["broken"]) == 1
    assert report["overflow"] > 2000
    assert report["unmarkedChinese"] == ["交叉熵"]
    assert report["figures"] == [{"alt": "_images/a.png", "caption": ""}]
