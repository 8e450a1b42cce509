from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from .models import City


class CitySitemap(Sitemap):
    changefreq = "monthly"
    priority = 0.8

    def items(self):
        return City.objects.order_by("slug")


class PublicPageSitemap(Sitemap):
    changefreq = "weekly"
    priority = 0.5

    def items(self):
        return ["cities:city-list", "cities:city-directory", "dashboard:dashboard"]

    def location(self, item):
        return reverse(item)


SITEMAPS = {"cities": CitySitemap, "pages": PublicPageSitemap}
