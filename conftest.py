"""The test suite's shared paths and fixtures, and one plugin: every chapter is executed
once per run.

nbval runs each chapter, and the site and PDF builds reuse its outputs.

`uv run pytest` checks each notebook with nbval (`--nbval-lax`: every cell must run, the
asserts inside the notebooks are the checks). This plugin keeps the outputs nbval
receives from the kernel and, when the last cell of a notebook has passed, writes the
executed notebook to a folder shared by all xdist workers (`executed_notebooks_dir`).
`tests/test_site.py` and `tests/test_pdf.py` build the book from those executed
notebooks (Jupyter Book with `execute_notebooks: off`) instead of executing every
chapter a second and third time. A notebook that fails under nbval leaves a
`<name>.failed` marker, and the builds then fail at once, naming it. The test items of
the builds come after every notebook (`pytest_collection_modifyitems`): by the time a
worker starts one, every notebook has been handed to a worker, so waiting for the
executed notebooks cannot deadlock.

Run alone (`uv run pytest tests/test_site.py`), the builds see no notebook items in the
session and execute the notebooks themselves, exactly as `jupyter-book build .` does.
"""

import gc
import os
import shutil
import sys
import tempfile
from pathlib import Path

import nbformat
import pytest
import yaml

# pytest keeps each test module, once its asserts are rewritten, in __pycache__
# (gitignored), unless bytecode writing is off: with PYTHONDONTWRITEBYTECODE=1 set on
# the machine, every worker parsed and rewrote all the test files again on every run
# (1.5 s per process). Only this process is concerned; kernels and builds inherit the
# environment, not this flag.
sys.dont_write_bytecode = False

ROOT = Path(__file__).resolve().parent
CHAPTERS = ROOT / "chapters"

sys.path.insert(0, str(ROOT / "_ext"))
from offline_assets import kernel_profile  # noqa: E402

BUILD_TEST_FILES = ("test_pdf.py", "test_site.py")  # the PDF is slower: it goes first


def toc_files():
    """Every page listed in _toc.yml (root first), as paths relative to the repo without
    suffix.
    """
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    files = [toc["root"]]

    def walk(entries):
        for entry in entries:
            if "file" in entry:
                files.append(entry["file"])
            walk(entry.get("sections", []))

    for part in toc.get("parts", []):
        walk(part.get("chapters", []))
    walk(toc.get("chapters", []))
    return files


def notebooks():
    return sorted(CHAPTERS.glob("*.ipynb"))


@pytest.fixture(params=notebooks(), ids=lambda p: p.name)
def notebook(request):
    return request.param, nbformat.read(request.param, as_version=4)


def _is_nbval_cell(item):
    return type(item).__name__ == "IPyNbCell"


def executed_notebooks_dir(config):
    """The folder (shared by all workers of this run) where executed notebooks are
    written.
    """
    if hasattr(config, "workerinput"):
        return Path(config.workerinput["executed_notebooks_dir"])
    return Path(config._executed_notebooks_dir)


def notebooks_in_session(session):
    """Names of the notebooks nbval executes in this run (every worker collects the full
    list).
    """
    return sorted(
        {
            Path(str(item.parent.fspath)).name
            for item in session.items
            if _is_nbval_cell(item)
        }
    )


def pytest_configure(config):
    # Two workers on two cores, each driving a notebook kernel: BLAS threads on top of
    # that only oversubscribe the cores (chapter 7 ran 20x slower that way under load).
    # Kernels and the site build inherit the setting; a reader's own environment is left
    # alone.
    for name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ.setdefault(name, "1")
    # The controller (or a run without xdist) owns the folder.
    if not hasattr(config, "workerinput"):
        kept = os.environ.get("COURSE_EXECUTED_DIR")  # set it to keep them
        config._executed_notebooks_dir = kept or tempfile.mkdtemp(
            prefix="course-executed-"
        )
        config._keep_executed_notebooks = bool(kept)
        Path(config._executed_notebooks_dir).mkdir(parents=True, exist_ok=True)
        # The chapters' kernels (nbval's, the reader's-kernel test's, a build's) start
        # from the clean profile the site build gives its own (_ext/offline_assets.py),
        # not from the user's ~/.ipython, unless IPYTHONDIR is set. The workers, and so
        # their kernels, inherit it.
        config._kernel_profile = None
        if "IPYTHONDIR" not in os.environ:
            config._kernel_profile = kernel_profile()
            os.environ["IPYTHONDIR"] = str(config._kernel_profile)


