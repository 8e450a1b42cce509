"""Who may put our pages in a frame: nobody (X-Frame-Options DENY and CSP
frame-ancestors 'none'), except the embed pages, which any site may frame."""

from functools import wraps

from django.views.decorators.clickjacking import xframe_options_exempt

EMBED_FRAME_ANCESTORS = "frame-ancestors *"


def embeddable(view):
    """Let any origin frame this view: no X-Frame-Options, and a CSP whose frame-ancestors
    allows every site (the rest of the policy is the site's own)."""

    @wraps(view)
    @xframe_options_exempt
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        response.embeddable = True  # read by the CSP middleware setup in settings
        return response

    return wrapped
