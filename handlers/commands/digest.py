"""`/mentor digest [team] [weeks N] [csv]`: for a lead's team, or (admins) any team or the whole
program. Answered ephemerally within Slack's 3 seconds, with the trend chart in the person's DM;
a digest that takes longer to build arrives as a DM instead. `csv` sends the numbers as a file."""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import Future, wait

from slack_sdk import WebClient

from bot.domain.commands import MentorCommand
from bot.domain.digests import Digest, DigestRequest, parse_digest_command
from bot.domain.errors import UserFacingError
from bot.domain.members import Member
from bot.i18n import Translate
from bot.services import Services
from handlers.blocks import digests as digest_blocks
from handlers.blocks import help as help_blocks
from handlers.commands.answers import Answer, SlashRequest
from handlers.digest_files import upload_chart, upload_csv

ACK_BUDGET_SECONDS = 2.0
"""Slack waits 3 seconds for the answer; building may use this much of it."""


def digest_route(
    cmd: MentorCommand, member: Member, services: Services, _: Translate, req: SlashRequest
) -> Answer:
    request = parse_digest_command(cmd.rest)
    services.digests.team_for(member, request.team)  # refused here, before anything is built
    if request.csv:
        req.follow_ups.submit(_send_csv, services, req.client, member, request, _)
        return _notice(_("I am sending you the digest as a CSV file in a direct message."))
    race = _AckOrDm(lambda digest: _send_dm(req.client, member, digest, _))
    built = req.follow_ups.submit(race.run, lambda: _build(services, member, request))
    if not race.answer_in_time(built):
        return _notice(_("The digest is taking a moment to build; I will send it to you by DM."))
    digest = built.result()
    if isinstance(digest, UserFacingError):
        raise digest
    if digest is None:
        raise RuntimeError("the digest could not be built")  # logged with a ref by the pool
    req.follow_ups.submit(upload_chart, req.client, member.user_id, digest, _)
    return Answer(*digest_blocks.build_digest(digest, _))


class _AckOrDm:
    """Whichever comes first: the ack's deadline (then the digest goes by DM once built) or the
    digest (then it is the answer). Decided under a lock, so it is never both or neither."""

    def __init__(self, send_dm: Callable[[Digest | UserFacingError], None]) -> None:
        self._send_dm = send_dm
        self._lock = threading.Lock()
        self._late = False
        self._built = False

    def run(self, build: Callable[[], Digest | UserFacingError]) -> Digest | UserFacingError:
        result = build()
        with self._lock:
            self._built = True
            late = self._late
        if late:
            self._send_dm(result)
        return result

    def answer_in_time(self, built: Future[Digest | UserFacingError]) -> bool:
        wait([built], timeout=ACK_BUDGET_SECONDS)
        with self._lock:
            self._late = not self._built
            return self._built


def _build(services: Services, member: Member, request: DigestRequest) -> Digest | UserFacingError:
    try:
        return services.digests.for_viewer(member, request.team, request.weeks)
    except UserFacingError as error:  # handed back to the listener, which answers it
        return error


def _send_dm(
    client: WebClient, member: Member, digest: Digest | UserFacingError | None, _: Translate
) -> None:
    if not isinstance(digest, Digest):
        return
    text, blocks = digest_blocks.build_digest(digest, _)
    posted = client.chat_postMessage(channel=member.user_id, text=text, blocks=blocks)
    upload_chart(client, posted["channel"], digest, _, thread_ts=posted["ts"])


def _send_csv(
    services: Services, client: WebClient, member: Member, request: DigestRequest, _: Translate
) -> None:
    digest = services.digests.for_viewer(member, request.team, request.weeks)
    upload_csv(client, member.user_id, digest, _)


def _notice(text: str) -> Answer:
    return Answer(text, help_blocks.build_notice_blocks(text))
