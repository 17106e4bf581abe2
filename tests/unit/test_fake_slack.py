"""FakeSlack, exercised through a real slack_sdk WebClient over HTTP."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry import FixedValueRetryIntervalCalculator, RateLimitErrorRetryHandler
from slack_sdk.http_retry.builtin_handlers import ServerErrorRetryHandler

from tests.support.fake_slack import FakeSlack
from tests.support.spec import SPEC_DIR, read_json

TOKEN = "xoxb-test"


def section(text: str) -> dict[str, Any]:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text}}


def modal(blocks: list[dict[str, Any]]) -> dict[str, Any]:
    title = {"type": "plain_text", "text": "Check-in"}
    return {"type": "modal", "callback_id": "checkin", "title": title, "blocks": blocks}


def slack_error(excinfo: pytest.ExceptionInfo[SlackApiError]) -> str:
    return excinfo.value.response["error"]


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
        client.conversations_history(channel="C1")

    assert slack_error(excinfo) == "fake_slack_not_implemented"


def test_stub_answers_an_unmodelled_method(fake: FakeSlack, client: WebClient) -> None:
    fake.stub("conversations.history", {"messages": [], "has_more": False})

    assert client.conversations_history(channel="C1")["messages"] == []


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
