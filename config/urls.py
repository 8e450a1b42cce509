from django.contrib import admin
from django.urls import include, path

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
]

# A stopped or unreachable database answers 503 with Retry-After; anything else, 500.html.
handler500 = "config.errors.server_error"
