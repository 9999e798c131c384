"""The twelve searches of the benchmarks, by what a visitor means by them: typed as visitors type
(mostly without diacritics), over the vocabulary of ``seed_bulk`` and the demo data."""

SEARCH_QUERIES: list[tuple[str, str]] = [
    ("common word", "dang"),
    ("middling word", "tuong"),
    ("rare word", "luong"),
    ("two words", "thi dua"),
    ("three words", "ban chap hanh"),
    ("a person", "nguyen van hung"),
    ("a place, with diacritics", "Điện Biên Phủ"),
    ("a document code", "36-HD/VPTW"),
    ("part of a code", "NQ/ĐUK"),
    ("a year", "1958"),
    ("a misspelling", "dnag"),
    ("a keyword only", "giai the"),
]
