from django.urls import path

from . import views

# No app_name: "login" keeps the name django.contrib.auth.urls gives it, and this pattern,
# included first, answers it.
urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
]
