"""The archive's models, split along the domain: registers, the catalogue, media, contributions."""

from archive.models.contributions import Contribution, ContributionFile
from archive.models.items import Dossier, InventoryCounter, Item, ItemQuerySet
from archive.models.media import MediaFile
from archive.models.registers import Body, Congress, Keyword, Period, PeriodSpan, Person, Position, Term, Venue

__all__ = [
    "Body",
    "Congress",
    "Contribution",
    "ContributionFile",
    "Dossier",
    "InventoryCounter",
    "Item",
    "ItemQuerySet",
    "Keyword",
    "MediaFile",
    "Period",
    "PeriodSpan",
    "Person",
    "Position",
    "Term",
    "Venue",
]
