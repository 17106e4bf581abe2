"""Message catalogs (gettext .po files, read with Babel). English is the source language.

Each feature area keeps its own .po file under `locales/<lang>/LC_MESSAGES/`; they are merged and
compiled in memory on first use, so there is no build step and nothing binary in the repository.
"""

from __future__ import annotations

import gettext
from collections.abc import Callable
from functools import cache
from io import BytesIO
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from bot.domain.members import DEFAULT_LANGUAGE, SUPPORTED_LANGUAGES

LOCALES_DIR = Path(__file__).parent / "locales"
DOMAIN = "messages"

Translate = Callable[[str], str]


def catalog_paths(language: str) -> list[Path]:
    return sorted((LOCALES_DIR / language / "LC_MESSAGES").glob("*.po"))


def read_catalog(language: str) -> Catalog:
    """Every .po file of the language, merged into one catalog."""
    merged = Catalog(locale=language, domain=DOMAIN)
    for path in catalog_paths(language):
        with path.open("rb") as po_file:
            for message in read_po(po_file, locale=language):
                if message.id:
                    merged[message.id] = message
    return merged


@cache
def translations(language: str) -> gettext.NullTranslations:
    if language not in SUPPORTED_LANGUAGES or language == DEFAULT_LANGUAGE:
        return gettext.NullTranslations()
    catalog = read_catalog(language)
    compiled = BytesIO()
    write_mo(compiled, catalog)
    compiled.seek(0)
    return gettext.GNUTranslations(compiled)


def translator(language: str) -> Translate:
    """`_ = translator("ko")`; `_("Show this list of commands")` -> the Korean text."""
    return translations(language).gettext
