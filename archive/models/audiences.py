"""Who sees which items on the public pages: the public rule, widened for confirmed members.

Anonymous visitors and signed-in people without a standing see ``public_condition``; a person
holding ``archive.view_internal_item`` (a member of the Bloc whom staff confirmed, see
``reading.backends``, or a staff role) also sees published, unclassified "internal" items. Both
come from ``readable_condition``, so the embargo, the status and the classification are stated
once. Restricted and classified items are never on the public pages for anyone.
"""

from __future__ import annotations

import datetime

from django.db.models import Q

from archive.models.items import OPEN_ACCESS, Item, holds, public_condition, readable_condition

MEMBER_ACCESS = OPEN_ACCESS | Q(access_level="internal")
INTERNAL_PERMISSION = "archive.view_internal_item"


def sees_internal(user) -> bool:
    """Whether ``user`` is shown internal items (an active account holding the permission)."""
    return bool(user is not None and user.is_authenticated and user.is_active and user.has_perm(INTERNAL_PERMISSION))


def member_condition(today: datetime.date | None = None) -> Q:
    """What a confirmed member may see on ``today``: public and internal items."""
    return readable_condition(MEMBER_ACCESS, today)


def audience_condition(user, today: datetime.date | None = None) -> Q:
    """The items ``user`` may see on the public pages on ``today``."""
    return member_condition(today) if sees_internal(user) else public_condition(today)


def items_for(user, today: datetime.date | None = None):
    """``Item.objects.public()`` for this audience: the public items, and for members the internal ones."""
    return Item.objects.filter(audience_condition(user, today))


def item_visible_to(user, item: Item) -> bool:
    """``audience_condition`` decided for one item in memory."""
    return holds(audience_condition(user), item)
