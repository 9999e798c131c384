"""Cells of the CSV and XLSX files the project writes, made safe to open in a spreadsheet program.

Excel, LibreOffice and Google Sheets read a text cell that begins with "=", "+", "-" or "@"
as a formula (and one that begins with a tab or a carriage return, which some of them drop),
and a formula can reach outside the sheet (`=HYPERLINK(...)`, `+cmd|' /C calc'!A0`). Every
writer of user text passes each cell through `safe_cell`, which prefixes such a text with a
single quote (OWASP's rule for CSV injection), so the program shows it as the text it is.
Numbers, dates and empty cells are values, not text, and stay as they are: a negative amount
is still a number.

An import reads a cell back through `read_cell`, which takes the quote off again, so a file
exported and imported unchanged changes nothing.

This module imports no app: every app's writer and reader use the same rule.
"""

from collections.abc import Iterable
from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
QUOTE = "'"


def safe_cell(value: Any) -> Any:
    """The value to write in a cell: a text a spreadsheet would run as a formula gets a leading quote."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return QUOTE + value
    return value


def safe_row(values: Iterable[Any]) -> list[Any]:
    return [safe_cell(value) for value in values]


def read_cell(value: Any) -> Any:
    """The text `safe_cell` was given, from a cell read back from a file it wrote."""
    if isinstance(value, str) and value.startswith(QUOTE) and value[1:].startswith(FORMULA_STARTS):
        return value[1:]
    return value


def read_rows(dataset) -> None:
    """Take the quotes `safe_cell` added off every cell of a tablib Dataset read from a file, in place."""
    for index, row in enumerate(dataset):
        cells = [read_cell(value) for value in row]
        if cells != list(row):
            dataset[index] = cells
