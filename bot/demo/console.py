"""The demo's console: act as any seeded person, see what Slack would show them."""

from __future__ import annotations

import contextlib
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, TextIO

from bot.demo import people
from bot.demo.render import (
    Button,
    Field,
    Rendering,
    filled_state,
    initial_state,
    render_message,
    render_view,
)
from bot.demo.runtime import BotAnswer, DemoRuntime
from bot.demo.slack_standin import Message

HELP = """\
Commands (you act as one person at a time):
  as <name>            become someone else: {names}
  people               who is who
  /mentor <text>       run a slash command, e.g. /mentor help, /mentor match, /mentor digest
  press <N>            press button [N] of what was shown last
  fill <letter> <text> fill input (a), (b)... of the open modal; choices by number, e.g. 2 or 1,3
  submit | cancel      submit or close the open modal (`modal` shows it again)
  reply <text>         write to the bot in your DM (this answers a check-in)
  inbox                your latest messages again
  home                 open your Home tab (the bot's dashboard; its buttons work too)
  time [+1d2h30m]      show the demo time, or move it on (check-ins, reminders, digests arrive)
  time <ISO instant>   move to an instant, e.g. time 2026-11-30T09:00+09:00
  help | quit

A first walk through (the clock starts Friday 27 Nov 2026, 15:00 in Seoul):
  as alex      /mentor match run     press 1          (approve the round)
  as jiwoo     inbox                 press 1          (accept a mentee)
  time +1h     (16:00 in Seoul: the weekly check-in arrives)
  as dan       reply Shipped my first RAG prototype
  as grace     /mentor digest        (or: time +3d for Monday's digest DM)"""

_DURATION = re.compile(r"^\+(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?$")


@dataclass
class _Target:
    button: Button
    message_ts: str | None = None
    view_id: str | None = None


