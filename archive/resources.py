"""Import and export (django-import-export) of items, bodies, people and positions.

Columns have Vietnamese headers; related records are named by natural keys (period by code,
body by name, person by full name, keywords by name separated by ";"); choices are written as
their Vietnamese labels; dates as dd/mm/yyyy. Every wrong cell gets a Vietnamese message naming
its column and the fix. Imports run in one transaction and are all-or-nothing.
"""

from __future__ import annotations

import copy
import datetime
from collections import Counter, deque
from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, MultipleObjectsReturned, ValidationError
from django.db import models, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from import_export import fields, resources, widgets
from simple_history.utils import bulk_create_with_history

from archive.former_codes import FORMER_CODES
from archive.models import Body, InventoryCounter, Item, Keyword, Period, Person, Position, Term, Venue
from archive.models.items import CLASSIFIED_NEVER_OPEN, Dossier, condition_fields, holds
from archive.partial_dates import PartialDate, Precision, from_columns, parse_partial_date
from basics.spreadsheets import read_rows, safe_row
from basics.text import fold

LIST_SEPARATOR = ";"
DATE_FORMAT = "%d/%m/%Y"


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return " ".join(str(value).split())


class TextWidget(widgets.Widget):
    """Text; an empty spreadsheet cell (None) is an empty string, a number typed in Excel its digits."""

    def clean(self, value, row=None, **kwargs):
        if value is None:
            return ""
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        return str(value).strip()

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else str(value)


class VietIntegerWidget(widgets.IntegerWidget):
    """A whole number written in digits ("12"); a word ("ba") or a fraction is a message naming the column."""

    def __init__(self, *, label: str) -> None:
        super().__init__()
        self.label = label

    def clean(self, value, row=None, **kwargs):
        if isinstance(value, bool):
            value = _text(value)
        if isinstance(value, int):
            return value
        if isinstance(value, float) and value.is_integer():
            return int(value)
        text = _text(value).replace(" ", "")
        if not text:
            return None
        if text.lstrip("+-").isdigit():
            return int(text)
        raise ValueError(
            _("%(column)s: “%(value)s” không phải số nguyên; ghi bằng chữ số, ví dụ 12.")
            % {"column": self.label, "value": _text(value)}
        )


class ChoiceLabelWidget(widgets.Widget):
    """A choice written as its Vietnamese label ("Tài liệu văn bản"); the stored code is accepted too,
    and so is a code the field stored before (``former``: former code -> code now)."""

    def __init__(
        self,
        choices: Iterable[tuple[str, object]],
        *,
        label: str,
        default: str | None = None,
        former: dict[str, str] | None = None,
    ) -> None:
        super().__init__()
        self.choices = list(choices)
        self.label = label
        self.default = default
        self.former = former or {}

    def _labels(self) -> dict[str, str]:
        if "_vi_labels" not in self.__dict__:  # the same on every row: built once per widget
            with translation.override("vi"):
                self._vi_labels = {value: str(text) for value, text in self.choices}
        return self._vi_labels

    def _by_folded_label(self) -> dict[str, str]:
        if "_folded_labels" not in self.__dict__:
            by_label = {fold(name): code for code, name in self._labels().items()}
            with translation.override("en"):
                by_label.update({fold(str(name)): code for code, name in self.choices})
            self._folded_labels = by_label
        return self._folded_labels

    def clean(self, value, row=None, **kwargs):
        text = _text(value)
        # The choices are fixed, so a text read once names the same code on every row after.
        known = self.__dict__.setdefault("_codes_by_text", {})
        if text not in known:
            known[text] = self._code(text)
        return known[text]

    def _code(self, text: str):
        labels = self._labels()
        if not text:
            if "" in labels:
                return ""
            return self.default
        if text in labels:
            return text
        if text in self.former:
            return self.former[text]
        folded = fold(text)
        by_label = self._by_folded_label()
        if folded in by_label:
            return by_label[folded]
        raise ValueError(
            _("%(column)s: không có giá trị “%(value)s”; dùng một trong: %(choices)s.")
            % {"column": self.label, "value": text, "choices": ", ".join(n for n in labels.values() if n)}
        )

    def render(self, value, obj=None, **kwargs):
        return self._labels().get(value or "", value or "")


class YesNoWidget(widgets.Widget):
    """A yes/no cell: "Có" or "Không" (also 1/0, x, true/false)."""

    TRUE = {"co", "1", "x", "true", "yes", "dung"}
    FALSE = {"khong", "0", "", "false", "no", "sai"}

    def __init__(self, *, label: str) -> None:
        super().__init__()
        self.label = label

    def clean(self, value, row=None, **kwargs):
        if isinstance(value, bool):
            return value
        text = fold(_text(value))
        if text in self.TRUE:
            return True
        if text in self.FALSE:
            return False
        raise ValueError(
            _("%(column)s: ghi “Có” hoặc “Không” (đã ghi “%(value)s”).") % {"column": self.label, "value": value}
        )

    def render(self, value, obj=None, **kwargs):
        return _("Có") if value else _("Không")


class VietDateWidget(widgets.DateWidget):
    """A full date written dd/mm/yyyy."""

    def __init__(self, *, label: str) -> None:
        super().__init__(format=DATE_FORMAT)
        self.label = label

    def clean(self, value, row=None, **kwargs):
        if isinstance(value, datetime.datetime):
            return value.date()
        if isinstance(value, datetime.date):
            return value
        text = _text(value)
        if not text:
            return None
        for pattern in (DATE_FORMAT, "%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y"):
            try:
                return datetime.datetime.strptime(text, pattern).date()
            except ValueError:
                continue
        raise ValueError(
            _("%(column)s: “%(value)s” không phải ngày hợp lệ; ghi theo dạng ngày/tháng/năm, ví dụ 12/04/2007.")
            % {"column": self.label, "value": text}
        )


