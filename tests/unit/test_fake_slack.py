"""FakeSlack, exercised through a real slack_sdk WebClient over HTTP."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from typing import Any

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry import (
    FixedValueRetryIntervalCalculator,
    HttpRequest,
    HttpResponse,
    RateLimitErrorRetryHandler,
    RetryState,
)
from slack_sdk.http_retry.builtin_handlers import ServerErrorRetryHandler

from tests.support.fake_slack import FakeSlack
from tests.support.spec import SPEC_DIR, read_json

TOKEN = "xoxb-test"
EVENT_TYPE = "mentor_bot_delivery"


def section(text: str) -> dict[str, Any]:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text}}


def modal(blocks: list[dict[str, Any]]) -> dict[str, Any]:
    title = {"type": "plain_text", "text": "Check-in"}
    return {"type": "modal", "callback_id": "checkin", "title": title, "blocks": blocks}


def slack_error(excinfo: pytest.ExceptionInfo[SlackApiError]) -> str:
    return excinfo.value.response["error"]


def delivery_metadata(delivery_id: int, event_type: str = EVENT_TYPE) -> dict[str, Any]:
    return {"event_type": event_type, "event_payload": {"delivery_id": delivery_id}}


def texts(answer: Any) -> list[str]:
    return [m["text"] for m in answer["messages"]]


class ExactRetryAfter(RateLimitErrorRetryHandler):
    """Retries a 429 after exactly Retry-After seconds - the SDK's handler adds up to 1 s of
    jitter - so the tightest client that still obeys."""

    def prepare_for_next_attempt(
        self,
        *,
        state: RetryState,
        request: HttpRequest,
        response: HttpResponse | None = None,
        error: Exception | None = None,
    ) -> None:
        assert response is not None
        [seconds] = next(v for k, v in response.headers.items() if k.lower() == "retry-after")
        state.next_attempt_requested = True
        time.sleep(int(seconds))
        state.increment_current_attempt()


def retry_after(excinfo: pytest.ExceptionInfo[SlackApiError]) -> int:
    assert excinfo.value.response.status_code == 429
    assert slack_error(excinfo) == "ratelimited"
    return int(excinfo.value.response.headers["Retry-After"])


@pytest.fixture
def fake() -> Iterator[FakeSlack]:
    with FakeSlack() as server:
        yield server


@pytest.fixture
def client(fake: FakeSlack) -> WebClient:
    return WebClient(token=TOKEN, base_url=fake.url)


# -- validation ------------------------------------------------------------------------------


def test_unknown_method_is_rejected_like_slack(fake: FakeSlack, client: WebClient) -> None:
    with pytest.raises(SlackApiError) as excinfo:
        client.api_call("chat.postMessages", json={"channel": "C1", "text": "hi"})

    assert slack_error(excinfo) == "unknown_method"
    assert [(c.method, c.status) for c in fake.calls] == [("chat.postMessages", 200)]


def test_missing_token_is_not_authed(fake: FakeSlack) -> None:
    with pytest.raises(SlackApiError) as excinfo:
        WebClient(base_url=fake.url).auth_test()

    assert slack_error(excinfo) == "not_authed"


def test_post_message_without_channel_is_invalid_arguments(client: WebClient) -> None:
    with pytest.raises(SlackApiError) as excinfo:
        client.api_call("chat.postMessage", json={"text": "hello"})

    assert slack_error(excinfo) == "invalid_arguments"
    assert excinfo.value.response["response_metadata"]["messages"] == [
        "[ERROR] missing required field: channel"
    ]


def test_post_message_without_any_content_is_refused(client: WebClient) -> None:
    with pytest.raises(SlackApiError) as excinfo:
        client.api_call("chat.postMessage", json={"channel": "C1"})

    assert slack_error(excinfo) == "no_text"


def test_views_open_needs_trigger_id_or_interactivity_pointer(client: WebClient) -> None:
    with pytest.raises(SlackApiError) as excinfo:
        client.views_open(view=modal([section("hi")]))

    assert slack_error(excinfo) == "invalid_arguments"
    assert "trigger_id" in excinfo.value.response["response_metadata"]["messages"][0]


def test_more_than_50_blocks_is_invalid_blocks(fake: FakeSlack, client: WebClient) -> None:
    with pytest.raises(SlackApiError) as excinfo:
        client.chat_postMessage(channel="C1", text="t", blocks=[section("x")] * 51)

    assert slack_error(excinfo) == "invalid_blocks"
    assert fake.messages == []


def test_exactly_50_blocks_is_accepted(client: WebClient) -> None:
    assert client.chat_postMessage(channel="C1", text="t", blocks=[section("x")] * 50)["ok"]


@pytest.mark.parametrize(
    "block",
    [
        {"type": "no_such_block"},
        {"type": "section"},
        section("x" * 3001),
        {
            "type": "actions",
            "elements": [
                {
                    "type": "button",
                    "action_id": "a",
                    "text": {"type": "plain_text", "text": "x" * 76},
                }
            ],
        },
    ],
    ids=["unknown-type", "section-without-text", "section-text-too-long", "nested-button-text"],
)
def test_malformed_block_is_invalid_blocks(client: WebClient, block: dict[str, Any]) -> None:
    with pytest.raises(SlackApiError) as excinfo:
        client.chat_postMessage(channel="C1", text="t", blocks=[section("ok"), block])

    assert slack_error(excinfo) == "invalid_blocks"
    assert "[json-pointer:/blocks/1]" in excinfo.value.response["response_metadata"]["messages"][0]


def test_view_with_too_long_title_is_rejected(client: WebClient) -> None:
    view = modal([section("hi")])
    view["title"]["text"] = "x" * 25

    with pytest.raises(SlackApiError) as excinfo:
        client.views_open(trigger_id="1.2.3", view=view)

    assert slack_error(excinfo) == "invalid_arguments"


def test_view_with_101_blocks_is_rejected(client: WebClient) -> None:
    with pytest.raises(SlackApiError) as excinfo:
        client.views_open(trigger_id="1.2.3", view=modal([section("x")] * 101))

    assert slack_error(excinfo) == "invalid_arguments"


def test_text_over_40000_chars_is_msg_too_long(client: WebClient) -> None:
    with pytest.raises(SlackApiError) as excinfo:
        client.chat_postMessage(channel="C1", text="x" * 40_001)

    assert slack_error(excinfo) == "msg_too_long"


def test_documented_but_unmodelled_method_is_not_ok(client: WebClient) -> None:
    with pytest.raises(SlackApiError) as excinfo:
        client.conversations_members(channel="C1")

    assert slack_error(excinfo) == "fake_slack_not_implemented"


def test_stub_answers_an_unmodelled_method(fake: FakeSlack, client: WebClient) -> None:
    fake.stub("conversations.members", {"members": ["U1"], "response_metadata": {}})

    assert client.conversations_members(channel="C1")["members"] == ["U1"]


# -- realistic behaviour ---------------------------------------------------------------------


@pytest.mark.parametrize("encoding", ["json", "form"])
def test_good_message_is_recorded_with_decoded_blocks(
    fake: FakeSlack, client: WebClient, encoding: str
) -> None:
    blocks = [section("Welcome, *minji*!")]
    if encoding == "json":
        client.chat_postMessage(channel="C1", text="Welcome", blocks=blocks)
    else:
        fields = {"channel": "C1", "text": "Welcome", "blocks": json.dumps(blocks)}
        client.api_call("chat.postMessage", params=fields)

    [call] = fake.wait_for("chat.postMessage")
    assert call.args["blocks"] == blocks
    assert call.headers["Authorization"] == f"Bearer {TOKEN}"
    assert call.response["message"]["blocks"] == blocks
    assert call.response["message"]["bot_id"] == fake.bot_id
    [message] = fake.messages_to("C1")
    assert (message["ts"], message["text"], message["blocks"]) == (
        call.response["ts"],
        "Welcome",
        blocks,
    )


def test_message_ts_are_unique_and_increasing(client: WebClient) -> None:
    stamps = [client.chat_postMessage(channel="C1", text=str(i))["ts"] for i in range(3)]

    assert stamps == sorted(stamps, key=float)
    assert len(set(stamps)) == 3


def test_post_to_user_id_lands_in_their_dm(fake: FakeSlack, client: WebClient) -> None:
    posted = client.chat_postMessage(channel="U222", text="Your mentor is here")
    opened = client.conversations_open(users="U222")

    assert posted["channel"].startswith("D")
    assert opened["channel"]["id"] == posted["channel"] == fake.dm_channel("U222")
    assert [m["text"] for m in fake.messages_to("U222")] == ["Your mentor is here"]
    assert fake.messages_to("U333") == []


def test_ephemeral_message_is_seen_only_by_its_user(fake: FakeSlack, client: WebClient) -> None:
    answer = client.chat_postEphemeral(channel="C1", user="U222", text="only you")

    [message] = fake.messages_to("U222")
    assert message["ts"] == answer["message_ts"]
    assert message["ephemeral"] is True
    assert fake.messages_to("U333") == []


def test_update_and_delete_change_what_users_see(fake: FakeSlack, client: WebClient) -> None:
    ts = client.chat_postMessage(channel="C1", text="draft")["ts"]

    assert client.chat_update(channel="C1", ts=ts, text="final")["text"] == "final"
    assert [m["text"] for m in fake.messages_to("C1")] == ["final"]
    client.chat_delete(channel="C1", ts=ts)
    assert fake.messages_to("C1") == []
    with pytest.raises(SlackApiError) as excinfo:
        client.chat_delete(channel="C1", ts=ts)
    assert slack_error(excinfo) == "message_not_found"


def test_users_info_returns_locale_only_when_asked(fake: FakeSlack, client: WebClient) -> None:
    fake.add_user("U222", name="minji", real_name="Kim Minji")

    with_locale = client.users_info(user="U222", include_locale=True)["user"]
    without_locale = client.users_info(user="U222")["user"]

    assert (with_locale["locale"], with_locale["tz"], with_locale["tz_offset"]) == (
        "ko-KR",
        "Asia/Seoul",
        32400,
    )
    assert "locale" not in without_locale
    assert without_locale["profile"]["real_name"] == "Kim Minji"


def test_unknown_user_is_user_not_found(client: WebClient) -> None:
    with pytest.raises(SlackApiError) as excinfo:
        client.users_info(user="U404")

    assert slack_error(excinfo) == "user_not_found"


def test_users_list_pages_with_cursor(fake: FakeSlack, client: WebClient) -> None:
    for user_id in ("U1", "U2", "U3"):
        fake.add_user(user_id)

    first = client.users_list(limit=2)
    second = client.users_list(limit=2, cursor=first["response_metadata"]["next_cursor"])

    ids = [m["id"] for m in first["members"] + second["members"]]
    assert ids == [fake.bot_user_id, "U1", "U2", "U3"]
    assert second["response_metadata"]["next_cursor"] == ""


def test_views_open_accepts_a_block_kit_builder_modal(fake: FakeSlack, client: WebClient) -> None:
    view = read_json(SPEC_DIR / "python-slack-sdk/tests/slack_sdk_fixture/view_modal_001.json")

    opened = client.views_open(trigger_id="1.2.3", view=view)["view"]

    assert opened["id"].startswith("V")
    assert opened["blocks"] == view["blocks"]
    assert opened["hash"]
    assert fake.views[opened["id"]]["title"] == view["title"]


def test_views_update_checks_hash(client: WebClient) -> None:
    opened = client.views_open(trigger_id="1.2.3", view=modal([section("one")]))["view"]

    updated = client.views_update(
        view_id=opened["id"], hash=opened["hash"], view=modal([section("two")])
    )["view"]

    assert updated["id"] == opened["id"]
    with pytest.raises(SlackApiError) as excinfo:
        client.views_update(view_id=opened["id"], hash=opened["hash"], view=modal([section("3")]))
    assert slack_error(excinfo) == "hash_conflict"


def test_views_publish_sets_the_home_tab(fake: FakeSlack, client: WebClient) -> None:
    home = {"type": "home", "blocks": [section("Your mentoring")]}

    client.views_publish(user_id="U222", view=home)

    tab = fake.home_tab("U222")
    assert tab is not None
    assert tab["blocks"] == home["blocks"]


def test_files_upload_v2_round_trip(fake: FakeSlack, client: WebClient) -> None:
    answer = client.files_upload_v2(
        channel="C1", content="week 1 notes", filename="notes.txt", initial_comment="notes"
    )

    [upload] = fake.uploads.values()
    assert upload["data"] == b"week 1 notes"
    assert answer["file"]["id"] == upload["id"]
    [message] = fake.messages_to("C1")
    assert (message["text"], message["files"]) == ("notes", [upload["id"]])


# -- fault injection -------------------------------------------------------------------------


def test_rate_limit_answers_429_with_retry_after(fake: FakeSlack, client: WebClient) -> None:
    fake.fail_next("chat.postMessage", status=429, retry_after=7)

    with pytest.raises(SlackApiError) as excinfo:
        client.chat_postMessage(channel="C1", text="hi")

    assert excinfo.value.response.status_code == 429
    assert excinfo.value.response.headers["Retry-After"] == "7"
    assert slack_error(excinfo) == "ratelimited"


def test_rate_limit_is_retried_after_retry_after(fake: FakeSlack) -> None:
    client = WebClient(
        token=TOKEN, base_url=fake.url, retry_handlers=[RateLimitErrorRetryHandler(1)]
    )
    fake.fail_next("chat.postMessage", status=429, retry_after=1)

    assert client.chat_postMessage(channel="C1", text="hi")["ok"]

    first, second = fake.calls_to("chat.postMessage")
    assert (first.status, first.error) == (429, "ratelimited")
    assert (second.status, second.ok) == (200, True)
    assert second.at - first.at >= 0.95
    assert len(fake.messages) == 1


def test_server_error_then_success_is_retried(fake: FakeSlack) -> None:
    handler = ServerErrorRetryHandler(1, FixedValueRetryIntervalCalculator(0.05))
    client = WebClient(token=TOKEN, base_url=fake.url, retry_handlers=[handler])
    fake.fail_next("chat.postMessage", status=500)

    assert client.chat_postMessage(channel="C1", text="hi")["ok"]

    assert [(c.status, c.error) for c in fake.calls_to("chat.postMessage")] == [
        (500, "fatal_error"),
        (200, None),
    ]


def test_ok_false_fault_applies_fifo_then_stops(fake: FakeSlack, client: WebClient) -> None:
    fake.fail_next("chat.postMessage", error="channel_not_found", times=2)

    for _ in range(2):
        with pytest.raises(SlackApiError) as excinfo:
            client.chat_postMessage(channel="C1", text="hi")
        assert slack_error(excinfo) == "channel_not_found"
    assert client.chat_postMessage(channel="C1", text="hi")["ok"]


@pytest.mark.parametrize("side_effect", [True, False])
def test_delay_times_out_the_client(fake: FakeSlack, side_effect: bool) -> None:
    client = WebClient(token=TOKEN, base_url=fake.url, timeout=0.5)
    fake.fail_next("chat.postMessage", delay=3.0, record_side_effect=side_effect)

    with pytest.raises(TimeoutError):
        client.chat_postMessage(channel="C1", text="did it post?")

    assert [m["text"] for m in fake.messages_to("C1")] == (["did it post?"] if side_effect else [])


def test_wait_for_gives_up_and_lists_calls_seen(fake: FakeSlack, client: WebClient) -> None:
    client.auth_test()

    with pytest.raises(AssertionError, match=r"chat\.postMessage(.|\n)*auth\.test -> 200 ok"):
        fake.wait_for("chat.postMessage", timeout=0.2)


def test_reset_forgets_calls_faults_and_messages(fake: FakeSlack, client: WebClient) -> None:
    client.chat_postMessage(channel="C1", text="hi")
    fake.fail_next("chat.postMessage", error="channel_not_found")

    fake.reset()

    assert (fake.calls, fake.messages) == ([], [])
    assert client.chat_postMessage(channel="C1", text="hi")["ok"]


# -- message metadata and conversations.history ---------------------------------------------


def test_history_returns_dm_posts_newest_first_with_metadata_only_when_asked(
    fake: FakeSlack, client: WebClient
) -> None:
    posted = [
        client.chat_postMessage(channel="U222", text=f"m{i}", metadata=delivery_metadata(i))
        for i in range(3)
    ]
    dm = client.conversations_open(users="U222")["channel"]["id"]

    plain = client.conversations_history(channel=dm)
    full = client.conversations_history(channel=dm, include_all_metadata=True)
    as_string = client.api_call(
        "conversations.history",
        http_verb="GET",
        params={"channel": dm, "include_all_metadata": "true"},
    )

    assert {p["channel"] for p in posted} == {dm}
    assert texts(plain) == ["m2", "m1", "m0"]
    assert [m["ts"] for m in plain["messages"]] == [p["ts"] for p in reversed(posted)]
    assert all("metadata" not in m for m in plain["messages"])
    newest = plain["messages"][0]
    assert (newest["type"], newest["user"], newest["bot_id"]) == (
        "message",
        fake.bot_user_id,
        fake.bot_id,
    )
    assert (plain["has_more"], plain["response_metadata"]["next_cursor"]) == (False, "")
    expected = [delivery_metadata(i) for i in (2, 1, 0)]
    assert [m["metadata"] for m in full["messages"]] == expected
    assert [m["metadata"] for m in as_string["messages"]] == expected


def test_history_bounds_are_exclusive_unless_inclusive(client: WebClient) -> None:
    ts = [client.chat_postMessage(channel="C1", text=str(i))["ts"] for i in range(3)]

    def history(**bounds: Any) -> list[str]:
        return texts(client.conversations_history(channel="C1", **bounds))

    assert history(oldest=ts[0]) == ["2", "1"]
    assert history(oldest=ts[0], inclusive=True) == ["2", "1", "0"]
    assert history(latest=ts[2]) == ["1", "0"]
    assert history(oldest=ts[0], latest=ts[2]) == ["1"]
    assert history(oldest=str(int(time.time()) - 60)) == ["2", "1", "0"]  # real Unix times
    assert history(oldest=str(int(time.time()) + 60)) == []


def test_timestamps_follow_the_wall_clock() -> None:
    with FakeSlack(wall_clock=lambda: 1_800_000_000.25) as fake:
        client = WebClient(token=TOKEN, base_url=fake.url)
        stamps = [client.chat_postMessage(channel="C1", text="hi")["ts"] for _ in range(2)]

    assert stamps == ["1800000000.250000", "1800000000.250001"]


def test_history_pages_with_limit_and_cursor(client: WebClient) -> None:
    for i in range(5):
        client.chat_postMessage(channel="U222", text=str(i))
    dm = client.conversations_open(users="U222")["channel"]["id"]

    pages, cursor = [], None
    while True:
        answer = client.conversations_history(channel=dm, limit=2, cursor=cursor)
        pages.append((texts(answer), answer["has_more"]))
        cursor = answer["response_metadata"]["next_cursor"]
        if not cursor:
            break

    assert pages == [(["4", "3"], True), (["2", "1"], True), (["0"], False)]
    with pytest.raises(SlackApiError) as excinfo:
        client.conversations_history(channel=dm, cursor="bm90LWEtY3Vyc29y")
    assert slack_error(excinfo) == "invalid_cursor"


def test_side_effect_of_a_failed_post_is_in_history(fake: FakeSlack, client: WebClient) -> None:
    fake.fail_next("chat.postMessage", status=500, record_side_effect=True)

    with pytest.raises(SlackApiError) as excinfo:
        client.chat_postMessage(channel="U222", text="did it post?", metadata=delivery_metadata(7))

    assert excinfo.value.response.status_code == 500
    dm = client.conversations_open(users="U222")["channel"]["id"]
    [message] = client.conversations_history(channel=dm, include_all_metadata=True)["messages"]
    assert (message["text"], message["metadata"]) == ("did it post?", delivery_metadata(7))


@pytest.mark.parametrize("channel", ["U222", "D404"])
def test_history_of_a_user_id_or_unknown_dm_is_channel_not_found(
    client: WebClient, channel: str
) -> None:
    client.chat_postMessage(channel="U222", text="hi")

    with pytest.raises(SlackApiError) as excinfo:
        client.conversations_history(channel=channel)

    assert slack_error(excinfo) == "channel_not_found"


def test_history_leaves_out_deleted_ephemeral_and_thread_replies(client: WebClient) -> None:
    first = client.chat_postMessage(channel="C1", text="first")["ts"]
    second = client.chat_postMessage(channel="C1", text="second")["ts"]
    client.chat_postMessage(channel="C1", text="reply", thread_ts=first)
    client.chat_postEphemeral(channel="C1", user="U222", text="only you")

    client.chat_delete(channel="C1", ts=second)

    assert texts(client.conversations_history(channel="C1")) == ["first"]


@pytest.mark.parametrize(
    ("metadata", "error"),
    [
        ({"event_type": EVENT_TYPE}, "invalid_metadata_schema"),
        ({"event_payload": {"delivery_id": 1}}, "invalid_metadata_schema"),
        ("not json", "invalid_metadata_format"),
    ],
    ids=["no-payload", "no-event-type", "not-json"],
)
def test_malformed_metadata_is_refused(
    fake: FakeSlack, client: WebClient, metadata: Any, error: str
) -> None:
    fields = {"channel": "C1", "text": "hi", "metadata": metadata}
    if isinstance(metadata, dict):
        fields["metadata"] = json.dumps(metadata)

    with pytest.raises(SlackApiError) as excinfo:
        client.api_call("chat.postMessage", params=fields)

    assert slack_error(excinfo) == error
    assert fake.messages == []


def test_posts_with_metadata_groups_posts_by_delivery_id(
    fake: FakeSlack, client: WebClient
) -> None:
    first = client.chat_postMessage(channel="U222", text="a", metadata=delivery_metadata(1))
    client.chat_postMessage(channel="U222", text="a again", metadata=delivery_metadata(1))
    client.chat_postMessage(channel="U333", text="b", metadata=delivery_metadata(2))
    client.chat_postMessage(channel="U333", text="other", metadata=delivery_metadata(3, "other"))
    client.chat_postMessage(channel="U333", text="plain")

    groups = fake.posts_with_metadata(EVENT_TYPE)

    assert {key: [m["text"] for m in group] for key, group in groups.items()} == {
        "1": ["a", "a again"],
        "2": ["b"],
    }
    client.chat_delete(channel=first["channel"], ts=first["ts"])
    assert [m["text"] for m in fake.posts_with_metadata(EVENT_TYPE)["1"]] == ["a again"]


# -- rate-limit enforcement ------------------------------------------------------------------


def test_second_post_to_a_dm_within_a_second_is_429(fake: FakeSlack, client: WebClient) -> None:
    fake.enforce_rate_limits()
    dm = client.chat_postMessage(channel="U222", text="first")["channel"]

    with pytest.raises(SlackApiError) as excinfo:
        client.chat_postMessage(channel=dm, text="second")

    assert retry_after(excinfo) >= 1
    assert [m["text"] for m in fake.messages_to("U222")] == ["first"]
    assert [c.status for c in fake.calls_to("chat.postMessage")] == [200, 429]
    assert client.chat_postMessage(channel="U333", text="another channel")["ok"]
    report = fake.rate_limit_report()
    assert (report.accepted, report.rejected_429, report.calls_during_retry_after) == (2, 1, 0)


def test_post_over_the_workspace_budget_is_429(fake: FakeSlack, client: WebClient) -> None:
    fake.enforce_rate_limits(per_channel_per_second=None, per_workspace_per_minute=5)
    for i in range(5):
        client.chat_postMessage(channel=f"U{i}", text="hi")

    with pytest.raises(SlackApiError) as excinfo:
        client.chat_postMessage(channel="U5", text="hi")

    assert 58 <= retry_after(excinfo) <= 60
    assert fake.messages_to("U5") == []
    report = fake.rate_limit_report()
    assert (report.accepted, report.rejected_429, report.calls_during_retry_after) == (5, 1, 0)
    assert report.first_call_at is not None and report.last_accepted_at is not None
    assert report.first_call_at <= report.last_accepted_at
    assert client.conversations_history(channel=fake.dm_channel("U0") or "")["ok"]


def test_call_during_announced_retry_after_is_counted(fake: FakeSlack, client: WebClient) -> None:
    fake.enforce_rate_limits(per_channel_per_second=None, per_workspace_per_minute=1)
    client.chat_postMessage(channel="U1", text="hi")
    with pytest.raises(SlackApiError):
        client.chat_postMessage(channel="U2", text="hi")

    with pytest.raises(SlackApiError) as excinfo:
        client.chat_postMessage(channel="U3", text="hi")

    assert retry_after(excinfo) >= 1
    report = fake.rate_limit_report()
    assert (report.accepted, report.rejected_429, report.calls_during_retry_after) == (1, 2, 1)


def test_client_that_obeys_retry_after_is_not_flagged(fake: FakeSlack) -> None:
    client = WebClient(token=TOKEN, base_url=fake.url, retry_handlers=[ExactRetryAfter(1)])
    fake.enforce_rate_limits()

    for text in ("first", "second"):
        client.chat_postMessage(channel="U222", text=text)

    assert [c.status for c in fake.calls_to("chat.postMessage")] == [200, 429, 200]
    assert [m["text"] for m in fake.messages_to("U222")] == ["first", "second"]
    report = fake.rate_limit_report()
    assert (report.accepted, report.rejected_429, report.calls_during_retry_after) == (2, 1, 0)


@pytest.mark.parametrize("rate", [1.0, 0.0])
def test_random_429_rate(fake: FakeSlack, client: WebClient, rate: float) -> None:
    fake.enforce_rate_limits(
        per_channel_per_second=None, per_workspace_per_minute=None, random_429_rate=rate, seed=7
    )

    statuses = []
    for i in range(3):
        try:
            statuses.append(client.chat_postMessage(channel=f"U{i}", text="hi").status_code)
        except SlackApiError as error:
            statuses.append(error.response.status_code)
            assert error.response.headers["Retry-After"] == "1"

    report = fake.rate_limit_report()
    if rate:
        assert statuses == [429, 429, 429]
        assert fake.messages == []
        # The first is random; the next two ignored its Retry-After.
        assert (report.rejected_429, report.rejected_random, report.calls_during_retry_after) == (
            3,
            1,
            2,
        )
    else:
        assert statuses == [200, 200, 200]
        assert (report.accepted, report.rejected_429) == (3, 0)


def test_fixed_retry_after_then_disable(fake: FakeSlack, client: WebClient) -> None:
    fake.enforce_rate_limits(retry_after=3)
    client.chat_postMessage(channel="C1", text="one")
    fake.fail_next("chat.postMessage", error="channel_not_found")

    with pytest.raises(SlackApiError) as excinfo:
        client.chat_postMessage(channel="C1", text="two")
    assert retry_after(excinfo) == 3

    fake.disable_rate_limits()
    with pytest.raises(SlackApiError) as excinfo:
        client.chat_postMessage(channel="C1", text="three")
    assert slack_error(excinfo) == "channel_not_found"  # the throttled call left the fault queued
    assert client.chat_postMessage(channel="C1", text="four")["ok"]
    assert fake.rate_limit_report().rejected_429 == 1
