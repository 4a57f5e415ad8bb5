r"""Local Sphinx extension: the {zh} role, for Chinese words and phrases in the text.

    the sources call it {zh}`交叉熵`

renders as <span lang="zh-Hans">交叉熵</span> in HTML (so screen readers and font
selection treat it as Chinese) and as plain text elsewhere, except in LaTeX: there each
run of CJK characters inside it is printed as \coursezh{交叉熵}, a macro of the preamble
in _config.yml (the CJK font, with line breaks allowed between characters), while Latin
letters and digits around the runs stay in the text font.

Chinese that no author can mark, such as the titles of the course sources in the
bibliography (written by sphinxcontrib-bibtex), is marked by a post-transform: every
run of CJK characters in running text that is not already inside a {zh} role becomes
the same node.
"""

import re

from docutils import nodes
from sphinx.transforms.post_transforms import SphinxPostTransform

# CJK ideographs, CJK punctuation and full-width forms.
CJK_RUN = re.compile(r"[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef]+")
SKIP = (nodes.literal_block, nodes.literal, nodes.raw, nodes.math, nodes.math_block)


class zh_text(nodes.inline):
    """Inline Chinese text."""


class zh_glyphs(nodes.inline):
    """A run of CJK characters inside a zh_text node (LaTeX only)."""


def zh_role(name, rawtext, text, lineno, inliner, options=None, content=None):
    return [zh_text(rawtext, text)], []


def wrap_cjk_runs(text, node_class):
    """Replace the Text node `text` by its pieces, each run of CJK characters wrapped in
    a `node_class` node; leave it alone if it has none.
    """
    value, pieces, last = text.astext(), [], 0
    for match in CJK_RUN.finditer(value):
        if match.start() > last:
            pieces.append(nodes.Text(value[last : match.start()]))
        pieces.append(node_class(match.group(), match.group()))
        last = match.end()
    if not pieces:
        return
    if last < len(value):
        pieces.append(nodes.Text(value[last:]))
    text.parent.replace(text, pieces)


class MarkChinese(SphinxPostTransform):
    """Wrap every unmarked run of CJK text in a zh_text node."""

    default_priority = 900  # after sphinxcontrib-bibtex has written the bibliography

    def run(self, **kwargs):
        for text in list(self.document.findall(nodes.Text)):
            if text.parent is None or not CJK_RUN.search(text.astext()):
                continue
            if any(isinstance(a, (zh_text, *SKIP)) for a in ancestors(text)):
                continue
            wrap_cjk_runs(text, zh_text)


class SplitChineseForLatex(SphinxPostTransform):
    """In LaTeX, set only the CJK characters of a zh_text node in the CJK font."""

    default_priority = 901  # after MarkChinese
    builders = ("latex",)

    def run(self, **kwargs):
        for zh in list(self.document.findall(zh_text)):
            for text in list(zh.findall(nodes.Text)):
                wrap_cjk_runs(text, zh_glyphs)


def ancestors(node):
    node = node.parent
    while node is not None:
        yield node
        node = node.parent


def visit_zh_html(self, node):
    self.body.append('<span lang="zh-Hans">')


def depart_zh_html(self, node):
    self.body.append("</span>")


def visit_zh_latex(self, node):
    self.body.append(r"\coursezh{")


def depart_zh_latex(self, node):
    self.body.append("}")


def visit_zh_plain(self, node):
    pass


def depart_zh_plain(self, node):
    pass


def setup(app):
    app.add_role("zh", zh_role)
    app.add_post_transform(MarkChinese)
    app.add_post_transform(SplitChineseForLatex)
    app.add_node(
        zh_text,
        html=(visit_zh_html, depart_zh_html),
        latex=(visit_zh_plain, depart_zh_plain),
        text=(visit_zh_plain, depart_zh_plain),
        man=(visit_zh_plain, depart_zh_plain),
        texinfo=(visit_zh_plain, depart_zh_plain),
    )
    app.add_node(zh_glyphs, latex=(visit_zh_latex, depart_zh_latex))
    return {"parallel_read_safe": True, "parallel_write_safe": True}