class PartialDateWidget(widgets.Widget):
    """A date as cataloguers write it: "12/04/2007", "tháng 4/2007", "khoảng 1950"."""

    def __init__(self, *, label: str) -> None:
        super().__init__()
        self.label = label

    def clean(self, value, row=None, **kwargs):
        if isinstance(value, datetime.datetime):
            value = value.date()
        if isinstance(value, datetime.date):
            return PartialDate(value.year, value.month, value.day)
        text = _text(value)
        if not text:
            return None
        # A partial date is immutable and a text means the same date on every row: parsed once per text.
        parsed = self.__dict__.setdefault("_parsed", {})
        if text not in parsed:
            try:
                parsed[text] = parse_partial_date(text)
            except ValidationError as error:
                raise ValueError(" ".join(error.messages)) from None
        return parsed[text]

    def render(self, value, obj=None, **kwargs):
        return str(value) if value else ""


class ItemDateField(fields.Field):
    """The item's date, written as one cell and stored as start, end, precision and circa."""

    def save(self, instance, row, is_m2m=False, **kwargs):
        instance.set_partial_date(self.clean(row, **kwargs))


class BodyDateField(fields.Field):
    """A body's founding or dissolution date: ``<prefix>_on``, ``<prefix>_precision``, ``<prefix>_circa``."""

    def __init__(self, prefix: str, **kwargs) -> None:
        self.prefix = prefix
        super().__init__(attribute=f"{prefix}_on", **kwargs)

    def get_value(self, instance):
        return from_columns(
            getattr(instance, f"{self.prefix}_on"),
            getattr(instance, f"{self.prefix}_precision"),
            getattr(instance, f"{self.prefix}_circa"),
        )

    def save(self, instance, row, is_m2m=False, **kwargs):
        value = self.clean(row, **kwargs)
        setattr(instance, f"{self.prefix}_on", value.earliest() if value else None)
        setattr(instance, f"{self.prefix}_precision", value.precision if value else Precision.DAY)
        setattr(instance, f"{self.prefix}_circa", value.circa if value else False)


class LookupCache:
    """Lookups remembered for one import (a name read on many rows is looked up once)."""

    def reset_cache(self) -> None:
        self._cache: dict = {}

    def cached(self, key, lookup):
        cache = self.__dict__.setdefault("_cache", {})
        if key not in cache:
            try:
                cache[key] = (lookup(), None)
            except ValueError as error:
                cache[key] = (None, error)
        value, error = cache[key]
        if error is not None:
            raise ValueError(str(error))
        return value


class NaturalKeyWidget(LookupCache, widgets.ForeignKeyWidget):
    """A related record named by its natural key (a period's code, a body's name, a person's full name)."""

    def __init__(
        self, model, field: str, *, label: str, hint: str = "", required: bool = False, none_text: str = ""
    ) -> None:
        super().__init__(model, field)
        self.label = label
        self.hint = hint
        self.required = required
        self.none_text = none_text  # a cell naming no record on purpose ("Ngoài các thời kỳ")

    def render(self, value, obj=None, **kwargs):
        if value is None and self.none_text:
            return self.none_text
        return super().render(value, obj, **kwargs)

    def clean(self, value, row=None, **kwargs):
        text = _text(value)
        if self.none_text and fold(text) == fold(self.none_text):
            return None
        if not text:
            if self.required:
                raise ValueError(
                    _("%(column)s: ô này không được để trống. %(hint)s") % {"column": self.label, "hint": self.hint}
                )
            return None
        return self.cached(text, lambda: self._lookup(text))

    def _lookup(self, text: str):
        try:
            return self.model.objects.get(**{f"{self.field}__iexact": text})
        except self.model.DoesNotExist:
            raise ValueError(
                _("%(column)s: không tìm thấy “%(value)s”. %(hint)s")
                % {"column": self.label, "value": text, "hint": self.hint}
            ) from None
        except MultipleObjectsReturned:
            raise ValueError(
                _("%(column)s: có nhiều bản ghi cùng tên “%(value)s”; sửa tên trong sổ đăng ký cho khỏi trùng.")
                % {"column": self.label, "value": text}
            ) from None


class TermWidget(LookupCache, widgets.ForeignKeyWidget):
    """A term named by its start year, within the row's body."""

    def __init__(self, *, label: str, body_column: str) -> None:
        super().__init__(Term, "start_year")
        self.label = label
        self.body_column = body_column

    def clean(self, value, row=None, **kwargs):
        text = _text(value)
        if not text:
            return None
        body_name = _text((row or {}).get(self.body_column))
        return self.cached((body_name, text), lambda: self._lookup(body_name, text))

    def _lookup(self, body_name: str, text: str):
        terms = Term.objects.filter(body__name__iexact=body_name, start_year=text if text.isdigit() else -1)
        term = terms.first()
        if term is None:
            raise ValueError(
                _(
                    "%(column)s: tổ chức “%(body)s” không có nhiệm kỳ bắt đầu năm “%(value)s”; "
                    "ghi năm bắt đầu của nhiệm kỳ, ví dụ 2010."
                )
                % {"column": self.label, "body": body_name, "value": text}
            )
        return term


