"""Money in đồng, written as the institution writes it: `1.234.567 ₫`."""

from decimal import Decimal


def format_dong(amount: int | Decimal | None) -> str:
    """Group thousands with dots and append the đồng sign; no decimals (đồng has no subunit)."""
    if amount is None:
        return "—"
    value = int(Decimal(amount).quantize(Decimal(1)))
    sign = "-" if value < 0 else ""
    return f"{sign}{abs(value):,}".replace(",", ".") + " ₫"
