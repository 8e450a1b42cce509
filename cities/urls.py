from django.contrib.sitemaps.views import sitemap
from django.urls import path

from . import api, views
from .sitemaps import SITEMAPS

app_name = "cities"
urlpatterns = [
    path("", views.city_list, name="city-list"),
    path("cities/", views.city_directory, name="city-directory"),
    path("cities/<slug:slug>/", views.city_detail, name="city-detail"),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    path("api/cities/", api.city_list, name="api-city-list"),
    path("api/cities/<slug:slug>/", api.city_detail, name="api-city-detail"),
    path("api/assessments/", api.assessment_list, name="api-assessment-list"),
    path("api/initiatives/", api.initiative_list, name="api-initiative-list"),
]
