"""Every id Slack sends back to us: slash commands, action ids, callback ids, block ids."""

from __future__ import annotations

from enum import StrEnum


class SlashCommand(StrEnum):
    MENTOR = "/mentor"


class BlockId(StrEnum):
    HELP_COMMANDS = "help-commands"
    HELP_FOOTER = "help-footer"
    NOTICE = "notice"
