"""Building the book inside the test suite, from the notebooks nbval has just executed
(see ../conftest.py).

When a test run executes every chapter under nbval and also has site or PDF tests, the
builds start in the background the moment the last chapter has passed: conftest.py
calls `start_builds` from the worker that wrote the last executed notebook. Each build
is `jupyter-book build -W -n --keep-going` of a staged copy of the book's sources whose
notebooks are the executed ones and whose `_config.yml` says `execute_notebooks: off`
(everything else is the repository's own files). While the HTML and the PDF build, the
workers go on with the unit tests; the site and PDF tests come last and `built(...)`
waits for their build.

Run without every chapter (`uv run pytest tests/test_site.py`, say), there is nothing to
reuse: `built(...)` builds the repository itself, executing the notebooks, exactly as
`jupyter-book build .` does.
"""

import os
import shutil
import subprocess
import sys
import time
import traceback
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
WAIT_SECONDS = 1800
BUILDERS = ("html", "pdflatex")
TEX = all(
    shutil.which(tool) for tool in ("xelatex", "latexmk", "pdftotext", "pdfimages")
)

# The staged copy holds exactly what the course archive of the site packs, so that the
# archive built here is the one a reader downloads: one list, in _ext/reader_site.py.
sys.path.insert(0, str(ROOT / "_ext"))
from reader_site import ARCHIVE_DIRS, ARCHIVE_FILES  # noqa: E402


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
        command, capture_output=True, text=True, timeout=WAIT_SECONDS, cwd=source
    )
    return result.returncode, result.stdout + result.stderr


def stage(executed, folder):
    """A copy of the book's sources in `folder`, with the executed notebooks (a dict:
    name -> path) and execution switched off.
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
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


# ---- the background builds ----------------------------------------------------------


def builds_dir(executed_dir):
    return Path(executed_dir) / "builds"


def _finish(output, code, log):
    """Write a build's log, then its exit code (renamed into place: a reader of
    `returncode` always finds the log complete).
    """
    output.mkdir(parents=True, exist_ok=True)
    (output / "build.log").write_text(log)
    (output / "returncode.partial").write_text(str(code))
    (output / "returncode.partial").rename(output / "returncode")


_RUNNING = []  # the build processes this process started


def start_builds(executed_dir, names, builders):
    """Start the given builds in the background, once per test run, from the executed
    notebooks `names` in `executed_dir`. Returns at once.
    """
    folder = builds_dir(executed_dir)
    folder.mkdir(exist_ok=True)
    try:  # the first worker to get here starts them; the claim is atomic
        os.close(os.open(folder / "claimed", os.O_CREAT | os.O_EXCL | os.O_WRONLY))
    except FileExistsError:
        return
    executed = {name: Path(executed_dir) / name for name in names}
    for builder in builders:
        output = folder / builder
        try:
            source = stage(executed, folder / f"{builder}-source")
            command = [sys.executable, __file__, str(source), str(output), builder]
            _RUNNING.append(subprocess.Popen(command, cwd=source))
        except Exception:
            _finish(output, 1, f"could not start the build:\n{traceback.format_exc()}")


def wait_for_started_builds():
    """Called when this process's tests are done: its builds may still be serving
    another worker's tests, so they are waited for, not stopped.
    """
    while _RUNNING:
        _RUNNING.pop().wait()


def built(request, builder, tmp_path_factory):
    """The book built with `builder`: (output folder, exit code, log). The output folder
    holds `_build/html` or `_build/latex`.
    """
    from conftest import executed_notebooks_dir, notebooks, notebooks_in_session

    names = notebooks_in_session(request.session)
    if names != [path.name for path in notebooks()]:
        # Not every chapter runs under nbval here: build the repository, executing.
        output = tmp_path_factory.mktemp(builder)
        code, log = build(ROOT, output, builder)
        return output, code, log
    executed_dir = executed_notebooks_dir(request.config)
    output = builds_dir(executed_dir) / builder
    deadline = time.monotonic() + WAIT_SECONDS
    while not (output / "returncode").exists():
        failed = sorted(p.stem for p in executed_dir.glob("*.failed"))
        if failed:
            raise AssertionError(
                f"notebooks failed under nbval, so the book cannot be built: {failed}"
            )
        if time.monotonic() > deadline:
            raise AssertionError(f"the {builder} build did not finish in time")
        time.sleep(0.2)
    code = int((output / "returncode").read_text())
    return output, code, (output / "build.log").read_text()


if __name__ == "__main__":  # one background build: source, output folder, builder
    source, output, builder = sys.argv[1:]
    try:
        code, log = build(Path(source), Path(output), builder)
    except Exception:
        code, log = 1, traceback.format_exc()
    _finish(Path(output), code, log)
