from django.shortcuts import render


def city_list(request):
    return render(request, "cities/city_list.html", {})


def city_detail(request, slug):
    return render(request, "cities/city_detail.html", {})
