"""What the public visiting page shows of the booking rules: each venue's opening hours."""

from django import template

from bookings.selectors import closes_on_public_holidays, opening_hours

register = template.Library()


@register.inclusion_tag("bookings/_opening_hours.html")
def venue_opening_hours(venue) -> dict:
    """The venue's opening hours by weekday (consecutive days with the same hours in one line)."""
    return {"rows": opening_hours(venue), "holidays": closes_on_public_holidays(venue)}
