"""Message catalogs (gettext .po files, read with Babel). English is the source language.

The .po files are compiled in memory on first use, so there is no build step and nothing binary
in the repository.
"""

from __future__ import annotations

import gettext
from collections.abc import Callable
from functools import cache
from io import BytesIO
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from bot.domain.members import DEFAULT_LANGUAGE, SUPPORTED_LANGUAGES

LOCALES_DIR = Path(__file__).parent / "locales"
DOMAIN = "messages"

Translate = Callable[[str], str]


def catalog_path(language: str) -> Path:
    return LOCALES_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.po"


@cache
def translations(language: str) -> gettext.NullTranslations:
    if language not in SUPPORTED_LANGUAGES or language == DEFAULT_LANGUAGE:
        return gettext.NullTranslations()
    with catalog_path(language).open("rb") as po_file:
        catalog = read_po(po_file, locale=language)
    compiled = BytesIO()
    write_mo(compiled, catalog)
    compiled.seek(0)
    return gettext.GNUTranslations(compiled)


def translator(language: str) -> Translate:
    """`_ = translator("ko")`; `_("Show this list of commands")` -> the Korean text."""
    return translations(language).gettext