class NaturalManyToManyWidget(LookupCache, widgets.ManyToManyWidget):
    """Several related records named by natural key, separated by ";". Keywords may be created."""

    def __init__(self, model, field: str, *, label: str, hint: str = "", create: bool = False) -> None:
        super().__init__(model, separator=LIST_SEPARATOR, field=field)
        self.label = label
        self.hint = hint
        self.create = create

    def clean(self, value, row=None, **kwargs):
        # Sheets repeat the same cell ("thi đua; truyền thống") on many rows: it is resolved once.
        text = _text(value)
        return list(self.cached(("cell", text), lambda: self._resolve(text)))

    def _resolve(self, text: str) -> list:
        names = [" ".join(part.split()) for part in text.split(LIST_SEPARATOR)]
        names = [name for name in names if name]
        found, missing = [], []
        for name in dict.fromkeys(names):
            if self.create:
                found.append(self.cached(("create", fold(name)), lambda name=name: self._keyword(name)))
                continue
            match = self.cached(name, lambda name=name: self._match(name))
            if match is not None:
                found.append(match)
            else:
                missing.append(name)
        if missing:
            raise ValueError(
                _("%(column)s: không tìm thấy hoặc trùng tên: %(names)s. %(hint)s")
                % {"column": self.label, "names": ", ".join(f"“{n}”" for n in missing), "hint": self.hint}
            )
        return found

    def _keyword(self, name: str):
        return Keyword.objects.filter(folded=fold(name)).first() or Keyword.objects.create(name=name)

    def _match(self, name: str):
        matches = list(self.model.objects.filter(**{f"{self.field}__iexact": name})[:2])
        return matches[0] if len(matches) == 1 else None

    def render(self, value, obj=None, **kwargs):
        if value is None:
            return ""
        return self.render_list(value.all())

    def render_list(self, objects) -> str:
        return f"{LIST_SEPARATOR} ".join(str(getattr(o, self.field)) for o in objects)


#: The "Thời kỳ" cell of an item no period covers (the import's headers and values are Vietnamese).
OUTSIDE_PERIODS_CELL = "Ngoài các thời kỳ"


def _period_hint() -> str:
    periods = Period.objects.with_spans()
    return _("Ghi mã thời kỳ: %(codes)s, hoặc “%(outside)s” cho tư liệu không thuộc thời kỳ nào.") % {
        "codes": ", ".join(f"{p.code} ({p.span_label()})" for p in periods),
        "outside": OUTSIDE_PERIODS_CELL,
    }


class VietnameseResource(resources.ModelResource):
    """All-or-nothing imports whose errors are keyed by the Vietnamese column names."""

    # Model fields whose errors belong to another column (Item's date is one column).
    error_columns: dict[str, str] = {}

    def get_full_clean_exclude(self, instance) -> set[str]:
        return set()

    def import_instance(self, instance, row, **kwargs):
        """The row's cells onto ``instance``; the relations are read too, so that a wrong name is
        reported with the other cells, and kept (``_import_m2m``) for when the row is saved."""
        errors: dict = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        relations = {}
        for field in self.get_import_fields():
            if isinstance(field.widget, widgets.ManyToManyWidget) and field.column_name in row:
                try:
                    relations[field.attribute] = list(field.clean(row, **kwargs))
                except ValueError as error:
                    errors[field.attribute] = [ValidationError(str(error), code="invalid")]
        instance._import_m2m = relations
        if errors:
            raise ValidationError(errors)

    def import_field(self, field, instance, row, is_m2m=False, **kwargs):
        # As the library's, without the debug message it formats for every column a sheet leaves
        # out, on every row.
        if field.attribute and field.column_name in row:
            field.save(instance, row, is_m2m, **kwargs)

    def get_import_fields(self):
        # Asked several times per row; the fields do not change during an import (reset in before_import).
        if "_import_fields" not in self.__dict__:
            self._import_fields = super().get_import_fields()
        return list(self._import_fields)

    #: Identifying fields whose column a sheet may leave out: every row is then a new record.
    optional_id_fields: tuple[str, ...] = ()

    def export_resource(self, instance, selected_fields=None, **kwargs):
        # Titles, summaries and names are people's text: none may reach the file as a formula.
        return safe_row(super().export_resource(instance, selected_fields, **kwargs))

    def before_import(self, dataset, **kwargs):
        read_rows(dataset)  # a file these resources exported imports unchanged
        self.__dict__.pop("_import_fields", None)
        self.__dict__.pop("_looked_up_fields", None)
        self._check_id_columns(dataset)
        super().before_import(dataset, **kwargs)
        for field in self.fields.values():
            if isinstance(field.widget, LookupCache):
                field.widget.reset_cache()

    def _check_id_columns(self, dataset) -> None:
        """A sheet without a column that names its records: an empty one where the resource gives
        new records their key (every row is new), else a message naming the column (the library's
        own is in English and names a field, not the column)."""
        headers = dataset.headers or []
        for name in self.get_import_id_fields():
            column = self.fields[name].column_name
            if column in headers:
                continue
            if name not in self.optional_id_fields:
                raise ValueError(
                    _("Tệp thiếu cột “%(column)s”, cột cho biết mỗi dòng là bản ghi nào; tải tệp mẫu và thêm cột này.")
                    % {"column": column}
                )
            dataset.append_col([""] * len(dataset), header=column)

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        """``instance.full_clean()``, except that a related record a widget has just read from the
        database (by its natural key) is not looked up a second time to check that it exists."""
        errors = dict(import_validation_errors or {})
        exclude = {*errors, *self.get_full_clean_exclude(instance)}
        try:
            instance.clean_fields(exclude=exclude | self._looked_up())
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        try:
            instance.clean()
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        if validate_unique:
            exclude |= {name for name in errors if name != NON_FIELD_ERRORS}
            try:
                instance.validate_unique(exclude=exclude)
            except ValidationError as error:
                errors = error.update_error_dict(errors)
        exclude |= {name for name in errors if name != NON_FIELD_ERRORS}
        try:
            self.validate_constraints(instance, exclude)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        if errors:
            raise ValidationError(self._by_column(errors))

    def _looked_up(self) -> set[str]:
        """The fields a widget reads from the database by natural key (the same on every row)."""
        if "_looked_up_fields" not in self.__dict__:
            self._looked_up_fields = {
                field.attribute for field in self.get_import_fields() if isinstance(field.widget, NaturalKeyWidget)
            }
        return self._looked_up_fields

    def validate_constraints(self, instance, exclude: set[str]) -> None:
        instance.validate_constraints(exclude=exclude)

    def _by_column(self, errors: dict) -> dict:
        columns = {field.attribute: field.column_name for field in self.get_import_fields()}
        columns.update(self.error_columns)
        result: dict[str, list] = {}
        for key, messages in errors.items():
            if key == NON_FIELD_ERRORS:
                column = NON_FIELD_ERRORS
            elif key in columns:
                column = columns[key]
            else:
                try:
                    column = str(self._meta.model._meta.get_field(key).verbose_name).capitalize()
                except Exception:
                    column = key
            for message in messages:
                texts = message.messages if isinstance(message, ValidationError) else [str(message)]
                # Each message names its column, as the widgets' do, so that it reads alone.
                if column != NON_FIELD_ERRORS:
                    texts = [t if t.startswith(f"{column}:") else f"{column}: {t}" for t in texts]
                result.setdefault(column, []).extend(texts)
        # In the order of the sheet's columns, the row's own errors last.
        order = {name: index for index, name in enumerate(self.get_diff_headers())}
        return dict(sorted(result.items(), key=lambda pair: order.get(pair[0], len(order))))

    def get_diff_headers(self):
        # The columns a sheet may carry: those of the template, so the preview matches the file.
        return [str(field.column_name) for field in self.template_fields()]

    def get_user_visible_fields(self):
        # The columns the import page lists: the template's.
        return self.template_fields()

    def template_fields(self) -> list:
        """The fields a sheet fills in, in the template's order (read-only ones are exported only)."""
        return [field for field in self.get_import_fields() if not field.readonly]

    def before_save_instance(self, instance, row, **kwargs):
        user = kwargs.get("user")
        if user is not None and getattr(user, "pk", None):
            instance._history_user = user

    @classmethod
    def template_dataset(cls):
        """An empty sheet with the headers and one example row, for staff to fill in."""
        import tablib

        resource = cls()
        headers = [field.column_name for field in resource.template_fields()]
        example = cls.example_row()
        return tablib.Dataset([example.get(h, "") for h in headers], headers=headers)

    EXAMPLE: dict[str, str] = {}
    #: The name of the template's sheet to fill in.
    SHEET_TITLE = gettext_lazy("Dữ liệu")

    @classmethod
    def example_row(cls) -> dict[str, str]:
        return cls.EXAMPLE


