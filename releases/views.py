from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from accounts.roles import is_lead, lead_required
from charts import charts, tables
from charts.panels import Panel
from charts.rows import SourcesNote

from . import selectors, services
from .forms import ReleaseForm


def release_list(request):
    context = {"releases": selectors.release_list()}
    if is_lead(request.user):  # a lead decides when to make the next release
        context["unreleased"] = selectors.unreleased_changes()
    return render(request, "releases/release_list.html", context)


def _frozen_figure6_panel(release, cities) -> Panel:
    """Figure 6 as the release's own files draw it, as of the release date."""
    as_of = release.created_at.date()
    return Panel(
        key="progress",
        title=f"Progress and backsliding (Figure 6) in release {release.number}",
        summary="Each city's bar runs to its stage as of the release date, from the"
        " release's own files; the orange striped part is the ground lost since its peak.",
        figure=charts.progress_figure(cities, selectors.frozen_stages(release), as_of=as_of),
        table=tables.progress_table(cities, as_of=as_of),
        sources=SourcesNote(
            titles=(f"Compact Tracker data release {release.number}",),
            newest_period=max((c.current_period for c in cities if c.assessed), default=None),
        ),
        csv_url=reverse("releases:release-file", args=[release.number, "data/assessments.csv"]),
    )


def release_detail(request, number: str):
    release = selectors.release_detail(number=number)
    cities = selectors.frozen_standings(release)
    context = {
        "release": release,
        "files": selectors.release_files(release),
        "cities": cities,
        "panel": _frozen_figure6_panel(release, cities),
        "snapshot_as_of": release.created_at.date(),
        "erratum": selectors.erratum(release),
        "changes": selectors.changes_since(
            release, selectors.previous_release(release), standings=cities
        ),
        "permalink": request.build_absolute_uri(release.get_absolute_url()),
    }
    return render(request, "releases/release_detail.html", context)


def release_zip(request, number: str):
    release = selectors.release_detail(number=number)
    response = HttpResponse(services.zip_bytes(release), content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="compact-tracker-{number}.zip"'
    return response


def release_file(request, number: str, name: str):
    file = selectors.release_file(number=number, name=name)
    content_type = {"csv": "text/csv", "json": "application/json", "md": "text/markdown"}.get(
        name.rsplit(".", 1)[-1], "text/plain"
    )
    return HttpResponse(bytes(file.content), content_type=f"{content_type}; charset=utf-8")


@lead_required
def release_create(request):
    form = ReleaseForm(request.POST or None, initial={"number": services.next_number()})
    if request.method == "POST" and form.is_valid():
        try:
            release = services.release_create(user=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"Release {release.number} is published.")
            return redirect(release)
    return render(request, "releases/release_form.html", {"form": form})
