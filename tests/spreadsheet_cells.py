"""What the export tests look for in a CSV or XLSX file: cells a spreadsheet program would run as formulas."""

import csv
import io

from openpyxl import load_workbook

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")  # OWASP's list, written out again, not read from the code


def xlsx_cells(content: bytes) -> list:
    """Every cell of every sheet, as openpyxl reads it (formulas kept as formulas)."""
    workbook = load_workbook(io.BytesIO(content))
    return [cell for sheet in workbook.worksheets for row in sheet.iter_rows() for cell in row]


def xlsx_formulas(content: bytes) -> list[str]:
    return [
        f"{cell.parent.title}!{cell.coordinate}={cell.value!r}"
        for cell in xlsx_cells(content)
        if cell.data_type == "f" or (isinstance(cell.value, str) and cell.value.startswith(FORMULA_STARTS))
    ]


def xlsx_values(content: bytes) -> set:
    return {cell.value for cell in xlsx_cells(content)}


def csv_rows(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))


def csv_formulas(text: str) -> list[str]:
    return [value for row in csv_rows(text) for value in row if value.startswith(FORMULA_STARTS)]
