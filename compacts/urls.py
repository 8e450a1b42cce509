from django.urls import path

from . import views

app_name = "compacts"
urlpatterns = [
    path("", views.workspace_home, name="workspace"),
]
