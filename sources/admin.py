from django.contrib import admin
from django.contrib.contenttypes.admin import GenericTabularInline
from django.db.models.functions import Length

from . import models


class CitationInline(GenericTabularInline):
    model = models.Citation
    extra = 0
    fields = ["field", "source", "quote", "location", "provenance", "reasoning", "is_primary"]
    autocomplete_fields = ["source"]


@admin.register(models.Source)
class SourceAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "authors", "date_as_written", "document_file", "text_status"]
    list_filter = ["kind", "text_status"]
    search_fields = ["title", "authors", "key"]
    inlines = [CitationInline]


@admin.register(models.Citation)
class CitationAdmin(admin.ModelAdmin):
    list_display = ["content_type", "object_id", "field", "source", "provenance", "is_primary"]
    list_filter = ["provenance", "source", "content_type"]
    search_fields = ["quote", "reasoning"]
    list_select_related = ["content_type", "source"]


@admin.register(models.SourceFile)
class SourceFileAdmin(admin.ModelAdmin):
    """Uploaded files, for housekeeping: which source, when, how large; never the bytes."""

    list_display = ["name", "source", "uploaded_at", "size"]
    fields = ["source", "name", "uploaded_at", "size"]
    readonly_fields = fields
    list_select_related = ["source"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .defer("data", "source__text")
            .annotate(data_size=Length("data"))
        )

    def has_add_permission(self, request):
        return False

    @admin.display(description="Size (bytes)", ordering="data_size")
    def size(self, obj) -> int:
        return obj.data_size
