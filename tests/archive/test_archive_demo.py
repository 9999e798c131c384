"""The demonstration catalogue: believable, marked as sample, access control on show, idempotent."""

import io
from collections import Counter
from pathlib import Path

from django.conf import settings
from django.utils import timezone
from PIL import Image

from archive import demo
from archive.models import Body, Congress, Dossier, Item, Keyword, MediaFile, Period, Person, Position, Term


def _counts() -> dict[str, int]:
    media_root = Path(settings.MEDIA_ROOT)
    return {
        "items": Item.objects.count(),
        "media": MediaFile.objects.count(),
        "people": Person.objects.count(),
        "positions": Position.objects.count(),
        "congresses": Congress.objects.count(),
        "terms": Term.objects.count(),
        "keywords": Keyword.objects.count(),
        "dossiers": Dossier.objects.count(),
        "bodies": Body.objects.count(),
        "stored": sum(1 for p in media_root.rglob("*") if p.is_file()) if media_root.exists() else 0,
    }


def _check_catalogue() -> None:
    specs = {spec.title: spec for spec in demo.ITEMS}
    items = {item.title: item for item in Item.objects.select_related("period", "signer").prefetch_related("media")}
    assert set(items) == set(specs)
    assert len(items) >= 60

    # What the public sees is exactly what is meant to be public.
    public_titles = set(Item.objects.public().values_list("title", flat=True))
    assert public_titles == {title for title, spec in specs.items() if spec.meant_public}
    assert 40 <= len(public_titles) < len(items)

    # Access control on show: each kind of hidden item exists and stays hidden.
    hidden = {
        "draft": Item.objects.filter(status=Item.Status.DRAFT),
        "in review": Item.objects.filter(status=Item.Status.IN_REVIEW),
        "withdrawn": Item.objects.filter(status=Item.Status.WITHDRAWN),
        "confidential": Item.objects.exclude(confidentiality=""),
        "restricted": Item.objects.filter(access_level=Item.AccessLevel.RESTRICTED),
        "embargoed": Item.objects.filter(embargo_until__gt=timezone.localdate()),
    }
    for label, queryset in hidden.items():
        assert queryset.exists(), label
        assert not queryset.filter(pk__in=Item.objects.public()).exists(), label
    confidential = hidden["confidential"].get()
    assert confidential.access_level == Item.AccessLevel.INTERNAL
    embargoed = hidden["embargoed"].get()
    assert embargoed.status == Item.Status.PUBLISHED and embargoed.access_level == Item.AccessLevel.PUBLIC

    # Every period and kind is covered, with dates inside the period's spans.
    per_period = Counter(item.period.code for item in items.values())
    assert set(per_period) == set(Period.objects.values_list("code", flat=True))
    assert min(per_period.values()) >= 10
    for period in Period.objects.all():
        assert Item.objects.public().filter(period=period).exists()
    assert {item.kind for item in items.values()} == set(Item.Kind.values)
    for item in items.values():
        assert item.period.contains_year(item.date_start.year), item.title
        assert item.period.contains_year(item.date_end.year), item.title
    precisions = {item.date_precision for item in items.values()}
    assert {"day", "month", "year"} <= precisions
    assert any(item.date_circa for item in items.values())
    numbered = [item for item in items.values() if item.number_symbol]
    assert len(numbered) >= 20
    assert all(item.type_code and item.issuer_code for item in numbered)

    # Sample marking: everything but the 2023 plan, which is real and signed by Lại Xuân Lâm.
    real = [item for item in items.values() if not item.is_sample]
    assert len(real) == 1
    plan = real[0]
    assert plan.title.startswith("Kế hoạch sưu tầm tư liệu, nâng cấp và khai thác Phòng Truyền thống")
    assert plan.signer.full_name == "Lại Xuân Lâm" and not plan.signer.is_sample
    assert plan.date_start.year == 2023 and plan.is_public and plan.is_featured
    assert Position.objects.filter(
        person=plan.signer, role=Position.Role.DEPUTY_SECRETARY, body__name=demo.BLOC, term__start_year=2020
    ).exists()
    assert not Person.objects.filter(is_sample=False).exclude(pk=plan.signer.pk).exists()
    assert not Congress.objects.filter(is_sample=False).exists()
    assert not Term.objects.filter(is_sample=False).exists()

    # Committees per term: a secretary, deputies, standing and executive members.
    for term in Term.objects.filter(body__name=demo.BLOC):
        roles = Counter(term.positions.values_list("role", flat=True))
        assert roles[Position.Role.SECRETARY] == 1
        assert roles[Position.Role.DEPUTY_SECRETARY] == 2
        assert roles[Position.Role.STANDING_MEMBER] == 3
        assert roles[Position.Role.EXECUTIVE_MEMBER] == 4

    featured = Item.objects.filter(is_featured=True)
    assert featured.count() >= 5
    assert all(item.is_public and item.media.exists() for item in featured)

    video = items["Video clip giới thiệu lịch sử Đảng bộ Khối các cơ quan Trung ương"]
    assert video.kind == Item.Kind.VIDEO and video.is_public
    assert video.media.get().kind == MediaFile.Kind.IMAGE  # the poster; the clip itself comes from staff

    # Media were stored through the media service: derivatives exist, made from the pictures.
    media_files = list(MediaFile.objects.select_related("item"))
    # A classified item is a record only (archive.secrecy): the demo gives it no file.
    assert len(media_files) == sum(1 for spec in specs.values() if spec.picture and not spec.confidentiality)
    assert not MediaFile.objects.exclude(item__confidentiality="").exists()
    assert {media.kind for media in media_files} == {"image", "pdf", "audio"}
    for media in media_files:
        assert media.is_primary and len(media.sha256) == 64
        assert media.original_name and "/" not in media.original_name
        assert media.file.storage.exists(media.file.name)
        derivatives = [media.thumbnail, media.medium, media.large]
        if media.kind == MediaFile.Kind.AUDIO:
            assert not any(derivatives)
            continue
        assert all(derivatives), media.original_name
        assert media.width and media.height
        with media.thumbnail.open("rb") as handle, Image.open(io.BytesIO(handle.read())) as thumb:
            assert thumb.format == "JPEG" and max(thumb.size) == 320


def test_seed_builds_the_catalogue_and_a_second_run_adds_nothing(db):
    out = io.StringIO()
    demo.seed(out)
    assert f"thêm {len(demo.ITEMS)}," in out.getvalue()
    _check_catalogue()
    before = _counts()

    out = io.StringIO()
    demo.seed(out)
    assert "thêm 0," in out.getvalue()
    assert _counts() == before
    _check_catalogue()


def test_seed_demo_writes_the_vietnamese_columns_with_english_active(db):
    """A caller with English active (a test after an /en/ request, a shell) still seeds Vietnamese."""
    from django.core.management import call_command
    from django.utils import translation

    with translation.override("en"):
        call_command("seed_demo", stdout=io.StringIO())
    spec = demo.ITEMS[0]
    assert Item.objects.filter(title_vi=spec.title).exists()
    assert not Item.objects.filter(title_vi="").exists()
