"""The archive's models, split along the domain: registers, the catalogue, media, contributions."""

from archive.models.audiences import audience_condition, item_visible_to, items_for, sees_internal
from archive.models.batches import IngestBatch, IngestFile
from archive.models.captions import CaptionTrack
from archive.models.contributions import Contribution, ContributionFile
from archive.models.institution import Institution
from archive.models.items import Dossier, InventoryCounter, Item, ItemQuerySet
from archive.models.media import MediaFile
from archive.models.offline import OfflineTransfer
from archive.models.pages import PageText
from archive.models.preservation import FixityRun, PreservationEvent, StoredChecksum
from archive.models.registers import Body, Congress, Keyword, Period, PeriodSpan, Person, Position, Term, Venue
from archive.models.transfer import TransferPackage
from archive.models.usage import UsageCount, UsageKind

__all__ = [
    "Body",
    "CaptionTrack",
    "Congress",
    "Contribution",
    "ContributionFile",
    "Dossier",
    "IngestBatch",
    "IngestFile",
    "FixityRun",
    "Institution",
    "InventoryCounter",
    "Item",
    "ItemQuerySet",
    "Keyword",
    "MediaFile",
    "OfflineTransfer",
    "PageText",
    "Period",
    "PeriodSpan",
    "Person",
    "Position",
    "PreservationEvent",
    "StoredChecksum",
    "Term",
    "UsageCount",
    "UsageKind",
    "TransferPackage",
    "Venue",
    "audience_condition",
    "item_visible_to",
    "items_for",
    "sees_internal",
]
