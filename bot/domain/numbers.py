"""Whole numbers people type: goal numbers, progress, weeks, hours, confidence, capacity.

Only ASCII digits count. `str.isdigit()` is also true for `²` or `①`, which `int()` cannot
read, and `int()` refuses more than 4,300 digits: both would escape as a ValueError. Each
caller turns `None` into its own "that is not a valid X" message.
"""

from __future__ import annotations

_DIGITS = frozenset("0123456789")


def parse_whole_number(text: str | None, *, most: int) -> int | None:
    """`text` as a whole number from 0 to `most`, or None when it is anything else.

    Anything else: empty, a sign, a space, a decimal point, a digit outside ASCII, or a value
    above `most` - found without handing `int()` more digits than `most` has. Leading zeros
    are fine (`07` is 7), as they are for `int()`.
    """
    if not text or not _DIGITS.issuperset(text):
        return None
    digits = text.lstrip("0") or "0"
    if len(digits) > len(str(most)):
        return None
    value = int(digits)
    return value if value <= most else None
