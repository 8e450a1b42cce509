"""The server-error handler (``handler500``): a database that is stopped or unreachable is
"unavailable, try again shortly" (503 with Retry-After), not "something went wrong" (500).

Django calls the handler inside the ``except`` for the failure, wherever it happened (a
view, the page cache's version lookup, the session), so ``sys.exc_info()`` names it. The
embedded server raises psycopg2's OperationalError while stopped (``manage.py db stop``);
Django wraps that, and an unreachable server, as its own OperationalError or
InterfaceError. Nothing here touches the database: the page stands alone like 500.html.
"""

import sys

import psycopg2
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.template import loader
from django.views import defaults

RETRY_AFTER_SECONDS = 30
UNAVAILABLE = (
    "The database is not answering, so this page cannot be shown right now. "
    "Nothing was lost: try again in a minute."
)
DATABASE_DOWN = (
    OperationalError,
    InterfaceError,
    psycopg2.OperationalError,
    psycopg2.InterfaceError,
)


def database_unavailable(error: BaseException | None) -> bool:
    """Whether ``error``, or an error it was raised from, says the database is down."""
    seen = set()
    while error is not None and id(error) not in seen:
        if isinstance(error, DATABASE_DOWN):
            return True
        seen.add(id(error))
        error = error.__cause__ or error.__context__
    return False


def server_error(request, template_name: str = defaults.ERROR_500_TEMPLATE_NAME):
    if not database_unavailable(sys.exc_info()[1]):
        return defaults.server_error(request, template_name)
    if request.path.startswith("/api/"):
        response = JsonResponse({"error": UNAVAILABLE}, status=503)
    else:
        html = loader.get_template("503.html").render({"message": UNAVAILABLE})
        response = HttpResponse(html, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response
