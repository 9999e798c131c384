"""Quality and speed of the Vietnamese OCR (archive.ocr) on a corpus this script draws itself.

Each page is typed with Pillow in DejaVu Serif in the layout of Hướng dẫn 36-HD/VPTW: the issuing
body and "Số …" on the left, "ĐẢNG CỘNG SẢN VIỆT NAM" and "<place>, ngày … tháng … năm …" on the
right, the heading, the trích yếu, body lines holding every Vietnamese vowel with every tone, and the
signature block ("T/M BAN THƯỜNG VỤ", the position, the name). A clean page is 300 dpi; its
degraded twin is 200 dpi, blurred, speckled, turned 2° and stamped with a red seal over the text.

For every Tesseract setting tried it reports the character error rate (edit distance over the
reference's characters, white space collapsed), the share of the reference's words found after
folding (``basics.text.fold``), and the share of pages whose document code and date come back from
the OCR text after repair (``archive.proposals``); and the pages per minute of one worker.

    .venv/bin/python bench/ocr.py --pages 6            # the settings compared, JSON in bench/results/
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "traditions.settings")
# One OCR thread per Tesseract run: a worker's share of the 2 cores, and steady figures.
os.environ.setdefault("OMP_THREAD_LIMIT", "1")

import django  # noqa: E402

django.setup()

from PIL import Image, ImageDraw, ImageFilter, ImageFont  # noqa: E402

from archive import ocr  # noqa: E402
from archive.proposals import place_and_date, repaired_number  # noqa: E402
from basics.text import fold_words  # noqa: E402

FONTS = "/usr/share/fonts/truetype/dejavu/"
TONES = ("", "\u0300", "\u0301", "\u0309", "\u0303", "\u0323")
# One syllable per vowel, each written with every tone: "ba bà bá bả bã bạ", "băn bằn …".
SYLLABLES = [("b", "a", ""), ("b", "ă", "n"), ("c", "â", "n"), ("m", "e", ""), ("n", "ê", "n"), ("l", "i", "")]
SYLLABLES += [("t", "o", ""), ("c", "ô", ""), ("b", "ơ", ""), ("t", "u", ""), ("n", "ư", ""), ("m", "y", "")]
BODIES = ["VĂN PHÒNG TRUNG ƯƠNG ĐẢNG", "BAN TỔ CHỨC TRUNG ƯƠNG", "ĐẢNG ỦY KHỐI CÁC CƠ QUAN TRUNG ƯƠNG"]
CODES = ["HD/VPTW", "HD/BTCTW", "CV/ĐUK", "BC/ĐUK", "QĐ/TW", "TB/VPTW"]
PLACES = ["Hà Nội", "Việt Bắc", "Thái Nguyên", "Huế"]
HEADINGS = ["HƯỚNG DẪN", "BÁO CÁO", "THÔNG BÁO", "QUYẾT ĐỊNH"]
SENTENCES = [
    "Thực hiện Nghị quyết của Bộ Chính trị về công tác lưu trữ hồ sơ, tài liệu của Đảng,",
    "các cơ quan, đơn vị rà soát, phân loại và lập danh mục tài liệu hết giá trị.",
    "Việc giao nộp hồ sơ vào lưu trữ hiện hành thực hiện đúng thời hạn quy định.",
    "Đồng chí bí thư chi bộ chịu trách nhiệm kiểm tra, đôn đốc và báo cáo kết quả.",
    "Trong quá trình thực hiện, nếu có vướng mắc, đề nghị phản ánh về Văn phòng để hướng dẫn.",
]


def font(name: str, size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(FONTS + name, size, layout_engine=ImageFont.Layout.BASIC)


def vowel_lines() -> list[str]:
    import unicodedata

    words = [unicodedata.normalize("NFC", f"{c}{v}{t}{end}") for c, v, end in SYLLABLES for t in TONES]
    return [" ".join(words[i : i + 12]) for i in range(0, len(words), 12)]


def page_spec(number: int) -> dict:
    rng = random.Random(number)  # noqa: S311 - a corpus, not secrets
    code = f"{rng.randint(1, 250)}-{rng.choice(CODES)}"
    day, month, year = rng.randint(1, 28), rng.randint(1, 12), rng.randint(1950, 2024)
    place = rng.choice(PLACES)
    return {
        "body": rng.choice(BODIES),
        "code": code,
        "place": place,
        "date": f"{day:02d}/{month:02d}/{year}",
        "date_line": f"{place}, ngày {day} tháng {month} năm {year}",
        "heading": rng.choice(HEADINGS),
        "summary": "Về công tác lập hồ sơ và giao nộp tài liệu vào lưu trữ",
        "body_lines": [*rng.sample(SENTENCES, 3), *vowel_lines()],
        "signature": ["T/M BAN THƯỜNG VỤ", "CHÁNH VĂN PHÒNG", "Nguyễn Văn Mẫu"],
    }


def draw_page(spec: dict, dpi: int = 300) -> tuple[Image.Image, str]:
    """The page picture at ``dpi`` and its reference text, line by line in reading order."""
    k = dpi / 300
    width, height = int(2480 * k), int(2300 * k)
    page = Image.new("RGB", (width, height), (255, 255, 255))
    draw = ImageDraw.Draw(page)
    bold, regular, italic = font("DejaVuSerif-Bold.ttf", int(46 * k)), font("DejaVuSerif.ttf", int(46 * k)), None
    italic = font("DejaVuSerif-Italic.ttf", int(46 * k))
    reference = []

    def text(x, y, line, typeface):
        draw.text((int(x * k), int(y * k)), line, font=typeface, fill=(0, 0, 0))

    text(150, 150, spec["body"], bold)
    text(1350, 150, "ĐẢNG CỘNG SẢN VIỆT NAM", bold)
    text(150, 240, f"Số {spec['code']}", regular)
    text(1350, 240, spec["date_line"], italic)
    reference += [f"{spec['body']} ĐẢNG CỘNG SẢN VIỆT NAM", f"Số {spec['code']} {spec['date_line']}"]
    text(1000, 420, spec["heading"], font("DejaVuSerif-Bold.ttf", int(58 * k)))
    text(400, 520, spec["summary"], bold)
    reference += [spec["heading"], spec["summary"]]
    y = 680
    for line in spec["body_lines"]:
        text(150, y, line, regular)
        reference.append(line)
        y += 80
    for index, line in enumerate(spec["signature"]):
        text(1450, y + 80 + index * 80, line, bold if index < 2 else regular)
        reference.append(line)
    return page, "\n".join(reference)


def degrade(page: Image.Image, rng: random.Random) -> Image.Image:
    """Blur, speckles, a red seal over the signature's lines, and a 2° turn."""
    picture = page.filter(ImageFilter.GaussianBlur(0.8))
    draw = ImageDraw.Draw(picture, "RGBA")
    width, height = picture.size
    for _ in range(width * height // 400):
        x, y = rng.randrange(width), rng.randrange(height)
        shade = rng.randint(0, 120)
        draw.point((x, y), fill=(shade, shade, shade, 255))
    cx, cy, r = int(width * 0.7), int(height * 0.68), int(width * 0.09)  # over the signature block
    draw.ellipse((cx - r, cy - r, cx + r, cy + r), outline=(200, 30, 40, 150), width=max(4, r // 12))
    draw.ellipse((cx - r * 0.7, cy - r * 0.7, cx + r * 0.7, cy + r * 0.7), outline=(200, 30, 40, 120), width=3)
    return picture.rotate(2, resample=Image.Resampling.BICUBIC, expand=True, fillcolor=(255, 255, 255))


def edit_distance(a: str, b: str) -> int:
    previous = list(range(len(b) + 1))
    for i, char in enumerate(a, 1):
        current = [i]
        for j, other in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (char != other)))
        previous = current
    return previous[-1]


def scores(reference: str, hypothesis: str, spec: dict) -> dict:
    ref, hyp = " ".join(reference.split()), " ".join(hypothesis.split())
    ref_words, hyp_words = Counter(fold_words(reference)), Counter(fold_words(hypothesis))
    found = sum((ref_words & hyp_words).values())
    lines = [line for line in hypothesis.splitlines() if line.strip()]
    date = place_and_date(lines)
    return {
        "cer": edit_distance(ref, hyp) / len(ref),
        "word_recall": found / sum(ref_words.values()),
        "code": repaired_number(hypothesis) == spec["code"],
        "date": bool(date) and date[1] == spec["date"],
    }


SETTINGS = {
    "psm 4, grey + autocontrast + median + deskew": {"psm": 4, "prepare": True},
    "psm 4, grey + autocontrast": {"psm": 4, "prepare": True, "clean": False},
    "psm 3, grey + autocontrast + median + deskew": {"psm": 3, "prepare": True},
    "psm 6, grey + autocontrast + median + deskew": {"psm": 6, "prepare": True},
    "psm 4, no preprocessing": {"psm": 4, "prepare": False},
    "psm 4, all preprocessing, 200 dpi upscaled to 300": {"psm": 4, "prepare": True, "upscale": True},
}


def run(pages: int, only: list[str] | None) -> dict:
    corpus = []
    for number in range(pages):
        spec = page_spec(number)
        clean, reference = draw_page(spec)
        low, _ref = draw_page(spec, dpi=200)
        corpus.append(("clean", spec, clean, reference, 300))
        corpus.append(("degraded", spec, degrade(low, random.Random(number)), reference, 200))  # noqa: S311
    results = {}
    for name, options in SETTINGS.items():
        if only and name not in only:
            continue
        by_set: dict[str, list] = {"clean": [], "degraded": []}
        seconds = 0.0
        for kind, spec, picture, reference, dpi in corpus:
            if options.get("upscale") and dpi != 300:
                picture = picture.resize((picture.width * 3 // 2, picture.height * 3 // 2), Image.Resampling.LANCZOS)
                dpi = 300
            started = time.perf_counter()
            reading = ocr.tesseract(
                picture, dpi=dpi, psm=options["psm"], prepare=options["prepare"], clean=options.get("clean", True)
            )
            seconds += time.perf_counter() - started
            by_set[kind].append(scores(reference, reading.text, spec))
        summary = {}
        for kind, rows in by_set.items():
            summary[kind] = {
                "cer_percent": round(100 * sum(r["cer"] for r in rows) / len(rows), 2),
                "worst_cer_percent": round(100 * max(r["cer"] for r in rows), 2),
                "word_recall_percent": round(100 * sum(r["word_recall"] for r in rows) / len(rows), 2),
                "codes_percent": round(100 * sum(r["code"] for r in rows) / len(rows)),
                "dates_percent": round(100 * sum(r["date"] for r in rows) / len(rows)),
            }
        summary["pages_per_minute_one_worker"] = round(60 * len(corpus) / seconds, 1)
        results[name] = summary
        print(name, json.dumps(summary, ensure_ascii=False), flush=True)
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pages", type=int, default=6, help="pages of each kind (clean, degraded)")
    parser.add_argument("--setting", action="append", help="only these settings (names of SETTINGS)")
    parser.add_argument("--save-samples", type=Path, help="write the first clean and degraded page as PNG here")
    args = parser.parse_args()
    if args.save_samples:
        spec = page_spec(0)
        clean, _ = draw_page(spec)
        clean.save(args.save_samples / "ocr-clean.png")
        degrade(draw_page(spec, dpi=200)[0], random.Random(0)).save(args.save_samples / "ocr-degraded.png")  # noqa: S311
    results = run(args.pages, args.setting)
    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    (out / f"ocr-{stamp}.json").write_text(json.dumps(results, ensure_ascii=False, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
