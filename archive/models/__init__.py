"""The archive's models, split along the domain: registers (periods, venues, bodies, ...)."""

from archive.models.registers import Body, Period, PeriodSpan, Venue

__all__ = ["Body", "Period", "PeriodSpan", "Venue"]
