"""Files that go with a digest: the trend chart and the CSV, uploaded with the Web API's external
upload flow (`files.getUploadURLExternal`, then `files.completeUploadExternal`) into a DM or the
channel the digest went to."""

from __future__ import annotations

import io
import logging

from slack_sdk import WebClient

from bot.digest_csv import write_digest
from bot.domain.digests import Digest
from bot.i18n import Translate
from handlers.blocks import digests as digest_blocks
from handlers.charts import CHART_FILENAME, build_trend_chart_png
from handlers.errors import new_reference

log = logging.getLogger(__name__)


def upload_chart(
    client: WebClient, channel: str, digest: Digest, _: Translate, thread_ts: str | None = None
) -> None:
    """The trend chart; the digest reads fully without it, so a failure is only logged."""
    try:
        client.files_upload_v2(
            channel=_conversation(client, channel),
            content=build_trend_chart_png(digest.weeks),
            filename=CHART_FILENAME,
            title=_("Trend"),
            alt_txt=_("Trend chart: check-in response rate and goal progress per week"),
            initial_comment=digest_blocks.build_trend_caption(digest, _),
            thread_ts=thread_ts,
        )
    except Exception:  # the digest reads fully without its chart: log it, do not fail the post
        log.exception("could not upload the digest chart to %s (ref %s)", channel, new_reference())


def upload_csv(client: WebClient, user_id: str, digest: Digest, _: Translate) -> None:
    buffer = io.StringIO()
    write_digest(buffer, digest)
    name = (digest.title or "program").replace(" ", "-").lower()
    weeks = f"{digest.weeks[0].week}-{digest.weeks[-1].week}" if digest.weeks else "empty"
    client.files_upload_v2(
        channel=_conversation(client, user_id),
        content=buffer.getvalue(),
        filename=f"digest-{name}-{weeks}.csv",
        title=_("Digest as CSV"),
        initial_comment=_("The digest's numbers as CSV, for a spreadsheet."),
    )


def _conversation(client: WebClient, channel: str) -> str:
    """Files are shared to a conversation id: a user's DM is opened first."""
    if channel.startswith(("U", "W")):
        return client.conversations_open(users=channel)["channel"]["id"]
    return channel
