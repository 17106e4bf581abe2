"""Block Kit as readable text for the demo console: sections, headers, context, fields and
dividers as lines; buttons numbered [1] [2] ... so they can be pressed; a modal's inputs
lettered (a) (b) ... so they can be filled. Pure functions, no I/O."""

from __future__ import annotations

import re
import string
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, tzinfo
from functools import partial
from typing import Any

NameOf = Callable[[str], str]
Format = Callable[[str], str]
"""mrkdwn to readable text, for one reader."""
RULE = "-" * 40
INPUT_ELEMENTS_WITH_OPTIONS = (
    "static_select",
    "radio_buttons",
    "checkboxes",
    "multi_static_select",
)
MULTI_CHOICE = ("checkboxes", "multi_static_select")

_SPECIAL = re.compile(r"<([^<>]*)>")
_ENTITIES = (("&lt;", "<"), ("&gt;", ">"), ("&amp;", "&"))


@dataclass(frozen=True)
class Button:
    label: str
    action_id: str
    block_id: str
    value: str | None = None
    url: str | None = None


@dataclass(frozen=True)
class Field:
    """An input of a modal: what `fill <letter> <value>` sets."""

    letter: str
    label: str
    block_id: str
    action_id: str
    kind: str
    options: tuple[tuple[str, str], ...] = ()
    """(value, label) of a select, radio buttons or checkboxes."""
    optional: bool = False


@dataclass
class Rendering:
    lines: list[str] = field(default_factory=list)
    buttons: list[Button] = field(default_factory=list)
    fields: list[Field] = field(default_factory=list)
    first_button: int = 1

    @property
    def text(self) -> str:
        return "\n".join(self.lines)


def mrkdwn_to_text(text: str, name_of: NameOf = str, zone: tzinfo | None = None) -> str:
    """Slack's special syntax made readable: mentions by name, links with their address,
    dates in the reader's time zone (or by their fallback text), escaped characters back as
    they were typed."""

    def special(found: re.Match[str]) -> str:
        inner = found.group(1)
        target, _, label = inner.partition("|")
        if target.startswith("@"):
            return "@" + (label or name_of(target[1:]))
        if target.startswith("#"):
            return "#" + (label or target[1:])
        if target.startswith("!date"):
            return _date(target, label, zone)
        if target.startswith("!"):
            return "@" + (label or target[1:].split("^")[0])
        return f"{label} ({target})" if label and label != target else target

    plain = _SPECIAL.sub(special, text)
    for escaped, char in _ENTITIES:
        plain = plain.replace(escaped, char)
    return plain


def render_message(
    text: str | None,
    blocks: list[dict[str, Any]] | None,
    *,
    name_of: NameOf = str,
    zone: tzinfo | None = None,
    first_button: int = 1,
) -> Rendering:
    """A message as it reads: its blocks, or its text when it has none."""
    if blocks:
        return render_blocks(blocks, name_of=name_of, zone=zone, first_button=first_button)
    lines = mrkdwn_to_text(text or "", name_of, zone).splitlines()
    return Rendering(lines=lines, first_button=first_button)


def render_view(
    view: Mapping[str, Any],
    *,
    name_of: NameOf = str,
    zone: tzinfo | None = None,
    first_button: int = 1,
    values: Mapping[str, Mapping[str, Any]] | None = None,
) -> Rendering:
    """A modal or Home tab: title, blocks (inputs lettered, with what is filled in so far) and
    the submit / close labels."""
    title = _plain(view.get("title")) or ("Home" if view.get("type") == "home" else "Modal")
    rendered = render_blocks(
        view.get("blocks") or [],
        name_of=name_of,
        zone=zone,
        first_button=first_button,
        values=values,
    )
    rendered.lines.insert(0, f"[ {title} ]")
    submit, close = _plain(view.get("submit")), _plain(view.get("close"))
    if submit or close:
        rendered.lines.append(
            " ".join(
                part
                for part in (
                    f"<{submit}: type submit>" if submit else "",
                    f"<{close}: type cancel>" if close else "",
                )
                if part
            )
        )
    return rendered


