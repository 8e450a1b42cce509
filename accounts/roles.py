"""Roles are Django groups. DESIGN.md says what each may see and do.

Views and exports ask these functions, never group names directly, so the rules live in
one place. A superuser counts as a lead researcher.
"""

from functools import wraps

from django.contrib.auth.models import Group
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied

RESEARCHER = "researcher"
LEAD = "lead researcher"
FUNDER = "funder"
ROLES = {"researcher": RESEARCHER, "lead": LEAD, "funder": FUNDER}


def _groups(user) -> set[str]:
    if not user.is_authenticated:
        return set()
    # Loaded with the user for a request (caching.auth), else read once and kept.
    cached = getattr(user, "_role_names", None) or getattr(user, "role_names", None)
    if cached is None:
        cached = set(user.groups.values_list("name", flat=True))
        user._role_names = cached
    return cached


def with_roles(users) -> list:
    """``users`` (a queryset) with their roles loaded in one query, so role checks on many
    users (e.g. the raters of an import) cost nothing more."""
    users = list(users.prefetch_related("groups"))
    for user in users:
        user._role_names = {group.name for group in user.groups.all()}
    return users


def is_lead(user) -> bool:
    return user.is_authenticated and (user.is_superuser or LEAD in _groups(user))


def is_researcher(user) -> bool:
    """Researchers and lead researchers: may see confidential interviews and drafts."""
    return is_lead(user) or RESEARCHER in _groups(user)


def ensure_groups() -> dict[str, Group]:
    return {name: Group.objects.get_or_create(name=name)[0] for name in ROLES.values()}


def _guard(test):
    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not test(request.user):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


researcher_required = _guard(is_researcher)
lead_required = _guard(is_lead)


def is_funder(user) -> bool:
    """Funders, researchers and lead researchers: may compare cities and cohorts and
    download the published data behind those views (researchers see all funders see)."""
    return is_researcher(user) or FUNDER in _groups(user)


funder_required = _guard(is_funder)
