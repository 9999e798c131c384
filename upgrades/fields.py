"""Money in whole đồng: a model field and a form field that never take a float."""

from decimal import Decimal, InvalidOperation

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

MONEY_HELP = _("Số nguyên đồng, không âm; có thể gõ dấu chấm phân cách hàng nghìn, ví dụ 1.234.567.")


def parse_dong(value) -> int | None:
    """Whole đồng from what a person types or a spreadsheet holds; ValueError when it is not one.

    Accepts 1234567, "1.234.567", "1 234 567", "1.234.567 ₫" and a whole Decimal; refuses
    floats (a float is never money here), fractions, signs and words.
    """
    if value is None:
        return None
    if isinstance(value, bool):
        raise ValueError(value)
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        raise ValueError(value)
    if isinstance(value, Decimal):
        if value != value.to_integral_value():
            raise ValueError(value)
        return int(value)
    text = str(value).strip().replace("₫", "").replace("đồng", "").replace("đ", "").strip()
    if text == "":
        return None
    negative = text.startswith("-")
    digits = text.lstrip("-+").replace(".", "").replace(" ", "").replace("\u00a0", "")
    if not digits.isdigit():
        raise ValueError(value)
    return -int(digits) if negative else int(digits)


class DongFormField(forms.IntegerField):
    """Whole đồng typed as people write it (dots between thousands)."""

    default_error_messages = {
        "invalid": _("Nhập số tiền bằng số nguyên đồng, ví dụ 1.234.567 (không dùng chữ hoặc số lẻ)."),
    }

    def to_python(self, value):
        if value in self.empty_values:
            return None
        try:
            return parse_dong(value)
        except (ValueError, InvalidOperation):
            raise ValidationError(self.error_messages["invalid"], code="invalid") from None

    def prepare_value(self, value):
        # Shown as people write it, so that saving the form again reads it back.
        if isinstance(value, int) and not isinstance(value, bool):
            return f"{value:,}".replace(",", ".")
        return value

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        attrs.pop("step", None)
        attrs["inputmode"] = "numeric"
        return attrs


class DongField(models.BigIntegerField):
    """An amount of money in whole đồng (the đồng has no subunit); a float is refused outright."""

    description = _("Số tiền (đồng)")

    def to_python(self, value):
        if value is None or isinstance(value, int) and not isinstance(value, bool):
            return value
        try:
            return parse_dong(value)
        except (ValueError, InvalidOperation):
            raise ValidationError(
                _("“%(value)s” không phải số tiền nguyên đồng."), code="invalid", params={"value": value}
            ) from None

    def get_prep_value(self, value):
        if isinstance(value, float):
            raise TypeError("Money is kept in whole đồng, never as a float.")
        if isinstance(value, Decimal):
            value = parse_dong(value)
        return super().get_prep_value(value)

    def formfield(self, **kwargs):
        # The admin's numeric widget would refuse "1.234.567"; a text input takes it.
        defaults = {"form_class": DongFormField, "widget": forms.TextInput}
        defaults.update(kwargs)
        return super().formfield(**defaults)
