"""Copy the functions of each `book/` file into the chapter cell that shows it.

The chapters are the place a function is taught, and `tests/test_chapter_sources.py`
checks that a chapter's cell `# book/<file>.py: shown in full...` and the package file
define the same functions, letter for letter. After editing a function in `book/`, run

    uv run python tools/sync_chapters.py

to rewrite those cells from the package files (the header line of each cell is kept; the
functions after it are replaced by everything from the file's first top-level `def`).
Then re-read the chapter's prose around it.
"""

import ast
import pathlib
import re

import nbformat

ROOT = pathlib.Path(__file__).resolve().parents[1]
HEADER = re.compile(r"^# (book/\w+\.py): shown in full")


def functions_part(path):
    """The text of a package file from its first top-level function to the end."""
    source = path.read_text()
    first = next(
        node for node in ast.parse(source).body if isinstance(node, ast.FunctionDef)
    )
    return "".join(source.splitlines(keepends=True)[first.lineno - 1 :]).rstrip("\n")


def main():
    for notebook in sorted((ROOT / "chapters").glob("*.ipynb")):
        nb = nbformat.read(notebook, as_version=4)
        changed = False
        for cell in nb.cells:
            match = HEADER.match(cell.source) if cell.cell_type == "code" else None
            if match:
                header = cell.source.splitlines()[0]
                new = f"{header}\n\n\n{functions_part(ROOT / match.group(1))}"
                if new != cell.source:
                    cell.source = new
                    changed = True
                    print(f"{notebook.name}: updated the cell showing {match.group(1)}")
        if changed:
            nbformat.write(nb, notebook)


if __name__ == "__main__":
    main()
