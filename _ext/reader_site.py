"""Local Sphinx extension: the site as a reader meets it (phone, print, download).

1. Theme settings Jupyter Book 1 does not expose: colour mode ``auto`` by default
   (otherwise every page logs "Got invalid theme mode: . Resetting to auto."), one
   search box (the header's button, not a second field in the sidebar), no general index
   and no sphinx-proof "Proof Index" (both empty or raw labels here), on the site and,
   for the Proof Index, in the PDF (its general index is switched off in _config.yml's
   latex_elements).
2. No 1.5 MB icon script. pydata-sphinx-theme 0.17 loads Font Awesome twice: as CSS web
   fonts (its style sheet) and as ``fontawesome.js``, which swaps every icon for an
   inline SVG. The fonts alone draw the same icons; the script tag is removed from every
   page after the build and the file deleted.
3. Downloads that run. The download menu of a chapter offers the *executed* notebook
   (outputs included, from ``jupyter_execute/``) and an archive of the whole course
   (chapters, ``book/``, ``pyproject.toml``, ``uv.lock``, README), so a downloaded
   chapter runs with the README's two commands; and, when the PDF edition was built
   first (``jupyter-book build . --builder pdflatex``), that PDF. Links download instead
   of opening JSON in a new tab.
4. Light pages: the retina PNGs of the figures are re-encoded with a 256-colour palette
   (about 2.5x smaller, no visible difference for plots), and assets no page uses are
   not loaded (the search index outside the search page, sphinx-thebe, sphinx-design).
5. The phone menu works: ``_static/course-nav.js`` binds the visible sidebar toggles
   (pydata-sphinx-theme issue 2451: 0.17.x binds only the first, hidden
   ``.primary-toggle``).
"""

import os
import re
import shutil
import zipfile
from pathlib import Path

from docutils import nodes
from sphinx import addnodes
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util import logging

logger = logging.getLogger(__name__)

ROOT = Path(__file__).resolve().parent.parent
DOWNLOADS = "_downloads/course"
ARCHIVE = "softmax-course.zip"
PDF = "softmax-course.pdf"
# The course as a reader runs it: the README's two commands work inside the unpacked
# folder (everything of the repository but its history and build outputs).
ARCHIVE_FILES = [
    "README.md",
    "pyproject.toml",
    "uv.lock",
    "_config.yml",
    "_toc.yml",
    "conftest.py",
    ".gitignore",
]
ARCHIVE_DIRS = [
    "book",
    "chapters",
    "_ext",
    "_static",
    "tests",
    "tools",
    "benchmarks",
    ".ci",
    ".github",
]


def theme_settings(app, config):
    config.html_context = {**config.html_context, "default_mode": "auto"}
    config.html_sidebars = {
        "**": ["navbar-logo.html", "icon-links.html", "sbt-sidebar-nav.html"]
    }
    config.html_use_index = False
    config.html_domain_indices = False
    config.latex_domain_indices = False


def pdf_source(app):
    """The PDF edition, if one was built before this site (the pdflatex builder's
    output).
    """
    for candidate in (
        Path(app.outdir).parent / "latex" / "book.pdf",
        ROOT / "_build" / "latex" / "book.pdf",
    ):
        if candidate.exists():
            return candidate
    return None


def download_menu(app, pagename, templatename, context, doctree):
    """Point the download menu at the executed notebook, the course archive and the PDF
    edition.
    """
    pathto = context["pathto"]
    for group in context.get("header_buttons", []):
        if group.get("label") != "download-buttons":
            continue
        buttons = []
        for button in group["buttons"]:
            if (
                button.get("label") == "download-source-button"
                and context.get("page_source_suffix") == ".ipynb"
            ):
                button = {
                    **button,
                    "url": pathto(f"{DOWNLOADS}/{pagename}.ipynb", 1),
                    "text": ".ipynb",
                    "tooltip": "Download this chapter as an executed notebook",
                }
            if button.get("label") == "download-pdf-button":
                continue  # the PDF edition replaces it (browsers still print a page)
            buttons.append(button)
        buttons.append(
            {
                "type": "link",
                "url": pathto(f"{DOWNLOADS}/{ARCHIVE}", 1),
                "text": "course (.zip)",
                "tooltip": "The whole course: chapters, book/, pyproject.toml, uv.lock",
                "icon": "fas fa-file-zipper",
                "label": "download-course-button",
            }
        )
        if pdf_source(app):
            buttons.append(
                {
                    "type": "link",
                    "url": pathto(f"{DOWNLOADS}/{PDF}", 1),
                    "text": "course (.pdf)",
                    "tooltip": "Download the PDF edition of the course",
                    "icon": "fas fa-file-pdf",
                    "label": "download-coursepdf-button",
                }
            )
        group["buttons"] = buttons