class PreviewOnlyDiff(resources.Diff):
    """The per-row diff the admin shows in its preview (a dry run); a real import does not show it."""

    def __init__(self, resource, instance, new):
        self.shown = getattr(resource, "_previewing", True)
        self.left = self._values(resource, instance) if self.shown else []
        self.right = []
        self.new = new

    def compare_with(self, resource, instance):
        if self.shown:
            self.right = self._values(resource, instance)

    def as_html(self):
        return super().as_html() if self.shown else []

    @staticmethod
    def _values(resource, instance):
        # A new row's relations wait for ``bulk_create``; the preview shows them from the row.
        pending = getattr(instance, "_import_m2m", None) if instance.pk is None else None
        return [
            field.widget.render_list(pending[field.attribute])
            if pending and field.attribute in pending
            else field.export(instance)
            for field in resource.template_fields()
        ]


class ItemResource(VietnameseResource):
    """Items, identified by inventory number; a row without one is a new item and gets a number."""

    SHEET_TITLE = gettext_lazy("Tư liệu")

    inventory_number = fields.Field(attribute="inventory_number", column_name="Số đăng ký", widget=TextWidget())
    kind = fields.Field(
        attribute="kind",
        column_name="Loại hình",
        widget=ChoiceLabelWidget(Item.Kind.choices, label="Loại hình", default=Item.Kind.DOCUMENT),
    )
    document_type = fields.Field(
        attribute="document_type",
        column_name="Thể loại văn bản",
        widget=ChoiceLabelWidget(
            Item._meta.get_field("document_type").choices,
            label="Thể loại văn bản",
            default="",
            former=FORMER_CODES["document_type"],
        ),
    )
    title = fields.Field(attribute="title_vi", column_name="Tiêu đề", widget=TextWidget())
    summary = fields.Field(attribute="summary_vi", column_name="Trích yếu nội dung", widget=TextWidget())
    description = fields.Field(attribute="description_vi", column_name="Mô tả", widget=TextWidget())
    number_symbol = fields.Field(attribute="number_symbol", column_name="Số và ký hiệu", widget=TextWidget())
    issuing_body = fields.Field(
        attribute="issuing_body",
        column_name="Cơ quan ban hành",
        widget=NaturalKeyWidget(
            Body, "name", label="Cơ quan ban hành", hint="Ghi đúng tên như trong mục Tổ chức đảng, cơ quan."
        ),
    )
    place_of_issue = fields.Field(attribute="place_of_issue", column_name="Địa danh ban hành", widget=TextWidget())
    date = ItemDateField(
        attribute="partial_date", column_name="Ngày tháng", widget=PartialDateWidget(label="Ngày tháng")
    )
    signer = fields.Field(
        attribute="signer",
        column_name="Người ký",
        widget=NaturalKeyWidget(
            Person, "full_name", label="Người ký", hint="Ghi đúng họ và tên như trong mục Nhân vật."
        ),
    )
    signer_position = fields.Field(attribute="signer_position", column_name="Chức vụ người ký", widget=TextWidget())
    recipients = fields.Field(attribute="recipients", column_name="Nơi nhận", widget=TextWidget())
    confidentiality = fields.Field(
        attribute="confidentiality",
        column_name="Độ mật",
        widget=ChoiceLabelWidget(Item.Confidentiality.choices, label="Độ mật", former=FORMER_CODES["confidentiality"]),
    )
    urgency = fields.Field(
        attribute="urgency",
        column_name="Độ khẩn",
        widget=ChoiceLabelWidget(Item.Urgency.choices, label="Độ khẩn", former=FORMER_CODES["urgency"]),
    )
    period = fields.Field(
        attribute="period",
        column_name="Thời kỳ",
        widget=NaturalKeyWidget(
            Period, "code", label="Thời kỳ", required=True, hint="", none_text=OUTSIDE_PERIODS_CELL
        ),
    )
    bodies = fields.Field(
        attribute="bodies",
        column_name="Tổ chức liên quan",
        widget=NaturalManyToManyWidget(
            Body,
            "name",
            label="Tổ chức liên quan",
            hint="Ghi đúng tên như trong mục Tổ chức đảng, cơ quan, cách nhau bằng “;”.",
        ),
    )
    people = fields.Field(
        attribute="people",
        column_name="Nhân vật liên quan",
        widget=NaturalManyToManyWidget(
            Person,
            "full_name",
            label="Nhân vật liên quan",
            hint="Ghi đúng họ và tên như trong mục Nhân vật, cách nhau bằng “;”.",
        ),
    )
    keywords = fields.Field(
        attribute="keywords",
        column_name="Từ khóa",
        widget=NaturalManyToManyWidget(Keyword, "name", label="Từ khóa", create=True),
    )
    dossier = fields.Field(
        attribute="dossier",
        column_name="Hồ sơ",
        widget=NaturalKeyWidget(Dossier, "code", label="Hồ sơ", hint="Ghi mã hồ sơ, ví dụ HS-2007-01."),
    )
    language = fields.Field(
        attribute="language",
        column_name="Ngôn ngữ",
        widget=ChoiceLabelWidget(Item._meta.get_field("language").choices, label="Ngôn ngữ", default="vi"),
    )
    sheet_count = fields.Field(attribute="sheet_count", column_name="Số tờ", widget=VietIntegerWidget(label="Số tờ"))
    page_count = fields.Field(
        attribute="page_count", column_name="Số trang", widget=VietIntegerWidget(label="Số trang")
    )
    reliability = fields.Field(
        attribute="reliability",
        column_name="Mức độ tin cậy",
        widget=ChoiceLabelWidget(Item.Reliability.choices, label="Mức độ tin cậy", default=Item.Reliability.ORIGINAL),
    )
    material = fields.Field(attribute="material", column_name="Chất liệu", widget=TextWidget())
    dimensions = fields.Field(attribute="dimensions", column_name="Kích thước", widget=TextWidget())
    condition = fields.Field(
        attribute="condition",
        column_name="Tình trạng vật lý",
        widget=ChoiceLabelWidget(Item._meta.get_field("condition").choices, label="Tình trạng vật lý", default=""),
    )
    venue = fields.Field(
        attribute="venue",
        column_name="Nơi lưu giữ",
        widget=NaturalKeyWidget(
            Venue, "name", label="Nơi lưu giữ", hint="Ghi “Phòng Truyền thống” hoặc “Nhà Truyền thống”."
        ),
    )
    location = fields.Field(attribute="location", column_name="Vị trí", widget=TextWidget())
    acquisition_method = fields.Field(
        attribute="acquisition_method",
        column_name="Hình thức sưu tầm",
        widget=ChoiceLabelWidget(Item.Acquisition.choices, label="Hình thức sưu tầm", default=""),
    )
    acquisition_source = fields.Field(attribute="acquisition_source", column_name="Nguồn", widget=TextWidget())
    acquisition_date = fields.Field(
        attribute="acquisition_date", column_name="Ngày tiếp nhận", widget=VietDateWidget(label="Ngày tiếp nhận")
    )
    access_level = fields.Field(
        attribute="access_level",
        column_name="Mức độ tiếp cận",
        widget=ChoiceLabelWidget(Item.AccessLevel.choices, label="Mức độ tiếp cận", default=Item.AccessLevel.PUBLIC),
    )
    embargo_until = fields.Field(
        attribute="embargo_until", column_name="Hạn chế đến ngày", widget=VietDateWidget(label="Hạn chế đến ngày")
    )
    staff_notes = fields.Field(attribute="staff_notes", column_name="Ghi chú nghiệp vụ", widget=TextWidget())
    # Exported for reading; the status changes only through the workflow (send to review, publish).
    status = fields.Field(
        attribute="status",
        column_name="Trạng thái",
        readonly=True,
        widget=ChoiceLabelWidget(Item.Status.choices, label="Trạng thái"),
    )

    error_columns = dict.fromkeys(("date_start", "date_end", "date_precision", "date_circa"), "Ngày tháng")
    optional_id_fields = ("inventory_number",)  # a row without a number is a new item and gets one

    EXAMPLE = {
        "Loại hình": "Tài liệu văn bản",
        "Thể loại văn bản": "kế hoạch",
        "Tiêu đề": "Kế hoạch sưu tầm tư liệu, nâng cấp và khai thác Phòng Truyền thống",
        "Trích yếu nội dung": "Về sưu tầm tư liệu, nâng cấp và khai thác Phòng Truyền thống, Nhà Truyền thống",
        "Số và ký hiệu": "123-KH/ĐUK",
        "Địa danh ban hành": "Hà Nội",
        "Ngày tháng": "12/04/2023",
        "Chức vụ người ký": "Phó Bí thư Thường trực",
        "Nơi nhận": "Các đảng ủy trực thuộc",
        "Độ mật": "Không mật",
        "Độ khẩn": "Thường",
        "Thời kỳ": "TK4",
        "Từ khóa": "sưu tầm; Phòng Truyền thống",
        "Ngôn ngữ": "Tiếng Việt",
        "Số tờ": "3",
        "Số trang": "5",
        "Mức độ tin cậy": "Bản gốc, bản chính",
        "Nơi lưu giữ": "Phòng Truyền thống",
        "Hình thức sưu tầm": "Tiếp nhận, chuyển giao",
        "Mức độ tiếp cận": "Công khai",
    }

    class Meta:
        model = Item
        import_id_fields = ["inventory_number"]
        fields = (
            "inventory_number",
            "kind",
            "document_type",
            "title",
            "summary",
            "description",
            "number_symbol",
            "issuing_body",
            "place_of_issue",
            "date",
            "signer",
            "signer_position",
            "recipients",
            "confidentiality",
            "urgency",
            "period",
            "bodies",
            "people",
            "keywords",
            "dossier",
            "language",
            "sheet_count",
            "page_count",
            "reliability",
            "material",
            "dimensions",
            "condition",
            "venue",
            "location",
            "acquisition_method",
            "acquisition_source",
            "acquisition_date",
            "access_level",
            "embargo_until",
            "staff_notes",
            "status",
        )
        use_transactions = True
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = True
        # New rows are written in batches (see ``bulk_create``); changed rows are saved one by one.
        use_bulk = True
        batch_size = 1000

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self._meta = copy.copy(self._meta)  # this import's own options (``import_row`` sets skip_diff)
        self.fields["period"].widget.hint = _period_hint()
        self._dataset = None
        self._periods: list[Period] | None = None
        self._existing: dict[str, Item] | None = None
        self._numbers: dict[str, deque[str]] | None = None
        self._queued_numbers: set[str] = set()
        self._blank: Item | None = None

    def import_data(self, dataset, dry_run=False, *args, **kwargs):
        self._previewing = dry_run
        return super().import_data(dataset, dry_run, *args, **kwargs)

    def get_diff_class(self):
        return PreviewOnlyDiff

    def import_row(self, row, instance_loader, **kwargs):
        # A real import shows no diff, and a new row's original is a blank item: the library's
        # copy of it (a tenth of the import's time) is skipped, and ``skip_row`` compares the row
        # with a blank item instead. Existing rows keep their copy, which tells an unchanged row.
        previewing = getattr(self, "_previewing", True)  # set by import_data; a copy when unknown
        self._meta.skip_diff = not previewing and self.get_instance(instance_loader, row) is None
        return super().import_row(row, instance_loader, **kwargs)

    def skip_row(self, instance, original, row, import_validation_errors=None):
        if original is None and self._meta.skip_diff:  # a new row of a real import (no copy taken)
            self._meta.skip_diff = False
            if self._blank is None:  # what every new row starts from; only read here
                self._blank = self.init_instance(row)
            original = self._blank
        return super().skip_row(instance, original, row, import_validation_errors)

    def before_import(self, dataset, **kwargs):
        super().before_import(dataset, **kwargs)
        self._dataset = dataset
        self._queued_numbers: set[str] = set()
        self._periods = list(Period.objects.with_spans())
        self._existing = None
        self._numbers = None

    def get_instance(self, instance_loader, row):
        """The item with the row's inventory number; all of them are read in a few queries."""
        column = self.fields["inventory_number"].column_name
        number = _text(row.get(column)) if column in row else ""
        if not number:
            return None
        if self._existing is None:
            self._existing = self._load_existing(self._dataset or instance_loader.dataset)
        return self._existing.get(number)

    def _load_existing(self, dataset) -> dict[str, Item]:
        column = self.fields["inventory_number"].column_name
        if column not in (dataset.headers or ()):
            return {}
        numbers = sorted({_text(value) for value in dataset[column]} - {""})
        existing: dict[str, Item] = {}
        for start in range(0, len(numbers), 500):
            chunk = numbers[start : start + 500]
            queryset = self.get_queryset().filter(inventory_number__in=chunk)
            for item in queryset.prefetch_related("bodies", "people", "keywords"):
                existing[item.inventory_number] = item
        return existing

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        instance._known_periods = self._periods  # the date check reads them once per import
        errors = dict(import_validation_errors or {})
        if instance.pk is None and instance.inventory_number in self._queued_numbers:
            # Two new rows with the same number: the first is not in the database yet to be found.
            errors["inventory_number"] = [instance.unique_error_message(Item, ("inventory_number",))]
        super().validate_instance(instance, errors, validate_unique)

    def validate_constraints(self, instance, exclude: set[str]) -> None:
        """Item's constraints; its check constraints decided in memory (``holds``), as a row per
        query would slow the import down. The database still enforces them when rows are inserted."""
        if not holds(CLASSIFIED_NEVER_OPEN, instance):  # as Item.validate_constraints: clean() named it
            exclude = {*exclude, *condition_fields(CLASSIFIED_NEVER_OPEN)}
        errors = []
        for constraint in Item._meta.constraints:
            if not isinstance(constraint, models.CheckConstraint):
                try:
                    constraint.validate(Item, instance, exclude=exclude)
                except ValidationError as error:
                    errors.append(error)
            elif not condition_fields(constraint.condition) & exclude and not holds(constraint.condition, instance):
                errors.append(
                    ValidationError(constraint.get_violation_error_message(), code=constraint.violation_error_code)
                )
        if errors:
            raise ValidationError(errors)

    def _next_number(self, instance: Item) -> str:
        """The next number of the block taken for this import's new rows, per prefix."""
        if self._numbers is None:
            self._numbers = self._reserve_numbers(self._dataset)
        prefix = Item.PREFIX_BY_KIND.get(instance.kind, Item.DEFAULT_PREFIX)
        block = self._numbers.get(prefix)
        if block:
            return block.popleft()
        return InventoryCounter.next_number(prefix, timezone.localdate().year)

    def _reserve_numbers(self, dataset) -> dict[str, deque[str]]:
        """One counter update per prefix for every row of the sheet without an inventory number."""
        if dataset is None:
            return {}
        number_column = self.fields["inventory_number"].column_name
        kind_field = self.fields["kind"]
        counts: Counter[str] = Counter()
        for row in dataset.dict:
            if _text(row.get(number_column)):
                continue
            if kind_field.column_name in row:
                try:
                    kind = kind_field.clean(row)
                except ValueError:
                    continue  # the row is invalid, and then nothing is saved
            else:
                kind = Item._meta.get_field("kind").get_default()
            counts[Item.PREFIX_BY_KIND.get(kind, Item.DEFAULT_PREFIX)] += 1
        year = timezone.localdate().year
        return {prefix: deque(InventoryCounter.take_numbers(prefix, year, count)) for prefix, count in counts.items()}

    def save_instance(self, instance, is_create, row, **kwargs):
        dry_run_only = not self._is_using_transactions(kwargs) and self._is_dry_run(kwargs)
        if is_create:
            if not instance.inventory_number and not dry_run_only:
                instance.inventory_number = self._next_number(instance)
            self._queued_numbers.add(instance.inventory_number)
            super().save_instance(instance, is_create, row, **kwargs)  # queued for ``bulk_create``
            return
        self.before_save_instance(instance, row, **kwargs)
        if not dry_run_only:
            self.do_instance_save(instance, is_create)
        self.after_save_instance(instance, row, **kwargs)

    def save_m2m(self, instance, row, **kwargs):
        if not self._is_using_transactions(kwargs) and self._is_dry_run(kwargs):
            return
        m2m_fields = [
            field
            for field in self.get_import_fields()
            if isinstance(field.widget, widgets.ManyToManyWidget) and field.attribute and field.column_name in row
        ]
        if instance.pk is None:  # a new row: its relations, read by import_instance, go with ``bulk_create``
            return
        for field in m2m_fields:
            self.import_field(field, instance, row, True, **kwargs)
        instance.refresh_search_text()

    def bulk_create(self, using_transactions, dry_run, raise_errors, batch_size=None, result=None):
        if self.create_instances and (using_transactions or not dry_run):
            try:
                self._create_items(list(self.create_instances))
            except Exception as error:
                self.handle_import_error(result, error, raise_errors)
            finally:
                self.create_instances.clear()

    def _create_items(self, items: list[Item]) -> None:
        """Insert new items with their history and relations in a few queries per batch.

        What ``Item.save()`` and ``refresh_search_text()`` do for one item is done here for all: the
        number and symbol parsed, the search text with the keywords in their stored order. Each
        history record is the one ``Item.save()`` would have written: the item's values, the user
        of the import (``_history_user``), type "+", no change reason.
        """
        keyword_ids = {k.pk for item in items for k in getattr(item, "_import_m2m", {}).get("keywords", ())}
        rank = {pk: i for i, pk in enumerate(Keyword.objects.filter(pk__in=keyword_ids).values_list("pk", flat=True))}
        for item in items:
            item._apply_number_symbol()
            keywords = sorted(getattr(item, "_import_m2m", {}).get("keywords", ()), key=lambda k: rank[k.pk])
            item.search_text = item.build_search_text([k.name for k in keywords])
        # The original columns of the translated texts hold the Vietnamese, as ``Item.save()`` keeps them.
        with transaction.atomic(savepoint=False), translation.override(settings.LANGUAGE_CODE):
            bulk_create_with_history(items, Item, batch_size=self._meta.batch_size)
            for attribute in ("bodies", "people", "keywords"):
                field = Item._meta.get_field(attribute)
                through = field.remote_field.through
                source = through._meta.get_field(field.m2m_field_name()).attname
                target = through._meta.get_field(field.m2m_reverse_field_name()).attname
                links = [
                    through(**{source: item.pk, target: related.pk})
                    for item in items
                    for related in getattr(item, "_import_m2m", {}).get(attribute, ())
                ]
                through.objects.bulk_create(links, batch_size=self._meta.batch_size)

    def get_full_clean_exclude(self, instance) -> set[str]:
        exclude = {"search_text", "partial_date", "date"}
        if not instance.inventory_number:
            exclude.add("inventory_number")  # a new row gets its number on save
        return exclude

    def filter_export(self, queryset, **kwargs):
        return (
            super()
            .filter_export(queryset, **kwargs)
            .select_related("issuing_body", "signer", "period", "dossier", "venue")
            .prefetch_related("bodies", "people", "keywords")
        )

    def before_save_instance(self, instance, row, **kwargs):
        super().before_save_instance(instance, row, **kwargs)
        user = kwargs.get("user")
        if instance.pk is None and user is not None and getattr(user, "pk", None):
            instance.created_by = user


