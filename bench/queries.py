"""The twelve searches of the benchmarks: what a visitor types (without diacritics, mostly), each
kind once, over the vocabulary of ``seed_bulk`` and the demo data."""

SEARCH_QUERIES: list[tuple[str, str]] = [
    ("common word", "dang"),
    ("middling word", "hue"),
    ("rare word", "may"),
    ("two words", "bang khen"),
    ("three words", "ban chap hanh"),
    ("a person's name", "nguyen van hung"),
    ("a place with diacritics", "Điện Biên"),
    ("a document code", "NQ/ĐUK"),
    ("a year", "1958"),
    ("a misspelling", "chinh donn dang"),
    ("a keyword-only phrase", "giai the"),
    ("a long phrase", "ky niem ngay thanh lap dang"),
]
