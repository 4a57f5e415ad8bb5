"""Chapters are stored without outputs (clean diffs; the site and the tests execute
them), in the table of contents, runnable with the standard kernel, and seeded.
"""

import re

from conftest import ROOT, notebooks, toc_files


def test_stored_without_outputs(notebook):
    path, nb = notebook
    for index, cell in enumerate(nb.cells):
        if cell.cell_type == "code":
            assert cell.outputs == [], f"{path.name} cell {index} has stored outputs"
            assert cell.execution_count is None, (
                f"{path.name} cell {index} has an execution count"
            )
    assert "widgets" not in nb.metadata


def test_uses_the_standard_kernel(notebook):
    path, nb = notebook
    assert nb.metadata["kernelspec"]["name"] == "python3", path.name


def test_random_numbers_are_seeded(notebook):
    """Only seeded generators: `np.random.default_rng(<seed>)`, never the legacy global
    functions.
    """
    path, nb = notebook
    code = "\n".join(cell.source for cell in nb.cells if cell.cell_type == "code")
    assert not re.search(r"np\.random\.(?!default_rng\()", code), (
        f"{path.name} uses the global RNG"
    )
    assert not re.search(r"default_rng\(\s*\)", code), (
        f"{path.name} creates an unseeded generator"
    )


def test_notebooks_and_toc_agree():
    listed = set(toc_files())
    for path in notebooks():
        assert f"chapters/{path.stem}" in listed, f"{path.name} is not in _toc.yml"
    for entry in listed:
        candidates = [ROOT / f"{entry}{suffix}" for suffix in (".ipynb", ".md")]
        assert any(c.exists() for c in candidates), (
            f"_toc.yml lists {entry}, which does not exist"
        )


def test_seed_check_would_catch_the_global_rng():
    assert re.search(r"np\.random\.(?!default_rng\()", "x = np.random.rand(3)")
    assert not re.search(
        r"np\.random\.(?!default_rng\()", "rng = np.random.default_rng(0)"
    )