def write_archive(target):
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in ARCHIVE_FILES:
            archive.write(ROOT / name, f"softmax-course/{name}")
        for folder in ARCHIVE_DIRS:
            for path in sorted((ROOT / folder).rglob("*")):
                if (
                    path.is_file()
                    and "__pycache__" not in path.parts
                    and not any(
                        part.startswith(".")
                        for part in path.relative_to(ROOT / folder).parts
                    )
                ):
                    archive.write(path, f"softmax-course/{path.relative_to(ROOT)}")


# Assets no page of this book uses: the theme's search-as-you-type index (the option is
# off; the search box submits to search.html, which loads its own), sphinx-thebe (launch
# buttons are off) and sphinx-design (no tabs, cards or grids). 300 KB a page.
UNUSED_ASSETS = re.compile(
    r'\s*<script[^>]*src="[^"]*(?:_static/searchtools\.js|_static/language_data\.js'
    r'|searchindex\.js|_static/sphinx-thebe\.js[^"]*|_static/design-tabs\.js[^"]*)"[^>]*>'
    r"</script>"
    r'|\s*<link[^>]*href="[^"]*_static/(?:sphinx-thebe|sphinx-design\.min)\.css[^"]*"[^>]*/>'
)
FONTAWESOME_TAG = re.compile(
    r'\s*<script defer src="[^"]*_static/scripts/fontawesome\.js[^"]*"></script>'
)
DOWNLOAD_LINK = re.compile(r'<a href="([^"]*_downloads/course/[^"]*)" target="_blank"')


# sphinx-exercise labels an exercise "exercise:<label>" in LaTeX, but a {numref} from
# another page (notation, glossary) asks LaTeX for "<docname>:<label>" and its \ref,
# which stay undefined and print "Exercise ??" in the PDF. Those references are pointed
# at sphinx-exercise's label, with the exercise's number (from Sphinx's numbering, as
# the site shows it) in place of the \ref.
EXERCISE_LINK = re.compile(r"\\hyperref\[\\detokenize\{[^{}]*?:(ex-[^{}]+)\}\]")
EXERCISE_NUMBER = re.compile(r"\\ref\{\\detokenize\{([^{}]*?):(ex-[^{}]+)\}\}")


def fix_exercise_refs(app):
    numbers = {
        (docname, label): ".".join(map(str, number))
        for docname, kinds in app.env.toc_fignumbers.items()
        for label, number in kinds.get("exercise", {}).items()
    }
    for tex in Path(app.outdir).glob("*.tex"):
        text = tex.read_text(encoding="utf-8")
        new = EXERCISE_LINK.sub(lambda m: f"\\hyperref[exercise:{m.group(1)}]", text)
        new = EXERCISE_NUMBER.sub(
            lambda m: numbers.get((m.group(1), m.group(2)), m.group(0)), new
        )
        if new != text:
            tex.write_text(new, encoding="utf-8")


