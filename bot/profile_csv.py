"""Profiles as CSV for `mentor-bot import-profiles` / `export-profiles`.

Columns: `user_id` plus the profile field keys (bot.domain.profile_input.FIELDS); list values
are separated by `;`. Export writes exactly what import reads, so a file round-trips.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator
from typing import TextIO

from bot.domain.profile_input import FIELDS, profile_fields
from bot.domain.profiles import Profile

USER_ID = "user_id"
COLUMNS = (USER_ID, *FIELDS)
LIST_SEPARATOR = ";"


class BadHeader(Exception):
    """The file's first line is not a header this import understands."""


def read_rows(csv_file: TextIO) -> Iterator[tuple[int, dict[str, str]]]:
    """(line number, {column: cell}) per data row; the header is line 1. Blank rows are
    skipped; a quoted cell spanning lines counts from the line the row ends on."""
    reader = csv.DictReader(csv_file)
    header = [name.strip() for name in reader.fieldnames or []]
    if USER_ID not in header:
        raise BadHeader(f"the first line must name the columns, with {USER_ID} among them")
    unknown = [name for name in header if name and name not in COLUMNS]
    if unknown:
        raise BadHeader(
            f"unknown column(s) {', '.join(unknown)}; the columns are {', '.join(COLUMNS)}"
        )
    reader.fieldnames = header
    for row in reader:
        cells = {key: (value or "") for key, value in row.items() if key in COLUMNS}
        if any(value.strip() for value in cells.values()):
            yield reader.line_num, cells


def write_profiles(csv_file: TextIO, profiles: Iterable[Profile]) -> None:
    writer = csv.writer(csv_file, lineterminator="\n")
    writer.writerow(COLUMNS)
    for profile in profiles:
        fields = profile_fields(profile)
        writer.writerow(
            [
                profile.user_id,
                *(
                    value if isinstance(value, str) else LIST_SEPARATOR.join(value)
                    for value in (fields[name] for name in FIELDS)
                ),
            ]
        )
