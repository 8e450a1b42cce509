"""Refuse input no page can use, in one place, before any view sees it.

A NUL character cannot be stored or even compared by PostgreSQL (psycopg2 raises), and bytes
that are not UTF-8 are silently turned into U+FFFD by Django; a view that filtered on such a
value answered 500 or searched for garbage. More query parameters than Django reads
(``DATA_UPLOAD_MAX_NUMBER_FIELDS``) gave a bare "Bad Request", and in development a 500 after
seconds (the debug page read the parameters again). Such requests get a 400 saying what is
wrong: JSON for the API, plain text elsewhere.
"""

from urllib.parse import unquote_to_bytes

from django.conf import settings
from django.http import HttpResponse, JsonResponse

NUL = "The {where} {name!r} contains a NUL character (%00), which no page here accepts."
NOT_UTF8 = "The {where} {name!r} is not UTF-8 text."
NUL_IN_PATH = "The address contains a NUL character (%00), which no page here accepts."
TOO_MANY = "The request carries {count:,} {where}s; no page here reads more than {most:,}."


def _query_problem(query: str, where: str) -> str | None:
    # Counted as Django counts them before it refuses (urllib's parse_qsl).
    most = settings.DATA_UPLOAD_MAX_NUMBER_FIELDS
    if most is not None and query and query.count("&") + 1 > most:
        return TOO_MANY.format(count=query.count("&") + 1, where=where, most=most)
    for pair in query.split("&"):
        key, _, value = pair.partition("=")
        texts = []
        for raw in (key, value):
            try:
                texts.append(unquote_to_bytes(raw.replace("+", " ")).decode("utf-8"))
            except UnicodeDecodeError:
                name = unquote_to_bytes(key).decode("utf-8", "replace")
                return NOT_UTF8.format(where=where, name=name)
        if "\x00" in texts[0] + texts[1]:
            return NUL.format(where=where, name=texts[0].replace("\x00", "\\x00"))
    return None


def _form_problem(request) -> str | None:
    content_type = request.content_type or ""
    if content_type == "application/x-www-form-urlencoded":
        return _query_problem(request.body.decode("latin-1"), "form field")
    if content_type == "multipart/form-data":
        for name, values in request.POST.lists():
            if any("\x00" in value for value in values) or "\x00" in name:
                return NUL.format(where="form field", name=name.replace("\x00", "\\x00"))
    return None


class BadInputMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # A NUL in the path reached views that look it up (a release's number or file).
        problem = NUL_IN_PATH if "\x00" in request.path else None
        if problem is None:
            problem = _query_problem(request.META.get("QUERY_STRING", ""), "query parameter")
        if problem is None and request.method == "POST":
            problem = _form_problem(request)
        if problem is None:
            return self.get_response(request)
        if request.path.startswith("/api/"):
            return JsonResponse({"error": problem}, status=400)
        return HttpResponse(problem, status=400, content_type="text/plain; charset=utf-8")
