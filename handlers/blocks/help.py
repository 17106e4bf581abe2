"""Ephemeral answers to `/mentor help`, unknown subcommands and simple notices."""

from __future__ import annotations

from slack_sdk.models.blocks import Block, ContextBlock, MarkdownTextObject, SectionBlock

from bot.domain.commands import SUBCOMMANDS, SubcommandSpec
from bot.i18n import Translate
from handlers.blocks.mrkdwn import escape
from handlers.ids import BlockId


def build_help_blocks(_: Translate) -> list[Block]:
    lines = [_help_line(spec, _) for spec in SUBCOMMANDS]
    return [
        SectionBlock(text=MarkdownTextObject(text=_("*What I can do* (`/mentor <command>`)"))),
        SectionBlock(
            block_id=BlockId.HELP_COMMANDS, text=MarkdownTextObject(text="\n".join(lines))
        ),
        ContextBlock(
            block_id=BlockId.HELP_FOOTER,
            elements=[
                MarkdownTextObject(text=_("Only you can see this. Type `/mentor help` any time."))
            ],
        ),
    ]


def build_help_text(_: Translate) -> str:
    """The plain-text twin of the help blocks, for notifications and screen readers."""
    return _("Commands:") + " " + ", ".join(spec.example for spec in SUBCOMMANDS if spec.available)


def _help_line(spec: SubcommandSpec, _: Translate) -> str:
    line = f"`{spec.example}` – {_(spec.summary)}"
    if spec.available:
        return line
    soon = _("coming soon")
    return f"{line} _({soon})_"


def build_notice_blocks(text: str) -> list[Block]:
    return [SectionBlock(block_id=BlockId.NOTICE, text=MarkdownTextObject(text=text))]


def build_unknown_command_text(word: str, suggestion: str | None, _: Translate) -> str:
    unknown = _("Unknown command `{word}`.").format(word=escape(word[:40]))
    if suggestion:
        unknown += " " + _("Did you mean `/mentor {suggestion}`?").format(suggestion=suggestion)
    return unknown


def build_unknown_command_blocks(word: str, suggestion: str | None, _: Translate) -> list[Block]:
    return [
        *build_notice_blocks(build_unknown_command_text(word, suggestion, _)),
        *build_help_blocks(_),
    ]


def build_coming_soon_text(spec: SubcommandSpec, _: Translate) -> str:
    return _("`/mentor {name}` is coming soon: {summary}.").format(
        name=spec.name.value, summary=_(spec.summary)
    )
