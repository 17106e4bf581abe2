from __future__ import annotations

from bot.domain.commands import SPECS_BY_NAME, SUBCOMMANDS
from bot.i18n import translator
from handlers.blocks.help import (
    build_coming_soon_text,
    build_help_blocks,
    build_help_text,
    build_unknown_command_blocks,
    build_unknown_command_text,
)

EN, KO = translator("en"), translator("ko")


def rendered(blocks) -> str:
    return "\n".join(str(block.to_dict()) for block in blocks)


def test_help_lists_every_subcommand_with_an_example_and_marks_unbuilt_ones():
    blocks = build_help_blocks(EN)
    for block in blocks:
        block.validate_json()
    text = rendered(blocks)
    for spec in SUBCOMMANDS:
        assert spec.example in text
    assert text.count("coming soon") == sum(not spec.available for spec in SUBCOMMANDS)


def test_help_in_korean_reads_korean():
    text = rendered(build_help_blocks(KO))
    assert "사용할 수 있는 명령어" in text and "명령어 목록 보기" in text
    assert "Show this list" not in text


def test_plain_text_twin_names_the_available_commands():
    assert (
        build_help_text(EN)
        == "Commands: /mentor help, /mentor lang ko, /mentor profile, /mentor match, "
        "/mentor checkin, /mentor goal add Ship a RAG demo due 2026-12-31, "
        "/mentor pause until 2026-12-31, /mentor skip, /mentor resume, "
        "/mentor digest weeks 4, /mentor team list, /mentor admin add @minji, /mentor export, "
        "/mentor delete-my-data"
    )


def test_unknown_command_suggests_and_escapes_what_the_user_typed():
    assert build_unknown_command_text("hlep", "help", EN) == (
        "Unknown command `hlep`. Did you mean `/mentor help`?"
    )
    assert "<!channel>" not in build_unknown_command_text("<!channel>", None, EN)
    assert len(build_unknown_command_blocks("x", None, EN)) == 1 + len(build_help_blocks(EN))


def test_coming_soon_names_the_feature():
    text = build_coming_soon_text(SPECS_BY_NAME["export"], EN)
    assert text == "`/mentor export` is coming soon: Get a file with everything stored about you."