class BodyResource(VietnameseResource):
    """Party bodies, identified by name."""

    SHEET_TITLE = gettext_lazy("Tổ chức")

    name = fields.Field(attribute="name", column_name="Tên", widget=TextWidget())
    name_en = fields.Field(attribute="name_en", column_name="Tên tiếng Anh", widget=TextWidget())
    short_name = fields.Field(attribute="short_name", column_name="Tên viết tắt", widget=TextWidget())
    kind = fields.Field(
        attribute="kind",
        column_name="Loại",
        widget=ChoiceLabelWidget(Body.Kind.choices, label="Loại", default=Body.Kind.SUBORDINATE),
    )
    period = fields.Field(
        attribute="period", column_name="Thời kỳ", widget=NaturalKeyWidget(Period, "code", label="Thời kỳ")
    )
    parent = fields.Field(
        attribute="parent",
        column_name="Trực thuộc",
        widget=NaturalKeyWidget(Body, "name", label="Trực thuộc", hint="Ghi đúng tên tổ chức cấp trên."),
    )
    predecessors = fields.Field(
        attribute="predecessors",
        column_name="Tiền thân",
        widget=NaturalManyToManyWidget(Body, "name", label="Tiền thân", hint="Ghi đúng tên, cách nhau bằng “;”."),
    )
    founded = BodyDateField("founded", column_name="Ngày thành lập", widget=PartialDateWidget(label="Ngày thành lập"))
    dissolved = BodyDateField("dissolved", column_name="Ngày giải thể", widget=PartialDateWidget(label="Ngày giải thể"))
    summary = fields.Field(attribute="summary", column_name="Giới thiệu", widget=TextWidget())
    summary_en = fields.Field(attribute="summary_en", column_name="Giới thiệu tiếng Anh", widget=TextWidget())

    error_columns = {
        "founded_precision": "Ngày thành lập",
        "founded_circa": "Ngày thành lập",
        "dissolved_precision": "Ngày giải thể",
        "dissolved_circa": "Ngày giải thể",
    }
    EXAMPLE = {
        "Tên": "Đảng ủy Bộ Ví dụ",
        "Tên viết tắt": "ĐUBVD",
        "Loại": "Đảng ủy trực thuộc",
        "Thời kỳ": "TK4",
        "Ngày thành lập": "tháng 4/2007",
        "Trực thuộc": "",
    }

    class Meta:
        model = Body
        import_id_fields = ["name"]
        fields = (
            "name",
            "name_en",
            "short_name",
            "kind",
            "period",
            "parent",
            "predecessors",
            "founded",
            "dissolved",
            "summary",
            "summary_en",
        )
        use_transactions = True
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = True

    def filter_export(self, queryset, **kwargs):
        return (
            super()
            .filter_export(queryset, **kwargs)
            .select_related("period", "parent")
            .prefetch_related("predecessors")
        )


