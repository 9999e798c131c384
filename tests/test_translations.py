"""The English catalogues are complete and the committed .mo files match them."""

import re
from pathlib import Path

import polib
import pytest

ROOT = Path(__file__).resolve().parent.parent
CATALOGUES = sorted(path for path in ROOT.glob("**/locale/en/LC_MESSAGES/django.po") if ".venv" not in path.parts)


def test_there_is_a_catalogue_for_the_project():
    assert ROOT / "locale/en/LC_MESSAGES/django.po" in CATALOGUES


@pytest.mark.parametrize("po_path", CATALOGUES, ids=lambda p: str(p.relative_to(ROOT)))
def test_english_catalogue_is_complete_and_compiled(po_path):
    po = polib.pofile(str(po_path))
    missing = [entry.msgid for entry in po.untranslated_entries() + po.fuzzy_entries()]
    assert not missing, f"untranslated in {po_path}: {missing[:5]} (run make messages and translate)"
    mo = polib.mofile(str(po_path.with_suffix(".mo")))
    compiled = {(e.msgctxt, e.msgid): (e.msgstr, tuple(sorted(e.msgstr_plural.items()))) for e in mo}
    for entry in po.translated_entries():
        key = (entry.msgctxt, entry.msgid)
        assert compiled.get(key) == (entry.msgstr, tuple(sorted(entry.msgstr_plural.items()))), (
            f"{po_path.with_suffix('.mo')} is out of date for {entry.msgid!r} (run make messages)"
        )


# Python's named and positional placeholders, and str.format's (django-import-export's messages).
PLACEHOLDER = re.compile(r"%\((\w+)\)[sdfi]|%[sdfi]|\{\w*\}")
ALL_CATALOGUES = sorted(path for path in ROOT.glob("**/locale/*/LC_MESSAGES/django.po") if ".venv" not in path.parts)


def _placeholders(text: str) -> list[str]:
    return sorted(match.group(0) for match in PLACEHOLDER.finditer(text.replace("%%", "")))


@pytest.mark.parametrize("po_path", ALL_CATALOGUES, ids=lambda p: str(p.relative_to(ROOT)))
def test_translations_keep_the_placeholders_of_their_source(po_path):
    """A translation that drops or renames a placeholder shows the text without the value
    (a booking's page headed "Visit bookings" without its reference) or fails to format."""
    wrong = []
    for entry in polib.pofile(str(po_path)).translated_entries():
        if entry.msgid_plural:
            wanted = set(_placeholders(entry.msgid_plural))
            for form in entry.msgstr_plural.values():
                if not set(_placeholders(form)) <= wanted | set(_placeholders(entry.msgid)):
                    wrong.append(entry.msgid)
        elif _placeholders(entry.msgid) != _placeholders(entry.msgstr):
            wrong.append(entry.msgid)
    assert not wrong, f"placeholders differ in {po_path}: {wrong[:5]}"


def test_a_msgid_means_one_thing_in_every_catalogue():
    """Django merges the catalogues, so one English wins wherever a Vietnamese msgid appears: the
    same (context, msgid) must say the same in every app's catalogue. Where one Vietnamese word
    means two things ("Từ chối" as a status and as a decision), the source gives each a context."""
    english: dict[tuple[str | None, str], dict[str, str]] = {}
    for path in CATALOGUES:
        for entry in polib.pofile(str(path)):
            if not entry.obsolete and entry.msgstr:
                english.setdefault((entry.msgctxt, entry.msgid), {})[str(path.relative_to(ROOT))] = entry.msgstr
    differing = {key: found for key, found in english.items() if len(set(found.values())) > 1}
    assert not differing, "\n".join(f"{key}: {found}" for key, found in differing.items())


@pytest.mark.parametrize(
    ("context", "msgid", "meanings"),
    [
        ("status", "Từ chối", "Refused"),
        ("decision", "Từ chối", "Refuse"),
        ("item kind", "Ảnh", "Photo"),
        ("file kind", "Ảnh", "Image"),
        ("before a date", "ngày", "on"),
        (None, "ngày", "day"),
        ("count", "Số đăng ký", "Bookings"),
        (None, "Số đăng ký", "Inventory number"),
    ],
)
def test_words_with_two_meanings_are_told_apart(context, msgid, meanings):
    from django.utils import translation

    with translation.override("en"):
        found = translation.pgettext(context, msgid) if context else translation.gettext(msgid)
    assert found == meanings
