from django.urls import path

from . import views

app_name = "cities"
urlpatterns = [
    path("", views.city_list, name="city-list"),
    path("cities/", views.city_directory, name="city-directory"),
    path("cities/<slug:slug>/", views.city_detail, name="city-detail"),
]
