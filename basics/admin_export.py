"""The admin's export page (django-import-export) naming each column as the file heads it."""

import contextlib

from django.core.exceptions import FieldDoesNotExist
from django.utils.text import capfirst
from import_export.forms import SelectableFieldsExportForm


class ColumnNamedExportForm(SelectableFieldsExportForm):
    """Each box of the export page bears its column's heading in the file (the resource's
    `column_name`, else the model field's verbose name), not the attribute's English name."""

    def __init__(self, formats, resources, **kwargs):
        super().__init__(formats, resources, **kwargs)
        for resource in resources:
            instance = resource()
            model = instance._meta.model
            for name in instance.get_export_order():
                box = self.fields.get(self.create_boolean_field_name(resource, name))
                field = instance.fields.get(name)
                if box is None or field is None:
                    continue
                label = field.column_name
                if label == name:
                    # A computed column with no model field keeps its name.
                    with contextlib.suppress(FieldDoesNotExist):
                        label = capfirst(model._meta.get_field(field.attribute or name).verbose_name)
                box.label = label
