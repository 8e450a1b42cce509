"""Reads for the dashboard's map: Figure 6's cities (the same filters and as-of month)
with the coordinates the gazetteer gave each. One query beyond the snapshot's."""

from __future__ import annotations

from charts import freshness
from charts.map_chart import MapPoint
from cities.models import Location
from common.sql import ids_in

from .selectors import DashboardSnapshot


def map_points(snapshot: DashboardSnapshot) -> list[MapPoint]:
    """Every city of the snapshot, in its order, as a map point; a city the gazetteer could
    not place has no coordinates (the table lists it, the map cannot draw it)."""
    locations = {
        location.city_id: location
        for location in Location.objects.filter(city_id__in=ids_in(snapshot.city_ids))
    }
    years = freshness.stale_after_years()
    points = []
    for city in snapshot.cities:
        location = locations.get(city.pk)
        points.append(
            MapPoint(
                label=city.label,
                latitude=float(location.latitude) if location else None,
                longitude=float(location.longitude) if location else None,
                stage_order=city.current_order,
                stage_name=city.current_name or "",
                period_label=city.period_label,
                stale=city.assessed
                and freshness.is_stale(city.current_period, snapshot.as_of, years),
                weak=city.weak,
                place=location.place if location else "",
                basis=location.get_basis_display() if location else "",
                reasoning=location.reasoning if location else "",
                source=location.source if location else "",
            )
        )
    return points
