from django.urls import path

from . import views

# No app_name: "login" and "logout" keep the names django.contrib.auth.urls gives them, and
# these patterns, included first, answer them (their "next" goes through accounts.redirects).
urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", views.LogoutView.as_view(), name="logout"),
]
