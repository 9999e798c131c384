"""Background jobs of the project package (django-tasks): the report to the Standing Committee."""

from __future__ import annotations

import logging

from django.core.files.base import ContentFile
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from traditions.models import StandingReport

logger = logging.getLogger(__name__)


@task()
def generate_standing_report(report_id: int) -> str:
    """Make the report's .docx from the dashboards' figures; its state (ready, or failed with a reason)."""
    from traditions.standing_report import standing_report_docx

    report = StandingReport.objects.filter(pk=report_id).first()
    if report is None:
        return "missing"
    StandingReport.objects.filter(pk=report.pk).update(status=StandingReport.Status.WORKING, failure_reason="")
    try:
        content = standing_report_docx(report)
    except Exception as error:  # the reason is shown to staff; the row must not stay "working"
        logger.exception("standing report %s failed", report.pk)
        StandingReport.objects.filter(pk=report.pk).update(
            status=StandingReport.Status.FAILED,
            failure_reason=_("Không lập được báo cáo: %(error)s") % {"error": error},
            finished_at=timezone.now(),
        )
        return StandingReport.Status.FAILED
    old_name = report.file.name
    report.file.save(f"bao-cao-{report.number}.docx", ContentFile(content), save=False)
    StandingReport.objects.filter(pk=report.pk).update(
        file=report.file.name, status=StandingReport.Status.READY, finished_at=timezone.now()
    )
    if old_name and old_name != report.file.name:
        report.file.storage.delete(old_name)
    return StandingReport.Status.READY


def standing_report_enqueue(*, report: StandingReport) -> None:
    """Mark a saved report as waiting and queue its making, in the caller's transaction (a job row of
    the database backend, as the archive's media jobs are)."""
    StandingReport.objects.filter(pk=report.pk).update(status=StandingReport.Status.WAITING, failure_reason="")
    report.status = StandingReport.Status.WAITING
    generate_standing_report.enqueue(report.pk)
