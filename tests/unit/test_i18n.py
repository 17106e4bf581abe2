"""Every string the code marks for translation has a Korean translation."""

from __future__ import annotations

from pathlib import Path

from babel.messages.extract import extract_from_dir

from bot.i18n import LOCALES_DIR, read_catalog, translator

REPO_ROOT = Path(__file__).resolve().parents[2]


def strings_in_code() -> set[str]:
    found = set()
    for package in ("bot", "handlers"):
        for _file, _line, message, _comments, _context in extract_from_dir(
            REPO_ROOT / package, keywords={"_": None, "N_": None}
        ):
            found.add(message if isinstance(message, str) else message[0])
    return found


def test_every_string_in_the_code_has_a_korean_translation():
    catalog = read_catalog("ko")
    translated = {message.id for message in catalog if message.id and message.string}

    missing = strings_in_code() - translated
    assert not missing, f"add these to a .po file in {LOCALES_DIR / 'ko'}: {sorted(missing)}"


def test_the_catalog_is_not_empty_and_korean_differs_from_english():
    assert len(strings_in_code()) > 10
    assert translator("ko")("Commands:") == "명령어:"
    assert translator("en")("Commands:") == "Commands:"


def test_placeholders_survive_translation():
    for message in read_catalog("ko"):
        if message.id and "{" in message.id:
            for name in _placeholders(message.id):
                assert name in message.string, f"{name} missing from Korean for {message.id!r}"


def _placeholders(text: str) -> set[str]:
    import string

    return {f"{{{field}}}" for _, field, _, _ in string.Formatter().parse(text) if field}


def test_a_message_is_defined_in_one_catalog_file_only():
    from babel.messages.pofile import read_po

    from bot.i18n import catalog_paths

    seen: dict[str, str] = {}
    for path in catalog_paths("ko"):
        with path.open("rb") as po_file:
            for message in read_po(po_file):
                if message.id:
                    assert message.id not in seen, f"{message.id!r} in {seen.get(message.id)} too"
                    seen[message.id] = path.name
