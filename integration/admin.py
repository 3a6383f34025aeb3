from django import forms
from django.contrib import admin

from .models import Delivery, Endpoint, ImportBatch


class EndpointForm(forms.ModelForm):
    url = forms.URLField(max_length=500, assume_scheme="https")

    class Meta:
        model = Endpoint
        fields = ["name", "department", "national", "url", "secret", "active"]
        # The secret can be set or replaced, never read back.
        widgets = {"secret": forms.PasswordInput(render_value=False)}


@admin.register(Endpoint)
class EndpointAdmin(admin.ModelAdmin):
    form = EndpointForm
    list_display = ("name", "department", "national", "url", "active")
    list_filter = ("national", "active")

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        form.base_fields["secret"].required = obj is None
        return form

    def save_model(self, request, obj, form, change):
        if change and not form.cleaned_data.get("secret"):
            obj.secret = Endpoint.objects.get(pk=obj.pk).secret  # left blank: keep the stored secret
        super().save_model(request, obj, form, change)


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    list_display = ("public_id", "event", "department", "state", "attempts", "last_status", "created_at")
    list_filter = ("state", "event", "department")
    search_fields = ("public_id", "case_number")
    readonly_fields = [f.name for f in Delivery._meta.fields]

    def has_add_permission(self, request):
        return False


@admin.register(ImportBatch)
class ImportBatchAdmin(admin.ModelAdmin):
    list_display = ("filename", "actor", "created_at", "imported_rows", "unchanged_rows", "rejected_rows")
    readonly_fields = [f.name for f in ImportBatch._meta.fields]

    def has_add_permission(self, request):
        return False
