"""Who may put our pages in a frame: nobody (X-Frame-Options DENY and CSP frame-ancestors
'none' on every page), except the embed pages, which any site may frame."""

from functools import wraps

from csp.constants import HEADER
from csp.utils import build_policy
from django.views.decorators.clickjacking import xframe_options_exempt


def embeddable(view):
    """Let any site frame this view: no X-Frame-Options, and the site's CSP with
    frame-ancestors * instead of 'none'. The header is written here, not by the CSP
    middleware, so a copy of the response served from the page cache carries it too."""

    @wraps(view)
    @xframe_options_exempt
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        response[HEADER] = build_policy(replace={"frame-ancestors": ["*"]})
        return response

    return wrapped
