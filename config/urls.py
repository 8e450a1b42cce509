from django.contrib import admin
from django.http import HttpResponsePermanentRedirect
from django.templatetags.static import static
from django.urls import include, path


def favicon(request):
    """Browsers ask for /favicon.ico whatever the page says (a JSON answer has no <link>).
    The address is looked up per request: a hashed static name needs collectstatic's
    manifest, which a URL conf loaded before it must not depend on."""
    return HttpResponsePermanentRedirect(static("favicon.svg"))


urlpatterns = [
    path("", include("cities.urls")),
    path("dashboard/", include("dashboard.urls")),
    path("workspace/", include("workspace.urls")),
    path("alerts/", include("alerts.urls")),
    path("releases/", include("releases.urls")),
    # The embeddable charts keep their /embed/ addresses: the dashboard's two, and a
    # city's timeline (cities.urls) under embed/cities/.
    path("embed/", include("dashboard.embed_urls")),
    path("accounts/", include("accounts.urls")),
    path("accounts/", include("django.contrib.auth.urls")),
    path("admin/", admin.site.urls),
    path("favicon.ico", favicon, name="favicon"),
]

# A stopped or unreachable database answers 503 with Retry-After; anything else, 500.html.
handler500 = "config.errors.server_error"
