from django.contrib.sitemaps.views import sitemap
from django.urls import path

from . import views
from .sitemaps import SITEMAPS

app_name = "cities"
urlpatterns = [
    path("", views.city_list, name="city-list"),
    path("cities/", views.city_directory, name="city-directory"),
    path("cities/<slug:slug>/", views.city_detail, name="city-detail"),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
]
