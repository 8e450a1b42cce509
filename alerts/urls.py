from django.urls import path

from . import views

app_name = "alerts"
urlpatterns = [
    path("", views.watch_list, name="watch-list"),
    path("watch/<slug:slug>/", views.watch_toggle, name="watch-toggle"),
    path("unsubscribe/", views.unsubscribe_link, name="unsubscribe-link"),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
]
