"""Signing in lands where the user works: the page they came from (``next``), else the
workspace for researchers and the dashboard for funders (and anyone else signed in)."""

from django.contrib.auth import views as auth_views
from django.urls import reverse

from . import roles
from .redirects import SafeNextMixin


def landing_url(user) -> str:
    if roles.is_researcher(user):
        return reverse("workspace:workspace")
    return reverse("dashboard:dashboard")


class LoginView(SafeNextMixin, auth_views.LoginView):
    def get_default_redirect_url(self) -> str:
        return landing_url(self.request.user)


class LogoutView(SafeNextMixin, auth_views.LogoutView):
    pass
