"""The answers to `/mentor export` and `/mentor delete-my-data`, and its confirmation."""

from __future__ import annotations

from slack_sdk.models.blocks import ActionsBlock, ButtonElement, MarkdownTextObject, SectionBlock

from bot.i18n import Translate
from handlers.blocks.message import Message
from handlers.ids import PrivacyAction, PrivacyBlock


def build_delete_confirmation(_: Translate) -> Message:
    text = _(
        "This deletes everything I store about you: your profile, check-ins and their answers, "
        "goals, comments, team memberships and matches. Your matches end, and the other side "
        "gets the usual short notice. This cannot be undone."
    )
    return Message(
        text,
        [
            SectionBlock(block_id=PrivacyBlock.DELETE_WARNING, text=MarkdownTextObject(text=text)),
            ActionsBlock(
                block_id=PrivacyBlock.DELETE_ACTIONS,
                elements=[
                    ButtonElement(
                        text=_("Delete everything"),
                        action_id=PrivacyAction.DELETE_CONFIRM,
                        value="delete",
                        style="danger",
                    ),
                    ButtonElement(
                        text=_("Keep my data"), action_id=PrivacyAction.DELETE_CANCEL, value="keep"
                    ),
                ],
            ),
        ],
    )


def deleted_text(rows: int, _: Translate) -> str:
    return _(
        "Done: everything I stored about you is deleted ({rows} records). If you use `/mentor` "
        "again, you start fresh."
    ).format(rows=rows)


def kept_text(_: Translate) -> str:
    return _("Nothing was deleted.")


def export_sent_text(_: Translate) -> str:
    return _("I am sending you a file with everything I store about you, in a direct message.")


def export_comment(_: Translate) -> str:
    return _("Everything I store about you, as JSON. `/mentor delete-my-data` erases it.")