class PersonResource(VietnameseResource):
    """People, identified by their number in the register ("Mã số"); blank for a new person."""

    SHEET_TITLE = gettext_lazy("Nhân vật")

    id = fields.Field(attribute="id", column_name="Mã số", widget=VietIntegerWidget(label="Mã số"))
    full_name = fields.Field(attribute="full_name", column_name="Họ và tên", widget=TextWidget())
    other_names = fields.Field(attribute="other_names", column_name="Tên gọi khác, bí danh", widget=TextWidget())
    birth_year = fields.Field(
        attribute="birth_year", column_name="Năm sinh", widget=VietIntegerWidget(label="Năm sinh")
    )
    death_year = fields.Field(attribute="death_year", column_name="Năm mất", widget=VietIntegerWidget(label="Năm mất"))
    hometown = fields.Field(attribute="hometown", column_name="Quê quán", widget=TextWidget())
    biography = fields.Field(attribute="biography", column_name="Tiểu sử", widget=TextWidget())

    EXAMPLE = {"Họ và tên": "Nguyễn Văn Ví Dụ", "Năm sinh": "1920", "Quê quán": "Hà Nội"}

    class Meta:
        model = Person
        import_id_fields = ["id"]
        fields = (
            "id",
            "full_name",
            "other_names",
            "birth_year",
            "death_year",
            "hometown",
            "biography",
        )
        use_transactions = True
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = True

    def get_full_clean_exclude(self, instance) -> set[str]:
        return {"sort_name", "folded_name"}


