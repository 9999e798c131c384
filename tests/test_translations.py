"""The English catalogues are complete and the committed .mo files match them."""

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
