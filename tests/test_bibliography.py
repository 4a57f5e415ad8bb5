"""The bibliography: one entry per work, one label per entry, and a link wherever one is
known.

Labels are what the text cites (author-year, `_ext/course_bibstyle.py`): two entries
with the same label would make "(Bridle, 1990)" point to two works. Every entry carries
a `url` or a `doi`; the five course sources, whose addresses are not known, say so in
`howpublished` instead.
"""

import re

from pybtex.database import Entry, Person, parse_file

from conftest import ROOT
# The Sphinx extension that makes the labels (conftest.py puts _ext/ on the path).
from course_bibstyle import author_label


def entries():
    return parse_file(str(ROOT / "chapters" / "references.bib")).entries


def duplicate_labels(bib_entries):
    seen, clashes = {}, []
    for key, entry in bib_entries.items():
        label = f"{author_label(entry)} {entry.fields['year']}"
        if label in seen:
            clashes.append((seen[label], key, label))
        seen[label] = key
    return clashes


def test_labels_are_unique():
    assert duplicate_labels(entries()) == []


def test_labels_are_plain_text():
    """A label is printed as it is: no TeX markup may reach it (it once read
    "Fighting\\_1997 n.d." in the bibliography).
    """
    labels = [author_label(entry) for entry in entries().values()]
    assert "Fighting_1997" in labels
    assert not [label for label in labels if set(label) & set("\\{}$")]


def test_the_label_check_catches_a_clash():
    same = {
        key: Entry("misc", fields={"year": "1990"}, persons={"author": [Person(name)]})
        for key, name in (("a", "Bridle, John S."), ("b", "Bridle, J."))
    }
    assert duplicate_labels(same) == [("a", "b", "Bridle 1990")]


def test_titles_are_unique():
    titles = [re.sub(r"\W", "", e.fields["title"].lower()) for e in entries().values()]
    assert len(titles) == len(set(titles)), "the same work is listed twice"


def test_every_entry_links_or_says_why_not():
    for key, entry in entries().items():
        fields = {name.lower(): value for name, value in entry.fields.items()}
        if key.startswith("seed"):
            assert "course source" in fields.get("howpublished", ""), key
            assert "url" in fields or "address not known" in fields["howpublished"], key
        else:
            assert "url" in fields or "doi" in fields, f"{key} has neither url nor doi"
