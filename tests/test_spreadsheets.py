"""The one rule for cells of the files the project writes (basics.spreadsheets)."""

import datetime
from decimal import Decimal

import pytest
import tablib

from basics.spreadsheets import read_cell, read_rows, safe_cell


@pytest.mark.parametrize(
    "text",
    ["=1+2", '=HYPERLINK("http://x.example","y")', "+cmd|' /C calc'!A0", "-2+3", "@SUM(A1:A2)", "\t=1", "\r=1"],
)
def test_a_text_a_spreadsheet_would_run_gets_a_quote_and_reads_back(text):
    assert safe_cell(text) == "'" + text
    assert read_cell(safe_cell(text)) == text


@pytest.mark.parametrize(
    "value",
    [-5, -2.5, Decimal("-1000"), 0, None, "", "Chi bộ Vụ 1", "'Đảng bộ' trong ngoặc", datetime.date(2024, 1, 1)],
)
def test_numbers_dates_and_plain_text_stay_as_they_are(value):
    assert safe_cell(value) == value
    assert read_cell(value) == value


def test_a_dataset_read_from_a_file_loses_the_quotes():
    dataset = tablib.Dataset(["'=1+2", 3, "Phòng"], ["a", "'-", None], headers=["A", "B", "C"])
    read_rows(dataset)
    assert dataset.dict == [{"A": "=1+2", "B": 3, "C": "Phòng"}, {"A": "a", "B": "-", "C": None}]
