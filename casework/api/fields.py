from django.utils.translation import gettext_lazy as _
from rest_framework import serializers
from rest_framework.utils import html

from casework.identifiers import normalise_department_code
from casework.models import Department


class DepartmentCodeField(serializers.SlugRelatedField):
    default_error_messages = {
        "does_not_exist": _("No department has the code “{value}”."),
        "invalid": _("Give a department code."),
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("slug_field", "code")
        kwargs.setdefault("queryset", Department.objects.all())
        super().__init__(**kwargs)

    def get_value(self, dictionary):
        # Form input: DRF turns an empty value into null before validation; keep it empty to refuse it.
        value = super().get_value(dictionary)
        if value is None and html.is_html_input(dictionary) and dictionary.get(self.field_name) == "":
            return ""
        return value

    def run_validation(self, data=serializers.empty):
        # DRF's related fields read "" as null; an empty code is a mistake to name, not "no department"
        # (the schema says: a code, or null). Found by the schema-driven fuzz run (issue 12).
        if data == "":
            self.fail("invalid")
        return super().run_validation(data)

    def to_internal_value(self, data):
        # However it was typed (Ｘｙ－ｍａｒｋｅｔ, " XY-market "): the same folding as the import's.
        if not isinstance(data, str):
            self.fail("invalid")
        code = normalise_department_code(data)
        department = self.get_queryset().filter(code__iexact=code).first()
        if department is None:
            self.fail("does_not_exist", slug_name=self.slug_field, value=code)
        return department


class PublicIdField(serializers.SlugRelatedField):
    """Refers to a row by its UUID: public URLs and payloads never carry sequential ids."""

    default_error_messages = {
        "does_not_exist": _("Nothing with the id “{value}” is visible to you."),
        "invalid": _("Give an id (a UUID)."),
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("slug_field", "public_id")
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        try:
            return super().to_internal_value(data)
        except serializers.ValidationError:
            raise
        except Exception:  # a malformed UUID is a field error, not a 500
            self.fail("does_not_exist", slug_name=self.slug_field, value=str(data))


def represent_fast(serializer: serializers.Serializer, instance, fast: dict) -> dict:
    """`serializer`'s representation of `instance` in its declared field order, taking each value from
    `fast` (built directly, issue 13) where present and from the field's own generic path otherwise — so a
    field added to the serializer later is never left out."""
    data = {}
    for name, field in serializer.fields.items():
        if name in fast:
            data[name] = fast[name]
            continue
        attribute = field.get_attribute(instance)
        data[name] = None if attribute is None else field.to_representation(attribute)
    return data


class HistoryEventSerializer(serializers.Serializer):
    at = serializers.DateTimeField()
    actor = serializers.CharField(source="actor_label")
    action = serializers.CharField()
    from_state = serializers.CharField()
    to_state = serializers.CharField()
    note = serializers.CharField()
    stream = serializers.CharField()
