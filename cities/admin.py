from django.contrib import admin

from sources.admin import CitationInline

from . import models


class CityNoteInline(admin.TabularInline):
    model = models.CityNote
    extra = 0


@admin.register(models.City)
class CityAdmin(admin.ModelAdmin):
    list_display = ["name", "state", "kind", "entity_name"]
    list_filter = ["kind", "state"]
    search_fields = ["name", "entity_name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [CityNoteInline, CitationInline]


@admin.register(models.ContextFactor)
class ContextFactorAdmin(admin.ModelAdmin):
    list_display = ["city", "kind", "description"]
    list_filter = ["kind"]
    search_fields = ["city__name", "description"]
    list_select_related = ["city"]
    inlines = [CitationInline]


@admin.register(models.Event)
class EventAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "occurred_on", "date_precision", "date_as_written"]
    list_filter = ["kind", "date_precision"]
    search_fields = ["title", "description", "key"]
    filter_horizontal = ["cities"]
    date_hierarchy = "occurred_on"
    inlines = [CitationInline]


@admin.register(models.CityNote)
class CityNoteAdmin(admin.ModelAdmin):
    list_display = ["city", "text"]
    search_fields = ["city__name", "text"]
    list_select_related = ["city"]
    inlines = [CitationInline]


@admin.register(models.Location)
class LocationAdmin(admin.ModelAdmin):
    """Read the gazetteer's coordinates here; the seed writes them (seed/coordinates.py)."""

    list_display = ["city", "place", "basis", "latitude", "longitude", "source"]
    list_filter = ["basis"]
    search_fields = ["city__name", "place"]
    list_select_related = ["city"]
