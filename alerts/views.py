from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from accounts.redirects import next_url
from cities.models import City

from . import selectors, services
from .models import Frequency


class FrequencyForm(forms.Form):
    frequency = forms.ChoiceField(choices=Frequency.choices, widget=forms.RadioSelect)


@login_required
def watch_list(request):
    subscription = services.subscription_for(request.user.pk)
    form = FrequencyForm(request.POST or None, initial={"frequency": subscription.frequency})
    if request.method == "POST" and form.is_valid():
        services.set_frequency(user=request.user, frequency=form.cleaned_data["frequency"])
        messages.success(request, "Your alert settings are saved.")
        return redirect("alerts:watch-list")
    context = {
        "watches": selectors.watched_cities(user=request.user),
        "subscription": subscription,
        "form": form,
    }
    return render(request, "alerts/watch_list.html", context)


@login_required
@require_POST
def watch_toggle(request, slug: str):
    city = get_object_or_404(City, slug=slug)
    if request.POST.get("watch") == "1":
        services.watch(user=request.user, city=city)
        messages.success(request, f"You are watching {city.name}: we email you what changes.")
    else:
        services.unwatch(user=request.user, city=city)
        messages.success(request, f"You no longer watch {city.name}.")
    # Back to the page the form was on, but only a page of this site.
    return HttpResponseRedirect(next_url(request, city.get_absolute_url()))


# A mail client's one-click unsubscribe (RFC 8058) posts without a CSRF token; the signed
# token in the URL is the authority. A GET, which mail scanners follow, only asks.
@csrf_exempt
def unsubscribe(request, token: str):
    try:
        signing.loads(token, salt=services.UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        return render(request, "alerts/unsubscribe.html", {"invalid": True}, status=400)
    if request.method == "POST":
        services.unsubscribe(token=token)
        return render(request, "alerts/unsubscribe.html", {"done": True})
    return render(request, "alerts/unsubscribe.html", {"token": token})
