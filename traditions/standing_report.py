"""The report to the Standing Committee: its figures, taken from the functions the dashboards use,
and its .docx, written from the Word template ``traditions/report_templates/standing_report.docx``
(docxtpl) in the layout of a Party report (Hướng dẫn 36-HD/VPTW).

- the collection and the use of it online: ``archive.usage.collection_figures`` (the collection's
  dashboard);
- the visits: ``bookings.statistics.held_visits`` (the visit statistics page);
- the upgrade work and its budget: ``upgrades.dashboard.dashboard_figures`` (the upgrades dashboard).
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

from django.utils import timezone
from django.utils.translation import gettext as _
from docxtpl import DocxTemplate

from archive.models import Item, UsageKind
from archive.usage import CollectionFigures, DayRange, collection_figures
from basics.money import format_dong
from bookings.statistics import HeldVisits, held_visits
from traditions.institution import institution
from traditions.models import StandingReport
from upgrades.dashboard import Dashboard, dashboard_figures

TEMPLATE = Path(__file__).resolve().parent / "report_templates" / "standing_report.docx"
SIGNATURE_LINES = {
    StandingReport.Signature.HEAD: ["TRƯỞNG BAN"],
    StandingReport.Signature.DEPUTY: ["K/T TRƯỞNG BAN", "PHÓ TRƯỞNG BAN"],
}


@dataclass
class ReportFigures:
    days: DayRange
    collection: CollectionFigures
    visits: HeldVisits
    upgrades: Dashboard

    @property
    def has_data(self) -> bool:
        return bool(self.collection.has_data or self.visits.visits)


def report_figures(days: DayRange) -> ReportFigures:
    """The report's figures for a range of days, from the dashboards' own functions."""
    today = timezone.localdate()
    return ReportFigures(
        days=days,
        collection=collection_figures(days),
        visits=held_visits(start=days.start, end=days.end),
        upgrades=dashboard_figures(on=min(days.end, today)),
    )


def vietnamese_date(day) -> str:
    return _("ngày %(day)02d tháng %(month)02d năm %(year)d") % {"day": day.day, "month": day.month, "year": day.year}


def _signature(report: StandingReport) -> list[str]:
    if report.signature == StandingReport.Signature.STANDING:
        return ["T/M BAN THƯỜNG VỤ", report.signer_position.strip().upper()]
    return SIGNATURE_LINES[report.signature]


def report_context(report: StandingReport, figures: ReportFigures) -> dict:
    """Everything the Word template writes, as text and numbers ready to print."""
    names = institution()
    start, end = figures.days.start, figures.days.end
    collection, visits, upgrades = figures.collection, figures.visits, figures.upgrades
    kinds = [str(label) for _value, label in Item.Kind.choices]
    growth_by_kind = [
        {"label": label, "count": count}
        for label, count in zip(kinds, collection.growth_total.by_kind, strict=True)
        if count
    ]
    growth_by_period = [{"label": row.label, "count": row.total} for row in collection.growth if row.total]
    use_rows = [{"label": row.label, "count": row.count} for row in collection.use_totals]
    budget = upgrades.budget_total
    progress = upgrades.progress_total
    return {
        "superior": names.party_committee.upper(),
        "board": names.board.upper(),
        "symbol": report.symbol,
        "place_date": f"{report.place}, {vietnamese_date(report.issued_on)}",
        "doc_type": _("BÁO CÁO"),
        "summary": _("kết quả quản lý, khai thác %(rooms)s %(period)s")
        % {"rooms": _("Phòng Truyền thống, Nhà Truyền thống"), "period": report.period_label},
        "opening": _(
            "Thực hiện chức năng, nhiệm vụ được giao, %(board)s báo cáo %(standing)s kết quả quản lý, khai thác "
            "%(rooms)s %(period)s (từ ngày %(start)s đến ngày %(end)s) như sau:"
        )
        % {
            "board": names.board_full,
            "standing": names.standing_committee,
            "rooms": names.rooms,
            "period": report.period_label,
            "start": start.strftime("%d/%m/%Y"),
            "end": end.strftime("%d/%m/%Y"),
        },
        "no_data": not figures.has_data,
        "growth_total": collection.growth_total.total,
        "items_published": collection.items_published,
        "growth_by_kind": growth_by_kind,
        "growth_by_period": growth_by_period,
        "contributions_received": collection.contributions_received,
        "contributions_accepted": collection.contributions_accepted,
        "visits": visits.visits,
        "visitors": visits.visitors,
        "by_occasion": [{"label": r.label, "visits": r.visits, "people": r.visitors} for r in visits.by_occasion],
        "by_programme": [{"label": r.label, "visits": r.visits, "people": r.visitors} for r in visits.by_programme],
        "page_views": collection.page_views,
        "use_rows": use_rows,
        "any_use": any(row["count"] for row in use_rows),
        "top_items": [{"label": r.label, "count": r.count} for r in collection.top_items[:5]],
        "top_searches": [{"label": r.label, "count": r.count} for r in collection.top_searches[:5]],
        "empty_searches": [{"label": r.label, "count": r.count} for r in collection.empty_searches[:5]],
        "searches": collection.use(UsageKind.SEARCH),
        "empty_search_count": collection.use(UsageKind.SEARCH_EMPTY),
        "work_items": progress.items,
        "work_done": progress.done,
        "work_overdue": progress.overdue,
        "work_progress": f"{progress.average_progress}".replace(".", ","),
        "budget_on": upgrades.on.strftime("%d/%m/%Y"),
        "estimated": format_dong(budget.estimated),
        "approved": format_dong(budget.approved),
        "spent": format_dong(budget.spent),
        "remaining": format_dong(budget.remaining),
        "budget_rows": [
            {
                "label": row.label,
                "estimated": format_dong(row.estimated),
                "approved": format_dong(row.approved),
                "spent": format_dong(row.spent),
            }
            for row in upgrades.budget_by_venue
        ],
        "closing": _(
            "Trên đây là báo cáo kết quả quản lý, khai thác %(rooms)s %(period)s; %(board)s kính báo cáo %(standing)s."
        )
        % {
            "rooms": _("Phòng Truyền thống, Nhà Truyền thống"),
            "period": report.period_label,
            "board": names.board_full,
            "standing": names.standing_committee,
        },
        "assessment": [line.strip() for line in report.assessment.splitlines() if line.strip()],
        "signature": _signature(report),
        "signer_name": report.signer_name,
        "recipients": [line.strip() for line in report.recipients.splitlines() if line.strip()],
    }


def standing_report_docx(report: StandingReport, figures: ReportFigures | None = None) -> bytes:
    """The report as a .docx document."""
    figures = figures or report_figures(DayRange(*report.days()))
    document = DocxTemplate(TEMPLATE)
    document.render(report_context(report, figures), autoescape=True)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
