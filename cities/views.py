from django.shortcuts import render

from . import selectors


def city_list(request):
    return render(request, "cities/city_list.html", {"cities": selectors.city_directory()})


def city_detail(request, slug: str):
    city = selectors.city_profile(slug=slug)
    return render(request, "cities/city_detail.html", {"city": city})
