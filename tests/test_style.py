"""Code that fits the book's column and a printed page: ruff with line-length 88
(pyproject.toml) on book/, tests/, tools/, benchmarks/, _ext/ and every notebook's code
cells (ruff reads .ipynb natively).
"""

import subprocess
import sys
from pathlib import Path

from conftest import ROOT

RUFF = Path(sys.executable).with_name("ruff")
CHECKED = ["book", "tests", "tools", "benchmarks", "_ext", "conftest.py", "chapters"]


def run_ruff(*paths):
    command = [str(RUFF), "check", "--no-cache", "--select", "E501,W", *map(str, paths)]
    return subprocess.run(command, cwd=ROOT, capture_output=True, text=True)


def test_code_fits_88_columns():
    result = run_ruff(*CHECKED)
    assert result.returncode == 0, result.stdout[-4000:]


def test_ruff_catches_a_long_line(tmp_path):
    long = tmp_path / "long.py"
    long.write_text("x = " + "1 + " * 30 + "1\n")
    result = run_ruff(long)
    assert result.returncode == 1 and "E501" in result.stdout
