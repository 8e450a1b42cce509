from django.core.paginator import Paginator
from django.shortcuts import render

from . import selectors
from .filters import CityFilter

DIRECTORY_PAGE_SIZE = 20


def city_list(request):
    """Home: every city with its compact and latest published stage, on one page."""
    return render(request, "cities/city_list.html", {"cities": selectors.city_directory()})


def city_directory(request):
    city_filter = CityFilter(request.GET or None, queryset=selectors.city_directory())
    page = Paginator(city_filter.qs, DIRECTORY_PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {"filter": city_filter, "page": page, "query": query.urlencode()}
    return render(request, "cities/city_directory.html", context)


def city_detail(request, slug: str):
    city = selectors.city_profile(slug=slug)
    return render(request, "cities/city_detail.html", {"city": city})