class Console:
    def __init__(self, runtime: DemoRuntime, out: TextIO) -> None:
        self.runtime = runtime
        self.standin = runtime.standin
        self.out = out
        self.user_id = people.ADMINS[0]
        self.targets: dict[int, _Target] = {}
        self.filled: dict[str, dict[str, dict[str, Any]]] = {}
        """Per view id: what was filled in, as view.state.values."""
        self.fields: list[Field] = []

    # -- the loop -------------------------------------------------------------------------

    def run(self, read: Callable[[str], str | None]) -> None:
        """`read(prompt)` gives the next line, or None at the end of input."""
        self.welcome()
        while True:
            line = read(self.prompt())
            if line is None:
                self.say("")
                return
            if not self.handle(line.strip()):
                return

    def handle(self, line: str) -> bool:
        """Carry out one line; False to stop."""
        word, _, rest = line.partition(" ")
        rest = rest.strip()
        try:
            if not line or line.startswith("#"):
                return True
            if word in ("quit", "exit"):
                return False
            if line.startswith("/mentor"):
                self.slash(line[len("/mentor") :].strip())
            elif word == "/":
                self.say("Only /mentor is a command here.")
            elif word == "help":
                self.say(HELP.format(names=", ".join(p.name for p in people.PEOPLE)))
            elif word in ("people", "who"):
                self.list_people()
            elif word == "as":
                self.become(rest)
            elif word == "press":
                self.press(rest)
            elif word == "fill":
                self.fill(rest)
            elif word == "submit":
                self.submit()
            elif word == "cancel":
                self.cancel()
            elif word == "modal":
                self.show_modal()
            elif word == "reply":
                self.reply(rest)
            elif word == "inbox":
                self.inbox()
            elif word == "home":
                self.open_home()
            elif word == "time":
                self.time(rest)
            else:
                self.say(f"I do not know {word!r}. Type help for the commands.")
        except _Oops as oops:
            self.say(str(oops))
        return True

    def prompt(self) -> str:
        return f"\n[{self.local(self.runtime.clock.now())}] {self.name}> "

    # -- commands -------------------------------------------------------------------------

    def welcome(self) -> None:
        self.say(
            "mentor-bot demo: the real bot (HTTP server, scheduler work, SQLite) talking to a "
            "stand-in for Slack on this machine.\n"
            f"The clock stands at {self.local(self.runtime.clock.now())} for {self.name}; "
            "the weekly check-in goes out Fridays at 16:00 in each person's own time zone.\n"
        )
        self.list_people()
        self.say(
            f"\nYou are {self.name}. Type help for the commands and a first walk through; "
            "quit to leave."
        )

    def list_people(self) -> None:
        self.say("People you can act as (as <name>):")
        for person in people.PEOPLE:
            self.say(f"  {person.name:<8} {person.role} ({person.tz}, {person.locale})")

    def become(self, name: str) -> None:
        person = people.by_name(name)
        if person is None:
            raise _Oops(f"No one is called {name!r}; try: people")
        self.user_id = person.user_id
        self.targets = {}
        self.say(f"You are now {person.name} ({person.role}).")
        self.show_news()

    def slash(self, text: str) -> None:
        answer, shown = self.runtime.slash(self.user_id, text)
        if answer.status != 200:
            self.say(f"(Slack would say: /mentor failed with HTTP {answer.status})")
        numbered = self.start_numbering()
        if shown is not None:
            self.print_message(shown, numbered, heading="only visible to you")
        self.runtime.settle()
        self.show_news(numbered)

    def press(self, number: str) -> None:
        if not number.isdigit() or int(number) not in self.targets:
            shown = ", ".join(str(n) for n in sorted(self.targets)) or "none"
            raise _Oops(f"There is no button [{number}] on screen (buttons: {shown}).")
        target = self.targets[int(number)]
        if target.view_id is not None:
            view = self.standin.views.get(target.view_id)
            if view is None:
                raise _Oops("That view is gone.")
            answer = self.runtime.press_in_view(self.user_id, self._with_state(view), target.button)
        else:
            message = self.standin.messages.get(target.message_ts or "")
            if message is None:
                raise _Oops("That message is gone.")
            answer = self.runtime.press_in_message(self.user_id, message, target.button)
        self.say(f"(you pressed {target.button.label!r})")
        self._report_failure(answer)
        self.runtime.settle()
        self.show_news()

    def fill(self, rest: str) -> None:
        letter, _, value = rest.partition(" ")
        view = self.standin.top_modal(self.user_id)
        if view is None:
            raise _Oops("No modal is open.")
        target = next((f for f in self.fields if f.letter == letter.strip().lower()), None)
        if target is None:
            raise _Oops(f"The modal has no field ({letter}).")
        try:
            state = filled_state(target, value)
        except ValueError as error:
            raise _Oops(str(error)) from None
        filled = self.filled.setdefault(view["id"], {}).setdefault(target.block_id, {})
        filled[target.action_id] = state
        self.say(f"({target.letter}) {target.label} set.")

    def submit(self) -> None:
        view = self.standin.top_modal(self.user_id)
        if view is None:
            raise _Oops("No modal is open.")
        answer = self.runtime.submit(self.user_id, self._with_state(view))
        action = answer.json.get("response_action")
        if answer.status != 200:
            self._report_failure(answer)
            return
        if action == "errors":
            labels = {f.block_id: f"({f.letter}) {f.label}" for f in self.fields}
            self.say("The modal stays open:")
            for block_id, problem in (answer.json.get("errors") or {}).items():
                self.say(f"  {labels.get(block_id, block_id)}: {problem}")
            return
        if action in ("update", "push"):
            self.standin.replace_modal(self.user_id, answer.json["view"], push=action == "push")
        else:
            self.standin.close_modal(self.user_id, all_of_them=action == "clear")
            self.filled.pop(view["id"], None)
            self.say("(modal submitted and closed)")
        self.runtime.settle()
        self.show_news()

    def cancel(self) -> None:
        view = self.standin.top_modal(self.user_id)
        if view is None:
            raise _Oops("No modal is open.")
        self.standin.close_modal(self.user_id)
        self.filled.pop(view["id"], None)
        self.say("(modal closed)")

    def show_modal(self) -> None:
        view = self.standin.top_modal(self.user_id)
        if view is None:
            raise _Oops("No modal is open.")
        self.print_view(view, self.start_numbering())

    def reply(self, text: str) -> None:
        if not text:
            raise _Oops("reply what? e.g. reply Shipped the retriever")
        self._report_failure(self.runtime.reply(self.user_id, text))
        self.say(f"(you wrote to {people.BOT_NAME}: {text})")
        self.runtime.settle()
        self.show_news()

    def inbox(self) -> None:
        self.standin.take_feed(self.user_id)
        messages = self.standin.conversation(self.user_id)
        if not messages:
            self.say("Nothing here yet.")
            return
        numbered = self.start_numbering()
        for message in messages:
            self.print_message(message, numbered)

    def open_home(self) -> None:
        self._report_failure(self.runtime.open_home(self.user_id))
        self.runtime.settle()
        self.show_news()

    def time(self, rest: str) -> None:
        now = self.runtime.clock.now()
        if not rest:
            self.say(f"It is {self.local(now)} for {self.name} ({now:%Y-%m-%d %H:%M} UTC).")
            return
        found = _DURATION.match(rest.replace(" ", ""))
        if found and any(found.groups()):
            days, hours, minutes = (int(g or 0) for g in found.groups())
            target = now + timedelta(days=days, hours=hours, minutes=minutes)
        else:
            try:
                target = datetime.fromisoformat(rest)
            except ValueError:
                raise _Oops(
                    "time takes +1d, +2h, +30m (or together: +1d2h) or an ISO instant."
                ) from None
            if target.tzinfo is None:
                target = target.replace(tzinfo=self.standin.zone_of(self.user_id))
        if target <= now:
            raise _Oops("The demo clock only moves forward.")
        self.runtime.advance_to(target)
        self.say(f"It is now {self.local(self.runtime.clock.now())} for {self.name}.")
        self.show_news()

    # -- showing things -------------------------------------------------------------------

    def show_news(self, numbered: Rendering | None = None) -> None:
        """Print what the current person newly sees, then who else has something new."""
        numbered = numbered or self.start_numbering()
        for item in self.standin.take_feed(self.user_id):
            if item.kind == "deleted":
                self.say("--- a message was deleted ---")
            elif item.kind in ("modal", "home"):
                view = self.standin.views.get(item.key)
                if view is not None and item.kind == "modal":
                    self.print_view(view, numbered)
                elif view is not None:
                    self.print_home(view, numbered)
            else:
                message = self.standin.messages.get(item.key)
                if message is not None:
                    self.print_message(message, numbered, updated=item.kind == "updated")
        others = {
            self.standin.name_of(user): count
            for user, count in self.standin.pending_counts().items()
            if user != self.user_id and user in self.standin.people
        }
        if others:
            listed = ", ".join(f"{name} ({count})" for name, count in sorted(others.items()))
            self.say(f"(news for {listed}: `as <name>` to see)")

    def start_numbering(self) -> Rendering:
        """A counter shared by everything printed for one action: buttons [1], [2], ..."""
        return Rendering()

    def print_message(
        self, message: Message, numbered: Rendering, *, heading: str = "", updated: bool = False
    ) -> None:
        rendered = render_message(
            message.text,
            message.blocks,
            name_of=self.standin.name_of,
            zone=self.standin.zone_of(self.user_id),
            first_button=len(numbered.buttons) + 1,
        )
        self._number(rendered, numbered, message_ts=message.ts)
        where = heading or self._where(message)
        when = self.local(message.posted_at) if message.posted_at else ""
        change = "updated: " if updated else ""
        thread = ", in a thread" if message.thread_ts and message.thread_ts != message.ts else ""
        author = self.standin.name_of(message.author)
        self.say(f"--- {change}{author}, {where}{thread} · {when} ---")
        for line in rendered.lines:
            self.say("  " + line if line else "")
        for shared in message.files:
            size = shared.get("size") or 0
            self.say(f"  [file] {shared.get('name')} - {shared.get('title')} ({size:,} bytes)")

    def print_view(self, view: dict[str, Any], numbered: Rendering) -> None:
        rendered = render_view(
            view,
            name_of=self.standin.name_of,
            zone=self.standin.zone_of(self.user_id),
            first_button=len(numbered.buttons) + 1,
            values=self.filled.get(view["id"]),
        )
        self._number(rendered, numbered, view_id=view["id"])
        self.fields = rendered.fields
        self.say("--- a modal opened ---")
        for line in rendered.lines:
            self.say("  " + line)
        if rendered.fields:
            self.say("  (fill <letter> <text>, then submit)")

    def print_home(self, view: dict[str, Any], numbered: Rendering) -> None:
        rendered = render_view(
            view,
            name_of=self.standin.name_of,
            zone=self.standin.zone_of(self.user_id),
            first_button=len(numbered.buttons) + 1,
        )
        self._number(rendered, numbered, view_id=view["id"])
        self.say("--- your Home tab ---")
        for line in rendered.lines:
            self.say("  " + line)

    def say(self, text: str) -> None:
        self.out.write(text + "\n")

    def local(self, instant: datetime) -> str:
        local = instant.astimezone(self.standin.zone_of(self.user_id))
        return f"{local:%a %d %b %Y %H:%M} {local.tzname()}"

    @property
    def name(self) -> str:
        return self.standin.name_of(self.user_id)

    def _where(self, message: Message) -> str:
        if message.ephemeral_to is not None:
            return "only visible to you"
        members = self.standin.group_members.get(message.channel)
        if members:
            others = sorted(self.standin.name_of(u) for u in members if u != self.user_id)
            return "in a group DM with you, " + ", ".join(others)
        return "in your DM"

    def _number(
        self,
        rendered: Rendering,
        numbered: Rendering,
        *,
        message_ts: str | None = None,
        view_id: str | None = None,
    ) -> None:
        if rendered.buttons and not numbered.buttons:
            self.targets = {}
        for button in rendered.buttons:
            numbered.buttons.append(button)
            self.targets[len(numbered.buttons)] = _Target(button, message_ts, view_id)

    def _with_state(self, view: dict[str, Any]) -> dict[str, Any]:
        """The view as Slack sends it back: what was filled in, the rest as it started."""
        values: dict[str, dict[str, Any]] = {}
        for block in view.get("blocks") or []:
            element = block.get("element") or {}
            if block.get("type") != "input" or not element.get("action_id"):
                continue
            typed = (self.filled.get(view["id"]) or {}).get(block.get("block_id") or "", {})
            state = typed.get(element["action_id"]) or initial_state(element)
            values.setdefault(block.get("block_id") or "", {})[element["action_id"]] = state or {
                "type": element.get("type"),
                **_empty(element),
            }
        return {**view, "state": {"values": values}}

    def _report_failure(self, answer: BotAnswer) -> None:
        if answer.status != 200:
            self.say(f"(the bot answered HTTP {answer.status})")


def _empty(element: dict[str, Any]) -> dict[str, Any]:
    kind = element.get("type")
    if kind in ("checkboxes", "multi_static_select"):
        return {"selected_options": []}
    if kind in ("static_select", "radio_buttons"):
        return {"selected_option": None}
    return {"value": None}


class _Oops(Exception):
    """Something the person typed cannot be done; the message says why."""


def run_console(runtime: DemoRuntime, stdin: TextIO = sys.stdin, out: TextIO = sys.stdout) -> None:
    """At a terminal, lines are read with input() (line editing, history); from a pipe they are
    echoed after the prompt, so the output reads as a transcript."""
    console = Console(runtime, out)
    interactive = stdin is sys.stdin and out is sys.stdout and stdin.isatty()
    if interactive:
        with contextlib.suppress(ImportError):  # line editing and history for input()
            import readline  # noqa: F401

    def read(prompt: str) -> str | None:
        if interactive:
            try:
                return input(prompt)
            except EOFError:
                return None
        out.write(prompt)
        line = stdin.readline()
        if line:
            out.write(line if line.endswith("\n") else line + "\n")
        out.flush()
        return line or None

    console.run(read)
