"""Importers: outside data in, as Turtle files a curator owns; each parses its input and calls one builder.

A new importer is a module with ``DESCRIPTION`` and a function registered in
:data:`IMPORTERS`; the CLI's choices follow.
"""

from __future__ import annotations

#: Format name -> (module in this package, function, what it reads).
IMPORTERS = {
    "csv": ("csv", "import_csv", "a CSV in the layout of `jobarch export csv`"),
    "page": ("page", "import_page", "a profile page as text (the reference layout)"),
    "skos": ("skos", "import_skos", "a SKOS classification of occupations"),
    "onet": ("onet", "import_onet", "O*NET's database files, tab-delimited text (a directory)"),
}