def render_blocks(
    blocks: list[dict[str, Any]],
    *,
    name_of: NameOf = str,
    zone: tzinfo | None = None,
    first_button: int = 1,
    values: Mapping[str, Mapping[str, Any]] | None = None,
) -> Rendering:
    out = Rendering(first_button=first_button)
    fmt = partial(mrkdwn_to_text, name_of=name_of, zone=zone)
    for block in blocks:
        kind = block.get("type")
        if kind == "header":
            title = _plain(block.get("text"))
            out.lines += [title, "=" * min(len(title), 60)]
        elif kind == "section":
            _section(block, out, fmt)
        elif kind == "context":
            parts = [_element_text(e, fmt) for e in block.get("elements") or []]
            out.lines += ["  " + line for line in " · ".join(p for p in parts if p).splitlines()]
        elif kind == "divider":
            out.lines.append(RULE)
        elif kind == "actions":
            shown = [_element(e, block, out, fmt) for e in block.get("elements") or []]
            out.lines.append("  ".join(s for s in shown if s))
        elif kind == "input":
            _input(block, out, fmt, values or {})
        elif kind == "image":
            out.lines.append(f"[image: {block.get('alt_text') or ''}]")
        elif kind == "rich_text":
            out.lines += _rich_text(block, fmt).splitlines()
        else:
            out.lines.append(f"[{kind} block]")
    return out


def initial_state(element: Mapping[str, Any]) -> dict[str, Any] | None:
    """What Slack puts in view.state for an input before anyone touches it."""
    kind = str(element.get("type"))
    if "initial_value" in element:
        return {"type": kind, "value": element["initial_value"]}
    if "initial_option" in element:
        return {"type": kind, "selected_option": element["initial_option"]}
    if "initial_options" in element:
        return {"type": kind, "selected_options": element["initial_options"]}
    if "initial_date" in element:
        return {"type": kind, "selected_date": element["initial_date"]}
    return None


def filled_state(target: Field, typed: str) -> dict[str, Any]:
    """The view.state entry for what was typed into a field: text as is, an option by its
    number, value or label, several options separated by commas. ValueError if none fits."""
    if target.kind in MULTI_CHOICE:
        chosen = [_option(target, part) for part in typed.split(",") if part.strip()]
        return {"type": target.kind, "selected_options": chosen}
    if target.kind in INPUT_ELEMENTS_WITH_OPTIONS:
        return {"type": target.kind, "selected_option": _option(target, typed)}
    if target.kind == "datepicker":
        return {"type": target.kind, "selected_date": typed.strip()}
    if target.kind == "timepicker":
        return {"type": target.kind, "selected_time": typed.strip()}
    return {"type": target.kind, "value": typed}


def state_text(state: Mapping[str, Any] | None) -> str:
    """What a field holds, for display."""
    if not state:
        return ""
    if "selected_options" in state:
        return ", ".join(_plain(o.get("text")) for o in state["selected_options"] or [])
    if state.get("selected_option"):
        return _plain(state["selected_option"].get("text"))
    for key in ("value", "selected_date", "selected_time"):
        if state.get(key):
            return str(state[key])
    return ""


# -- blocks -------------------------------------------------------------------------------


def _section(block: Mapping[str, Any], out: Rendering, fmt: Format) -> None:
    lines = _text(block.get("text"), fmt).splitlines()
    for item in block.get("fields") or []:
        lines.append("  " + _text(item, fmt).replace("\n", " "))
    accessory = block.get("accessory")
    if accessory:
        shown = _element(accessory, block, out, fmt)
        if shown:
            lines.append("  " + shown)
    out.lines += lines