def finish(app, exception):
    if exception is None and app.builder.format == "latex":
        fix_exercise_refs(app)
        for image in sorted(Path(app.outdir).glob("*.png")):  # lighter and faster PDF
            shrink_png(image)
        if app.config.latex_engine == "xelatex" and os.name != "nt":
            xdv_passes(Path(app.outdir) / "Makefile")
    if exception is not None or app.builder.format != "html":
        return
    out = Path(app.outdir)
    downloads = out / DOWNLOADS
    downloads.mkdir(parents=True, exist_ok=True)
    # myst-nb writes _build/jupyter_execute/<docname>.ipynb
    executed = out.parent / "jupyter_execute"
    for notebook in executed.rglob("*.ipynb"):
        target = downloads / notebook.relative_to(executed)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(notebook, target)
    write_archive(downloads / ARCHIVE)
    pdf = pdf_source(app)
    if pdf:
        shutil.copyfile(pdf, downloads / PDF)
    for page in out.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        new = DOWNLOAD_LINK.sub(r'<a href="\1" download', FONTAWESOME_TAG.sub("", text))
        if page.name != "search.html":
            new = UNUSED_ASSETS.sub("", new)
        if new != text:
            page.write_text(new, encoding="utf-8")
    for leftover in (out / "_static" / "scripts").glob("fontawesome.js*"):
        leftover.unlink()
    for image in sorted((out / "_images").glob("*.png")):  # a list: new files appear
        shrink_png(image)


def shrink_png(path):
    """Re-encode a figure with a 256-colour palette when that is smaller (it is, about
    2.5x, for matplotlib's antialiased plots): same pixels, same size on screen, lighter
    pages.
    """
    from PIL import Image  # Pillow comes with matplotlib

    with Image.open(path) as image:
        if image.mode == "P":
            return
        palette = image.convert("RGBA").quantize(256, method=Image.Quantize.FASTOCTREE)
    smaller = path.with_suffix(".palette.png")
    palette.save(smaller, "PNG")
    if smaller.stat().st_size < path.stat().st_size:
        smaller.replace(path)
    else:
        smaller.unlink()


def xdv_passes(makefile):
    """latexmk in XeLaTeX mode: each pass writes an .xdv, and xdvipdfmx makes the PDF
    once at the end instead of after every pass (2.4 s of CPU per pass for this book).

    Sphinx's Makefile suggests exactly this ("set LATEXMKOPTS to -xelatex either here
    or on command line for faster builds"); `jupyter-book build --builder pdflatex` runs
    that Makefile with `make all-pdf`. An LATEXMKOPTS in the environment or on make's
    command line still wins. Called for the xelatex engine only, and not on Windows
    (whose Makefile template has no such line, and where Jupyter Book runs make.bat). A
    Makefile without the empty line is left as it is: the PDF is then made as before,
    only slower (tests/test_pdf.py fails on that, here).
    """
    text = makefile.read_text()
    new = text.replace("\nLATEXMKOPTS ?=\n", "\nLATEXMKOPTS ?= -xelatex\n")
    if new == text:
        logger.info("reader_site: no empty `LATEXMKOPTS ?=` line in %s", makefile)
        return
    makefile.write_text(new)


class LongTables(SphinxPostTransform):
    """In the PDF, a table with its own column widths may break across pages.

    Sphinx sets a table of 30 rows or fewer as a tabulary, which cannot break: the
    notation and errata tables, with few but tall rows, ran off the foot of their pages
    and lost their last rows. A longtable breaks. Only tables directly in a section (a
    longtable cannot be nested) and with a `{tabularcolumns}` spec of wrapping p{...}
    columns: without one, Sphinx gives a longtable columns that never wrap.
    """

    default_priority = 400
    builders = ("latex",)

    def run(self, **kwargs):
        for table in list(self.document.findall(nodes.table)):
            if not isinstance(table.parent, (nodes.section, nodes.document)):
                continue
            before = table.previous_sibling()
            has_spec = isinstance(before, addnodes.tabular_col_spec)
            if has_spec and "longtable" not in table["classes"]:
                table["classes"].append("longtable")


def setup(app):
    app.add_post_transform(LongTables)
    app.connect("config-inited", theme_settings)
    # After sphinx-book-theme's own handler (priority 501) has made the menu.
    app.connect("html-page-context", download_menu, priority=600)
    app.connect("build-finished", finish)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
