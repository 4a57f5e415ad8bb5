"""Local Sphinx extension: a strict build whose pages need no network.

1. Every warning fails the build, exactly as `-W --keep-going` would (all warnings are
   reported, then the exit code is 1), so the README's plain `jupyter-book build .` is
   already strict.
2. No page loads the same script twice. With Sphinx 7.4, the inline scripts that
   sphinx-thebe and sphinx-togglebutton register once the builder exists end up twice in
   every page (once with filename None, once with ''), and the second `const
   THEBE_JS_URL = ...` is a JavaScript SyntaxError.
3. The vendored MathJax 3.2.2 (`_ext/vendor/mathjax`) is copied to `_static/mathjax/` in
   the output, where `mathjax_path` in `_config.yml` points. It is not placed in the
   source `_static/`, because Jupyter Book 1 would then add every .js file found there
   to every page.
4. The notebook kernels that execute the chapters start with a clean, temporary IPython
   profile (`kernel_profile`) whose only settings are `IPKernelApp.log_level = "ERROR"`
   and no input history. ipykernel >= 7.4
   otherwise prints a "[IPKernelApp] WARNING | Kernel is running over TCP without
   encryption" line per notebook: true (the kernel listens on 127.0.0.1 only, for the
   few seconds of the build) but noise in a build log that must show no warnings. A
   user's own IPYTHONDIR, if set, is respected.
"""

import os
import shutil
import tempfile
from pathlib import Path

MATHJAX = Path(__file__).parent / "vendor" / "mathjax"


def copy_mathjax(app, exception):
    if exception is None and app.builder.format == "html":
        shutil.copytree(
            MATHJAX, Path(app.outdir) / "_static" / "mathjax", dirs_exist_ok=True
        )


def drop_duplicate_scripts(app, pagename, templatename, context, doctree):
    scripts = context.get("script_files")
    if scripts:
        unique = {}
        for script in scripts:
            key = (
                script.filename or "",
                script.priority,
                tuple(sorted(script.attributes.items())),
            )
            unique.setdefault(key, script)
        context["script_files"] = list(unique.values())


def kernel_profile():
    """A new temporary IPython directory for the course's kernels; returns its path.

    Its default profile sets only two things: the kernel logs errors only, and keeps no
    input history (no history.sqlite shared by kernels that start at the same moment,
    as the two test workers' first chapters do). The root conftest.py uses it too.
    """
    ipython_dir = Path(tempfile.mkdtemp(prefix="course-ipython-"))
    profile = ipython_dir / "profile_default"
    profile.mkdir()
    (profile / "ipython_kernel_config.py").write_text(
        'c.IPKernelApp.log_level = "ERROR"\nc.HistoryManager.enabled = False\n'
    )
    return ipython_dir


def quiet_kernel_profile(app, config):
    if "IPYTHONDIR" in os.environ:
        return
    ipython_dir = kernel_profile()
    # Inherited by every kernel the build starts.
    os.environ["IPYTHONDIR"] = str(ipython_dir)
    app.connect(
        "build-finished",
        lambda app, exception: shutil.rmtree(ipython_dir, ignore_errors=True),
    )


def setup(app):
    app.connect("config-inited", quiet_kernel_profile)
    app.keep_going = (
        True  # Sphinx 7.4: with keep_going, any warning sets the exit status to 1
    )
    app.warningiserror = False  # report every warning instead of stopping at the first
    app.connect("html-page-context", drop_duplicate_scripts)
    app.connect("build-finished", copy_mathjax)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
