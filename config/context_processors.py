from django.conf import settings


def site(request):
    """Values every page needs: the synthetic-data banner flag."""
    return {"synthetic_data": settings.SYNTHETIC_DATA}
