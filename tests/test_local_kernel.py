"""Run it locally: the kernel a reader gets from `uv run jupyter lab` is the project's
own Python.

`uv run jupyter lab` starts Jupyter inside the project's `.venv`; the chapters name the
kernel `python3`, which Jupyter resolves to the Python it runs in. This starts that
kernel the way Jupyter does (by name, through `jupyter_client`), checks that it is this
environment's interpreter with `book` importable, and runs a chapter in it from top to
bottom.
"""

import sys
from pathlib import Path

import nbformat
from jupyter_client.kernelspec import KernelSpecManager
from nbclient import NotebookClient

from conftest import CHAPTERS


def test_python3_kernel_is_the_project_environment():
    spec = KernelSpecManager().get_kernel_spec("python3")
    interpreter = spec.argv[0]
    assert (
        interpreter in ("python", "python3", sys.executable)
        or Path(interpreter).resolve() == Path(sys.executable).resolve()
    ), f"the python3 kernel runs {interpreter}, not {sys.executable}"


def test_a_chapter_runs_in_the_readers_kernel():
    # the quickest chapter that imports `book` itself
    chapter = nbformat.read(CHAPTERS / "02_stability.ipynb", as_version=4)
    chapter.cells.insert(
        0,
        nbformat.v4.new_code_cell(
            "import sys, book\nprint(sys.executable)\nprint(book.__file__)"
        ),
    )
    client = NotebookClient(
        chapter,
        kernel_name="python3",
        timeout=300,
        resources={"metadata": {"path": str(CHAPTERS)}},
    )
    client.execute()  # raises CellExecutionError if any cell of the chapter fails
    executable, book_file = chapter.cells[0].outputs[0]["text"].split()
    assert Path(executable).resolve() == Path(sys.executable).resolve()
    assert Path(book_file).resolve().parent == CHAPTERS.parent / "book"