class PositionResource(VietnameseResource):
    """Positions (a person's seat in a body's committee), identified by "Mã số"; blank for a new one."""

    SHEET_TITLE = pgettext_lazy("sheet", "Chức vụ")

    id = fields.Field(attribute="id", column_name="Mã số", widget=VietIntegerWidget(label="Mã số"))
    person = fields.Field(
        attribute="person",
        column_name="Nhân vật",
        widget=NaturalKeyWidget(
            Person, "full_name", label="Nhân vật", required=True, hint="Ghi đúng họ và tên như trong mục Nhân vật."
        ),
    )
    body = fields.Field(
        attribute="body",
        column_name="Tổ chức",
        widget=NaturalKeyWidget(
            Body, "name", label="Tổ chức", required=True, hint="Ghi đúng tên như trong mục Tổ chức đảng, cơ quan."
        ),
    )
    term = fields.Field(
        attribute="term",
        column_name="Nhiệm kỳ (từ năm)",
        widget=TermWidget(label="Nhiệm kỳ (từ năm)", body_column="Tổ chức"),
    )
    role = fields.Field(
        attribute="role", column_name="Chức vụ", widget=ChoiceLabelWidget(Position.Role.choices, label="Chức vụ")
    )
    is_interim = fields.Field(attribute="is_interim", column_name="Lâm thời", widget=YesNoWidget(label="Lâm thời"))
    start_date = fields.Field(attribute="start_date", column_name="Từ ngày", widget=VietDateWidget(label="Từ ngày"))
    end_date = fields.Field(attribute="end_date", column_name="Đến ngày", widget=VietDateWidget(label="Đến ngày"))
    note = fields.Field(attribute="note", column_name="Ghi chú", widget=TextWidget())

    EXAMPLE = {
        "Nhân vật": "Nguyễn Văn Ví Dụ",
        "Chức vụ": "Bí thư",
        "Lâm thời": "Không",
        "Từ ngày": "01/04/2007",
    }

    @classmethod
    def example_row(cls) -> dict[str, str]:
        # The institution's own party organisation, as its record names it (archive.institution).
        from archive.institution import current

        return {**cls.EXAMPLE, "Tổ chức": current().name}

    class Meta:
        model = Position
        import_id_fields = ["id"]
        fields = (
            "id",
            "person",
            "body",
            "term",
            "role",
            "is_interim",
            "start_date",
            "end_date",
            "note",
        )
        use_transactions = True
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = True

    def get_full_clean_exclude(self, instance) -> set[str]:
        return {"role_rank"}

    def filter_export(self, queryset, **kwargs):
        return super().filter_export(queryset, **kwargs).select_related("person", "body", "term")
