"""Building the book inside the test suite, from the notebooks nbval has just executed
(see ../conftest.py).

`site_source(request, folder)` returns the folder to build from: the repository itself
when this test run executes no notebook with nbval (then Jupyter Book executes them, as
`jupyter-book build .` does), or a staged copy of the book's sources whose notebooks are
the executed ones and whose `_config.yml` says `execute_notebooks: off`. (When only some
chapters run under nbval, the repository is built, executing.) Everything else in the
staged copy is the repository's own files.
"""

import shutil
import subprocess
import sys
import time
from pathlib import Path

import yaml

from conftest import ROOT, executed_notebooks_dir, notebooks, notebooks_in_session

# The staged copy holds exactly what the course archive of the site packs, so that the
# archive built here is the one a reader downloads: one list, in _ext/reader_site.py
# (conftest.py puts _ext/ on the path).
from reader_site import ARCHIVE_DIRS, ARCHIVE_FILES

WAIT_SECONDS = 1800


def wait_for_executed(request):
    """Map notebook name -> executed copy, once nbval has run them all; None if nbval
    runs none here.
    """
    names = notebooks_in_session(request.session)
    if names != [path.name for path in notebooks()]:
        return None  # not every chapter runs under nbval: the build executes them
    folder = executed_notebooks_dir(request.config)
    deadline = time.monotonic() + WAIT_SECONDS
    while True:
        failed = sorted(p.stem for p in folder.glob("*.failed"))
        if failed:
            raise AssertionError(
                f"notebooks failed under nbval, so the book cannot be built: {failed}"
            )
        missing = [name for name in names if not (folder / name).exists()]
        if not missing:
            return {name: folder / name for name in names}
        if time.monotonic() > deadline:
            raise AssertionError(
                f"nbval did not finish these notebooks in time: {missing}"
            )
        time.sleep(0.5)


def site_source(request, folder):
    """The source folder to build: the repository, or a staged copy with executed
    notebooks.
    """
    executed = wait_for_executed(request)
    if executed is None:
        return ROOT
    folder = Path(folder)
    for name in ARCHIVE_FILES:
        shutil.copy2(ROOT / name, folder / name)
    skip = shutil.ignore_patterns("__pycache__", ".*")
    for name in ARCHIVE_DIRS:
        if name != "chapters":  # below: its notebooks are the executed ones
            shutil.copytree(ROOT / name, folder / name, ignore=skip)
    chapters = folder / "chapters"
    shutil.copytree(
        ROOT / "chapters", chapters, ignore=shutil.ignore_patterns("*.ipynb", ".*")
    )
    for name, path in executed.items():
        shutil.copy2(path, chapters / name)
    config = yaml.safe_load((ROOT / "_config.yml").read_text())
    config["execute"]["execute_notebooks"] = "off"  # nbval has executed them, this run
    (folder / "_config.yml").write_text(
        yaml.safe_dump(config, sort_keys=False, allow_unicode=True)
    )
    return folder


def build(source, output_dir, builder="html"):
    """`jupyter-book build` with -W -n --keep-going into a fresh folder; returns (exit
    code, log).
    """
    # The script of this environment.
    jupyter_book = Path(sys.executable).with_name("jupyter-book")
    command = [
        str(jupyter_book),
        "build",
        str(source),
        "--path-output",
        str(output_dir),
        "-W",
        "-n",
        "--keep-going",
        "--builder",
        builder,
    ]
    result = subprocess.run(
        command, capture_output=True, text=True, timeout=1800, cwd=source
    )
    return result.returncode, result.stdout + result.stderr
