"""Numbered references without unpickling the target page once per reference.

Sphinx 7.4 resolves each `{numref}` by calling `env.get_doctree(page)` to look the
target node up, and `get_doctree` unpickles the whole page every time (upstream:
sphinx-doc/sphinx#12883, open). The course has about 270 numbered references (to
chapters, sections, figures and exercises) into pages of about 200 KB each: the HTML
build from executed notebooks took 26 s, most of it unpickling the same fifteen pages
over and over, and takes 10 s with this extension; the LaTeX build gains as much.

This extension replaces the standard domain by a subclass whose numref resolver is
handed an environment whose `get_doctree` unpickles each page once and then returns
that copy. This is safe because the resolver only reads the copy: it looks a node up
by id and reads its type and ids. Nothing else sees the copies. Pages change only while
Sphinx reads sources, so the copies are made afresh for each write phase: they are
dropped when reading starts, when it ends, and when the build finishes.
"""

from sphinx.domains.std import StandardDomain


class _ReadOnlyDoctrees:
    """The build environment, except that `get_doctree` returns a cached page.

    Only the numref resolver sees this object, and it only reads the page it gets.
    """

    def __init__(self, env, cache):
        self._env = env
        self._cache = cache

    def get_doctree(self, docname):
        if docname not in self._cache:
            self._cache[docname] = self._env.get_doctree(docname)
        return self._cache[docname]

    def __getattr__(self, name):
        return getattr(self._env, name)


class CourseStandardDomain(StandardDomain):
    """Sphinx's standard domain with a numref resolver that reuses unpickled pages."""

    def __init__(self, env):
        super().__init__(env)
        self.doctrees = {}  # page name -> its doctree, read once per write phase

    def _resolve_numref_xref(
        self, env, fromdocname, builder, typ, target, node, contnode
    ):
        shared = _ReadOnlyDoctrees(env, self.doctrees)
        return super()._resolve_numref_xref(
            shared, fromdocname, builder, typ, target, node, contnode
        )


def _forget(app, *args):
    app.env.get_domain("std").doctrees.clear()


def setup(app):
    app.add_domain(CourseStandardDomain, override=True)
    app.connect("env-before-read-docs", _forget)
    app.connect("env-updated", _forget)
    app.connect("build-finished", _forget)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
