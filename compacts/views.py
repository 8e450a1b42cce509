from django.contrib.auth.decorators import login_required
from django.shortcuts import render


@login_required
def workspace_home(request):
    return render(request, "compacts/workspace_home.html", {})
