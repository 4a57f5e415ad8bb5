"""Local Sphinx extension: one citation style, author-year in the text and in the list.

The text cites `{cite:p}` as "(Bridle, 1990a)" (`bibtex_reference_style =
"author_year"`); pybtex's "plain" style would number the list [1]-[19]. This registers
the pybtex formatting style `course`: the entries of the bibliography are sorted by
author, year and title, and labelled exactly as the text cites them ("Bridle 1990a",
"Kullback and Leibler 1951", "Goodfellow et al. 2016"). Two works by the same author in
the same year carry the year suffixes of `references.bib` (``year = {1990a}``), so every
label is unique; `tests/test_bibliography.py` checks that.
"""

from pybtex.backends.plaintext import Backend as PlainText
from pybtex.plugin import register_plugin
from pybtex.richtext import Text
from pybtex.style.formatting.unsrt import Style as UnsrtStyle
from pybtex.style.labels import BaseLabelStyle

PLAIN_TEXT = PlainText()


def author_label(entry):
    persons = entry.persons.get("author") or entry.persons.get("editor") or []
    names = [
        " ".join(person.last_names) or " ".join(person.first_names)
        for person in persons
    ]
    # As printed: TeX braces and escapes decoded ("{Fighting\\_1997}": Fighting_1997).
    # (render_as("text") would look the backend up among all installed packages' entry
    # points on every call: 10 ms per name.)
    names = [Text.from_latex(name).render(PLAIN_TEXT) for name in names]
    if not names:
        return "Anonymous"
    if len(names) == 1:
        return names[0]
    if len(names) == 2:
        return f"{names[0]} and {names[1]}"
    return f"{names[0]} et al."


class AuthorYearLabels(BaseLabelStyle):
    def format_labels(self, sorted_entries):
        for entry in sorted_entries:
            yield f"{author_label(entry)} {entry.fields.get('year', 'n.d.')}"


class CourseStyle(UnsrtStyle):
    default_label_style = AuthorYearLabels
    default_sorting_style = "author_year_title"


def setup(app):
    register_plugin("pybtex.style.labels", "course_author_year", AuthorYearLabels)
    register_plugin("pybtex.style.formatting", "course", CourseStyle)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
