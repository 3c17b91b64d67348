"""Write or extend a translation fragment from a Python dict file: python tools/write_po.py FRAGMENT DICT.py

The dict file defines T = {"English": "Indonesian", ...}. Existing entries of the fragment are kept
unless the dict gives a new translation. Used by developers; the app reads only the .po files.
"""

import runpy
import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po


def main(fragment: str, dict_file: str) -> None:
    path = Path(fragment)
    catalog = Catalog(locale="id", domain="messages")
    if path.exists():
        with path.open("rb") as handle:
            catalog = read_po(handle, locale="id")
    for msgid, msgstr in runpy.run_path(dict_file)["T"].items():
        catalog.add(msgid, msgstr)
    with path.open("wb") as handle:
        write_po(handle, catalog, width=100, omit_header=False, sort_output=True)


if __name__ == "__main__":
    main(*sys.argv[1:3])