@pytest.hookimpl(optionalhook=True)
def pytest_configure_node(node):  # xdist: hand the folder to each worker
    node.workerinput["executed_notebooks_dir"] = node.config._executed_notebooks_dir


@pytest.hookimpl(tryfirst=True)  # before pytest's unraisable-exception check
def pytest_unconfigure(config):
    gc.unfreeze()
    if hasattr(config, "workerinput"):
        return
    if not config._keep_executed_notebooks:
        shutil.rmtree(config._executed_notebooks_dir, ignore_errors=True)
    if config._kernel_profile:
        shutil.rmtree(config._kernel_profile, ignore_errors=True)
        del os.environ["IPYTHONDIR"]


# Seconds each chapter takes under nbval in this suite (2 cores, 2026-12-01). Only the
# order matters: xdist hands a worker the next notebook when two or fewer cells of its
# current one remain, so taking the slowest first makes both workers finish together
# (file size, the earlier proxy, put the slowest chapter fifth). A chapter missing from
# the table goes first.
NOTEBOOK_SECONDS = {
    "09_calibration.ipynb": 17.5,
    "07_classifier.ipynb": 11.8,
    "04_information.ipynb": 9.3,
    "10_online.ipynb": 9.1,
    "05_sigmoid.ipynb": 6.6,
    "08_bounded.ipynb": 6.5,
    "06_gradient.ipynb": 5.7,
    "01_softmax.ipynb": 5.0,
    "03_jacobian.ipynb": 4.9,
    "02_stability.ipynb": 3.2,
}


def pytest_collection_finish(session):
    """Everything collection imported (SymPy, SciPy, Hypothesis, the test modules) stays
    alive to the end of the run: freeze it, so that the garbage collector's full passes
    stop walking it again and again. Objects made by the tests are collected as usual,
    and a frozen object whose last reference goes is freed at once. Only frozen garbage
    in a reference cycle waits: the teardown of each process's last test unfreezes and
    collects it, so that an unraisable exception or ResourceWarning from its finaliser
    is reported as an error of that test (an error raised later, in a worker's
    pytest_unconfigure, would never reach the xdist controller).
    """
    gc.collect()
    gc.freeze()


def pytest_collection_modifyitems(session, config, items):
    """Notebooks first, the slowest first (NOTEBOOK_SECONDS), so that the two workers
    finish them at about the same time; then the two builds, which need every notebook
    (the PDF, the slower, first); the unit tests last, to fill in beside the builds.
    xdist keeps this order (`--no-loadscope-reorder` in pyproject.toml)."""

    def rank(item):
        path = Path(str(item.fspath))
        if _is_nbval_cell(item):
            return (0, -NOTEBOOK_SECONDS.get(path.name, float("inf")), path.name)
        if path.name in BUILD_TEST_FILES:
            return (1, BUILD_TEST_FILES.index(path.name), "")
        return (2, 0, "")

    items.sort(key=rank)  # stable: the order inside each group is kept


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    if not _is_nbval_cell(item) or call.when != "call":
        return
    report = outcome.get_result()
    notebook = item.parent
    if report.passed and not getattr(notebook, "_course_failed", False):
        item.cell.outputs = [
            nbformat.from_dict(dict(output)) for output in (item.test_outputs or [])
        ]
        for output in item.cell.outputs:
            if output.output_type == "execute_result":
                output.execution_count = item.cell_num + 1
        item.cell.execution_count = item.cell_num + 1
    else:
        notebook._course_failed = True


def pytest_runtest_teardown(item, nextitem):
    if nextitem is None:  # this process's last test: see pytest_collection_finish
        gc.unfreeze()
        gc.collect()
    if not _is_nbval_cell(item) or (
        nextitem is not None and nextitem.parent is item.parent
    ):
        return
    folder = executed_notebooks_dir(item.config)
    name = Path(str(item.parent.fspath)).name
    if getattr(item.parent, "_course_failed", False) or len(item.parent.nb.cells) == 0:
        (folder / f"{name}.failed").write_text("failed under nbval\n")
    else:
        nbformat.write(item.parent.nb, folder / f"{name}.partial")
        # Renamed into place: it appears whole, never half-written.
        (folder / f"{name}.partial").rename(folder / name)
