"""Local Sphinx extension: the {zh} role, for Chinese words and phrases in the text.

    the sources call it {zh}`交叉熵`

renders as <span lang="zh-Hans">交叉熵</span> in HTML (so screen readers and font
selection treat it as Chinese) and as plain text elsewhere (the LaTeX builder's fonts
handle CJK).
"""

from docutils import nodes


class zh_text(nodes.inline):
    """Inline Chinese text."""


def zh_role(name, rawtext, text, lineno, inliner, options=None, content=None):
    return [zh_text(rawtext, text)], []


def visit_zh_html(self, node):
    self.body.append('<span lang="zh-Hans">')


def depart_zh_html(self, node):
    self.body.append("</span>")


def visit_zh_plain(self, node):
    pass


def depart_zh_plain(self, node):
    pass


def setup(app):
    app.add_role("zh", zh_role)
    app.add_node(
        zh_text,
        html=(visit_zh_html, depart_zh_html),
        latex=(visit_zh_plain, depart_zh_plain),
        text=(visit_zh_plain, depart_zh_plain),
        man=(visit_zh_plain, depart_zh_plain),
        texinfo=(visit_zh_plain, depart_zh_plain),
    )
    return {"parallel_read_safe": True, "parallel_write_safe": True}
