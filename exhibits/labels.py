"""The QR label sheet: an A4 page of labels (title, inventory number, date, QR of the short URL) for
the showcases. Staff reach it from the item list's action in the admin (archive's "print QR
labels"), which names this view by its URL, ``exhibits:qr_labels``, with the selected items in the
query string. A label leads the public to an item page, so only public items get one.
"""

from django.contrib import messages
from django.contrib.admin.views.decorators import staff_member_required
from django.contrib.auth.decorators import permission_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from archive.models import Item
from exhibits.qr import qr_svg_inline, short_url

LABELS_PER_PAGE = 12


def selected_ids(request: HttpRequest) -> list[int]:
    """The item keys of ``?ids=3,5,8``; anything that is not a key is left out."""
    return [int(part) for part in request.GET.get("ids", "").split(",") if part.strip().isdigit()]


@never_cache
@require_safe
@staff_member_required
@permission_required("archive.view_item", raise_exception=True)
def qr_labels(request: HttpRequest) -> HttpResponse:
    """The sheet of the selected public items; the others are named in a warning. With no public
    item among them, back to the item list, where the warning shows."""
    ids = selected_ids(request)
    selected = list(Item.objects.filter(pk__in=ids).order_by("inventory_number"))
    public_ids = set(Item.objects.public().filter(pk__in=ids).values_list("pk", flat=True))
    refused = [item for item in selected if item.pk not in public_ids]
    if refused:
        messages.warning(
            request,
            ngettext(
                "Không in nhãn cho %(count)d tư liệu chưa công khai (%(numbers)s): "
                "chỉ tư liệu đã công bố, công khai mới có nhãn QR.",
                "Không in nhãn cho %(count)d tư liệu chưa công khai (%(numbers)s): "
                "chỉ tư liệu đã công bố, công khai mới có nhãn QR.",
                len(refused),
            )
            % {"count": len(refused), "numbers": ", ".join(i.inventory_number for i in refused[:10])},
        )
    labels = [
        {
            "item": item,
            "url": short_url(item.inventory_number),
            "qr": qr_svg_inline(short_url(item.inventory_number), scale=3, title=item.inventory_number),
        }
        for item in selected
        if item.pk in public_ids
    ]
    if not labels:
        return HttpResponseRedirect(reverse("admin:archive_item_changelist"))
    pages = [labels[i : i + LABELS_PER_PAGE] for i in range(0, len(labels), LABELS_PER_PAGE)]
    return render(request, "exhibits/admin/qr_labels.html", {"pages": pages, "count": len(labels)})