def _input(
    block: Mapping[str, Any],
    out: Rendering,
    fmt: Format,
    values: Mapping[str, Mapping[str, Any]],
) -> None:
    element = block.get("element") or {}
    options = tuple((str(o.get("value")), _plain(o.get("text"))) for o in _options(element))
    letter = string.ascii_lowercase[len(out.fields) % 26]
    target = Field(
        letter=letter,
        label=_plain(block.get("label")),
        block_id=str(block.get("block_id") or ""),
        action_id=str(element.get("action_id") or ""),
        kind=str(element.get("type") or "plain_text_input"),
        options=options,
        optional=bool(block.get("optional")),
    )
    out.fields.append(target)
    state = (values.get(target.block_id) or {}).get(target.action_id) or initial_state(element)
    how = " (optional)" if target.optional else ""
    if target.kind in MULTI_CHOICE:
        how += " - pick one or more, e.g. 1,3"
    out.lines.append(f"({letter}) {target.label}{how}")
    hint = _plain(block.get("hint"))
    if hint:
        out.lines.append(f"    {hint}")
    if options:
        out.lines.append(
            "    " + "  ".join(f"{n}) {label}" for n, (_v, label) in enumerate(options, 1))
        )
    out.lines.append(f"    = {state_text(state) or '(empty)'}")


def _element(
    element: Mapping[str, Any], block: Mapping[str, Any], out: Rendering, fmt: Format
) -> str:
    kind = element.get("type")
    if kind == "button":
        out.buttons.append(
            Button(
                label=_plain(element.get("text")),
                action_id=str(element.get("action_id") or ""),
                block_id=str(block.get("block_id") or ""),
                value=element.get("value"),
                url=element.get("url"),
            )
        )
        number = out.first_button + len(out.buttons) - 1
        return f"[{number}] {_plain(element.get('text'))}"
    if kind in ("checkboxes", "radio_buttons"):
        chosen = {str(o.get("value")) for o in element.get("initial_options") or []}
        if element.get("initial_option"):
            chosen.add(str(element["initial_option"].get("value")))
        marks = [
            ("[x] " if str(o.get("value")) in chosen else "[ ] ") + _text(o.get("text"), fmt)
            for o in _options(element)
        ]
        return "\n  ".join(marks)
    if kind == "image":
        return f"[image: {element.get('alt_text') or ''}]"
    if kind == "overflow":
        return "[... more]"
    placeholder = _plain(element.get("placeholder"))
    return f"[{kind}{': ' + placeholder if placeholder else ''}]"


def _element_text(element: Mapping[str, Any], fmt: Format) -> str:
    if element.get("type") == "image":
        return f"[image: {element.get('alt_text') or ''}]"
    return _text(element, fmt)


def _options(element: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    options = list(element.get("options") or [])
    for group in element.get("option_groups") or []:
        options += group.get("options") or []
    return options


def _option(target: Field, typed: str) -> dict[str, Any]:
    wanted = typed.strip()
    for number, (value, label) in enumerate(target.options, 1):
        if wanted in (str(number), value) or wanted.lower() == label.lower():
            return {"value": value, "text": {"type": "plain_text", "text": label}}
    choices = ", ".join(f"{n}) {label}" for n, (_v, label) in enumerate(target.options, 1))
    raise ValueError(f"{wanted!r} is not one of the choices of ({target.letter}): {choices}")


def _date(target: str, fallback: str, zone: tzinfo | None) -> str:
    """`<!date^1700000000^{date_short_pretty}|fallback>` in the reader's zone."""
    parts = target.split("^")
    if zone is None or len(parts) < 2 or not parts[1].isdigit():
        return fallback or target
    local = datetime.fromtimestamp(int(parts[1]), UTC).astimezone(zone)
    return f"{local:%Y-%m-%d %H:%M} {local.tzname()}"


def _rich_text(block: Mapping[str, Any], fmt: Format) -> str:
    parts: list[str] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if node.get("type") == "user":
                parts.append(fmt(f"<@{node.get('user_id')}>"))
            elif isinstance(node.get("text"), str):
                parts.append(node["text"])
            for child in node.get("elements") or []:
                walk(child)

    walk(block)
    return "".join(parts)


def _text(node: Any, fmt: Format) -> str:
    if not isinstance(node, Mapping):
        return str(node or "")
    text = str(node.get("text") or "")
    return fmt(text) if node.get("type") == "mrkdwn" else text


def _plain(node: Any) -> str:
    if isinstance(node, Mapping):
        return str(node.get("text") or "")
    return str(node or "")
