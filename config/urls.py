from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("cities.urls")),
    path("admin/", admin.site.urls),
]
