from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from accounts.redirects import next_url
from cities.models import City

from . import selectors, services
from .models import Frequency
from .tokens import read_unsubscribe_token


class FrequencyForm(forms.Form):
    frequency = forms.ChoiceField(choices=Frequency.choices, widget=forms.RadioSelect)


class UnsubscribeLinkForm(forms.Form):
    email = forms.EmailField(label="Your email address", max_length=254)


@login_required
def watch_list(request):
    subscription = selectors.settings_of(user=request.user)
    form = FrequencyForm(request.POST or None, initial={"frequency": subscription.frequency})
    if request.method == "POST" and form.is_valid():
        services.set_frequency(user=request.user, frequency=form.cleaned_data["frequency"])
        messages.success(request, "Your alert settings are saved.")
        return redirect("alerts:watch-list")
    context = {
        "watches": selectors.watched_cities(user=request.user),
        "subscription": subscription,
        "given_up": selectors.messages_given_up(user=request.user),
        "form": form,
    }
    return render(request, "alerts/watch_list.html", context)


@login_required
@require_POST
def watch_toggle(request, slug: str):
    city = get_object_or_404(City, slug=slug)
    if request.POST.get("watch") == "1":
        try:
            services.watch(user=request.user, city=city)
        except ValidationError as error:
            messages.error(request, error.messages[0])
        else:
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
        user_id, version = read_unsubscribe_token(token)
    except signing.SignatureExpired:
        return _no_way_in(request, "expired")
    except signing.BadSignature:
        return _no_way_in(request, "invalid")
    subscription = selectors.subscription_of(user_id=user_id)
    if subscription is None:
        return _no_way_in(request, "invalid")
    if subscription.version != version or (
        request.method == "POST" and not services.unsubscribe(token=token)
    ):
        subscription.refresh_from_db()
        if not subscription.active:
            return render(request, "alerts/unsubscribe.html", {"done": True})
        return _no_way_in(request, "stale")
    if request.method == "POST":
        return render(request, "alerts/unsubscribe.html", {"done": True})
    return render(request, "alerts/unsubscribe.html", {"token": token})


def _no_way_in(request, why: str):
    """A link that no longer unsubscribes still offers a way out."""
    context = {why: True, "link_form": UnsubscribeLinkForm()}
    return render(request, "alerts/unsubscribe.html", context, status=400)


def unsubscribe_link(request):
    """Send a fresh unsubscribe link to an address. The answer is the same whether or not
    an account has the address, so the form tells nobody who is subscribed."""
    form = UnsubscribeLinkForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.unsubscribe_link_send(email=form.cleaned_data["email"])
        return render(request, "alerts/unsubscribe.html", {"link_sent": True})
    status = 400 if request.method == "POST" else 200
    return render(request, "alerts/unsubscribe.html", {"link_form": form}, status=status)
