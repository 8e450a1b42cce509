from django.urls import path

from caching.decorators import public_page

from . import views

app_name = "releases"
urlpatterns = [
    path("", public_page(views.release_list), name="release-list"),
    path("new/", views.release_create, name="release-create"),
    path("<str:number>.zip", public_page(views.release_zip), name="release-zip"),
    path("<str:number>/", public_page(views.release_detail), name="release-detail"),
    path("<str:number>/files/<path:name>", public_page(views.release_file), name="release-file"),
]
