"""The PDF edition: `jupyter-book build . --builder pdflatex` (XeLaTeX), from the
notebooks nbval executed.

Runs when TeX is installed (`.ci/run` installs Debian's TeX packages, so it runs in CI).
The PDF is read back with `pdftotext`: every chapter and back-matter page is in it, no
cross-reference is left unresolved ("??"), the glossary's Chinese is there (a CJK font
was found), and every figure of the site is in it.
"""

import re
import shutil
import subprocess

import nbformat
import pytest

from bookbuild import build, site_source
from conftest import ROOT, toc_files

TEX = all(
    shutil.which(tool) for tool in ("xelatex", "latexmk", "pdftotext", "pdfimages")
)
pytestmark = pytest.mark.skipif(
    not TEX, reason="TeX (xelatex, latexmk) or poppler (pdftotext, pdfimages) missing"
)


@pytest.fixture(scope="module")
def pdf(request, tmp_path_factory):
    source = site_source(request, tmp_path_factory.mktemp("pdf-source"))
    output = tmp_path_factory.mktemp("pdf")
    code, log = build(source, output, builder="pdflatex")
    path = output / "_build" / "latex" / "book.pdf"
    assert code == 0 and path.exists(), log[-5000:]
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    tex_log = (output / "_build" / "latex" / "book.log").read_text(errors="replace")
    # the last XeLaTeX pass's log: what the PDF is made of
    return path, text, tex_log, output / "_build" / "jupyter_execute"


def page_titles():
    """The title (first `# ` heading) of every page after the intro."""
    titles = []
    for entry in toc_files()[1:]:
        notebook = ROOT / f"{entry}.ipynb"
        if notebook.exists():
            first = nbformat.read(notebook, as_version=4).cells[0].source
        else:
            first = (ROOT / f"{entry}.md").read_text()
        titles.append(re.search(r"^# (.+)$", first, re.M).group(1).strip())
    return titles


def test_every_chapter_is_in_the_pdf(pdf):
    text = " ".join(pdf[1].split())
    for title in page_titles():
        plain = re.sub(r"[`*$\\]", "", title)
        assert " ".join(plain.split()) in text, f"{title!r} is not in the PDF"


def test_no_raw_index_pages(pdf):
    """Like the site, the PDF has no general index (the book has no entries) and no
    sphinx-proof "Proof Index", a page of raw labels such as thm-gibbs.
    """
    tex = pdf[0].with_suffix(".tex").read_text(encoding="utf-8")
    assert "\\makeindex" not in tex and "\\printindex" not in tex
    assert "sphinxtheindex" not in tex, "an index (general or of a domain) is set"
    sources = "".join(path.read_text() for path in (ROOT / "chapters").glob("*.ipynb"))
    labels = set(re.findall(r":label: ((?:thm|prop|lem|def|cor)-[\w-]+)", sources))
    text = " ".join(pdf[1].split())
    assert labels and not [label for label in labels if label in text]
    assert "proof index" not in text.lower()


def test_latexmk_made_the_pdf_once(pdf):
    """latexmk ran in XeLaTeX mode (_ext/reader_site.xdv_passes): every pass wrote an
    .xdv and xdvipdfmx made the PDF once, instead of once per pass.
    """
    makefile = (pdf[0].parent / "Makefile").read_text()
    assert "\nLATEXMKOPTS ?= -xelatex\n" in makefile
    assert pdf[0].with_suffix(".xdv").exists()


def test_no_unresolved_references(pdf):
    assert "??" not in pdf[1]
    assert "LaTeX Warning: Reference" not in pdf[2]


def test_chinese_prints(pdf):
    assert "交叉熵" in pdf[1], "the glossary's Chinese is missing (no CJK font?)"
    # A character that no font of its run has is dropped from the page, silently but
    # for this line of the log: Chinese outside a {zh} node, say, set in FreeSerif.
    missing = re.findall(r"Missing character: There is no (.+?) in font", pdf[2])
    assert not missing, f"characters no font printed: {sorted(set(missing))}"


def test_the_vector_of_ones_prints(pdf):
    """amssymb's \\mathbb has no digits: \\mathbb{1} printed as a stray U+22AE until the
    preamble took the double-struck one from the text font.
    """
    assert "\u22ae" not in pdf[1]
    assert "\U0001d7d9" in pdf[1]


def test_every_figure_is_in_the_pdf(pdf):
    """As many images in the PDF as PNG outputs in the executed chapters (the site shows
    each of them once, as a figure).
    """
    executed = sorted(pdf[3].glob("chapters/*.ipynb"))
    assert len(executed) == len(list((ROOT / "chapters").glob("*.ipynb")))
    figures = sum(
        "image/png" in output.get("data", {})
        for path in executed
        for cell in nbformat.read(path, as_version=4).cells
        if cell.cell_type == "code"
        for output in cell.outputs
    )
    listing = subprocess.run(
        ["pdfimages", "-list", str(pdf[0])], capture_output=True, text=True, check=True
    ).stdout.splitlines()[2:]  # two header lines, then one line per image
    images = [line for line in listing if line.split()[2] == "image"]  # not masks
    assert figures > 0 and len(images) == figures


def test_blackboard_bold_digits_are_only_the_one(pdf):
    """The preamble prints \\mathbb{1} from the text font; amssymb would print a stray
    symbol for any other digit, or for a 1 written with spaces around it.
    """
    tex = pdf[0].with_suffix(".tex").read_text()
    arguments = re.findall(r"\\mathbb\{([^}]*)\}", tex)
    assert "1" in arguments
    assert not [a for a in arguments if re.search(r"\d", a) and a != "1"], arguments


def test_code_stays_on_the_page(pdf):
    """No line runs into the right margin by more than 20 pt (the widest today is a
    14 pt line of text): TeX reports every box wider than the page.
    """
    overfull = [
        float(m)
        for m in re.findall(r"Overfull \\hbox \((\d+(?:\.\d+)?)pt too wide\)", pdf[2])
    ]
    assert not [w for w in overfull if w > 20], (
        f"overfull boxes: {sorted(overfull)[-5:]}"
    )


def test_nothing_runs_off_the_bottom_of_a_page(pdf):
    """A page whose content is taller than the page runs into the footer and beyond:
    TeX reports an overfull vbox while it outputs the page. The notation and errata
    tables did (up to 470 pt, their last rows lost) until they became longtables, and
    a tall figure with its caption did until figures were capped at 0.8 of the page.
    """
    pattern = (
        r"Overfull \\vbox \((\d+(?:\.\d+)?)pt too high\) has occurred while \\output"
    )
    overfull = [float(h) for h in re.findall(pattern, pdf[2])]
    assert not [h for h in overfull if h > 2], f"pages too high by (pt): {overfull}"
