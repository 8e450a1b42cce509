"""The public page "What the research found": the reports' findings with their sources,
linked from the dashboard and from the pages of the cities they give as examples."""

from django.urls import reverse


def test_the_page_shows_every_kind_of_finding_with_its_quotes(
    client, seeded, django_assert_max_num_queries
):
    url = reverse("cities:research-findings")
    with django_assert_max_num_queries(12):
        page = client.get(url).content.decode()
    for heading in ("Conditions that enable success", "Political motivators", "Strategies",
                    "Recommendations", "Initiatives of networks and programs"):  # fmt: skip
        assert heading in page
    assert "Leaders willing to champion the cause" in page
    assert "Transactional collaboration: access to resources and capacity" in page
    assert "Transactional: Transactional" not in page  # the heading does not repeat itself
    assert "Access to resources and capacity" in page  # Table 1, quoted
    assert "UP Education Network (Massachusetts)" in page
    assert "Table 1, “Defining the Political Motivators" in page  # where each quote sits


def test_the_dashboard_and_an_example_citys_page_link_to_it(client, seeded):
    url = reverse("cities:research-findings")
    assert url in client.get(reverse("dashboard:dashboard")).content.decode()
    denver = client.get(reverse("cities:city-detail", args=["denver"])).content.decode()
    assert f"{url}#motivator-values-based" in denver
    minneapolis = client.get(reverse("cities:city-detail", args=["minneapolis"])).content.decode()
    assert "In what the research found" not in minneapolis


def test_network_initiatives_have_no_city_in_the_api(client, seeded):
    data = client.get(reverse("cities:api-initiative-list"), {"page_size": 200}).json()
    up = next(i for i in data["results"] if i["key"] == "up-education-network-turnarounds")
    assert (up["city"], up["network"]) == (None, "UP Education Network (Massachusetts)")
