import re

import pytest
from django.urls import reverse

from cities.models import City, CityNote, ContextFactor
from compacts.models import InitiativeFigure
from tests.factories import (
    AssessmentFactory,
    CityFactory,
    CompactFactory,
    EventFactory,
    InitiativeFactory,
    InitiativeStatusFactory,
    RevisionLogEntryFactory,
    SourceFactory,
    TrajectoryFindingFactory,
    cite,
    make_stages,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def stages():
    return make_stages()


def _row(html: str, city_name: str) -> str:
    """The table row of the city list that names ``city_name``."""
    return next(row for row in html.split("<tr>") if f">{city_name}<" in row)


def _not_assessed(html: str) -> list[str]:
    """The cities the home page lists in one line as having no published stage."""
    listed = html.split("Not assessed: no published stage")[1].split("</ul>")[0]
    return re.findall(r'<a href="/cities/[^"]+/">([^<]+)</a>', listed)


def test_the_home_page_opens_with_cities_by_stage_losses_freshness_and_changes(client, stages):
    boston = CityFactory(name="Boston", state="MA")
    AssessmentFactory(city=boston, consensus_stage=stages["Advanced"], period_start="2017-01-01")
    hartford = CityFactory(name="Hartford", state="CT")
    AssessmentFactory(city=hartford, period_start="2013-01-01", consensus_stage=stages["Basic"])
    AssessmentFactory(city=hartford, period_start="2016-01-01", consensus_stage=stages["Emerging"])
    CityFactory(name="Tulsa", state="OK")
    RevisionLogEntryFactory(
        city=boston, period_label="January 2017", stage_after=stages["Advanced"]
    )

    html = client.get(reverse("cities:city-list")).content.decode()
    overview = html.split('class="overview"')[1].split("</section>")[0]

    assert "<strong>1</strong> Emerging" in overview
    assert "<strong>1</strong> Advanced" in overview
    assert "<strong>1</strong> no published stage" in overview
    assert "<strong>1</strong> lost ground" in overview
    assert "<strong>1</strong> at their peak" in overview
    assert "Newest published assessment: January 2017" in overview
    assert "Boston</a>, January 2017 published at Advanced" in overview
    # The cities with a stage in a table, furthest first; the others in one line.
    assert re.findall(r'<th scope="row"><a href="/cities/[^"]+/">([^<]+)</a>', html) == [
        "Boston",
        "Hartford",
    ]
    assert _not_assessed(html) == ["Tulsa"]


def test_the_city_list_shows_program_signing_year_and_latest_published_stage(client, stages):
    boston = CompactFactory(city=CityFactory(name="Boston", state="MA"), signing_year=2011).city
    AssessmentFactory(city=boston, consensus_stage=stages["Advanced"])
    CompactFactory(city=CityFactory(name="Tulsa", state="OK"), signing_year=2014)

    html = client.get(reverse("cities:city-list")).content.decode()

    boston_row = _row(html, "Boston")
    assert "2011" in boston_row
    assert "Advanced" in boston_row
    assert "Gates District-Charter Collaboration Compact" in boston_row
    assert _not_assessed(html) == ["Tulsa"]


def test_the_city_list_never_shows_a_draft_stage(client, stages):
    city = CityFactory(name="Aldine")
    AssessmentFactory(
        city=city, consensus_stage=stages["Embedded"], status="draft", published_at=None
    )

    html = client.get(reverse("cities:city-list")).content.decode()

    assert "Embedded" not in html
    assert _not_assessed(html) == ["Aldine"]


def test_the_city_list_marks_an_inferred_stage(client, stages):
    AssessmentFactory(
        city=CityFactory(name="Chicago"),
        consensus_stage=stages["Intermediate"],
        stage_provenance="inferred",
        stage_reasoning="Three cities left unplaced by the published counts.",
        stage_confidence="low",
    )

    html = client.get(reverse("cities:city-list")).content.decode()

    assert "Intermediate" in _row(html, "Chicago")
    assert "inferred" in _row(html, "Chicago")


def test_an_empty_database_gets_a_helpful_city_list(client):
    response = client.get(reverse("cities:city-list"))

    assert response.status_code == 200
    assert "No cities have been recorded yet" in response.content.decode()


def test_a_city_page_shows_its_compact_with_the_source_behind_each_fact(client):
    source = SourceFactory(title="Bridging the District-Charter Divide")
    compact = CompactFactory(city=CityFactory(name="Denver", slug="denver"), signing_year=2010)
    cite(compact, source=source, quote="Denver, CO^{*P}", field="signing_year")

    html = client.get(reverse("cities:city-detail", kwargs={"slug": "denver"})).content.decode()

    assert "2010" in html
    assert "Denver, CO*P" in html  # the quote as read: no Markdown marks
    assert "Bridging the District-Charter Divide" in html


def test_a_city_page_shows_published_stages_but_not_drafts(client, stages):
    city = CityFactory(slug="boston")
    AssessmentFactory(city=city, consensus_stage=stages["Advanced"])
    AssessmentFactory(
        city=city,
        period_start="2018-01-01",
        consensus_stage=stages["Embedded"],
        status="draft",
        published_at=None,
    )

    html = client.get(reverse("cities:city-detail", kwargs={"slug": "boston"})).content.decode()

    assert '<td data-label="Stage">Advanced</td>' in html
    assert '<td data-label="Stage">Embedded</td>' not in html
    assert "2018" not in html


def test_an_unassessed_city_page_says_so(client):
    CityFactory(slug="spokane")

    html = client.get(reverse("cities:city-detail", kwargs={"slug": "spokane"})).content.decode()

    assert "Not assessed" in html


def test_a_city_page_names_the_entity_only_where_it_says_more_than_the_city_name(client):
    CityFactory(name="New Orleans", slug="new-orleans", entity_name="Recovery School District")
    CityFactory(name="Boston", slug="boston", entity_name="Boston", collaboration_summary="")

    new_orleans = client.get(reverse("cities:city-detail", kwargs={"slug": "new-orleans"}))
    boston = client.get(reverse("cities:city-detail", kwargs={"slug": "boston"}))

    assert '<p class="lede">Recovery School District</p>' in new_orleans.content.decode()
    assert 'class="lede"' not in boston.content.decode()
    atlanta = CityFactory(name="Atlanta", entity_name="Atlanta", collaboration_summary="Active")
    assert atlanta.subtitle == "Active"


def test_an_unknown_city_is_not_found(client):
    assert client.get(reverse("cities:city-detail", kwargs={"slug": "atlantis"})).status_code == 404


@pytest.mark.parametrize("assessments", [1, 12])
def test_a_city_page_needs_the_same_queries_however_much_it_shows(
    client, stages, assessments, django_assert_max_num_queries
):
    city = CityFactory(slug="denver")
    source = SourceFactory()
    cite(CompactFactory(city=city), source=source)
    for year in range(2005, 2005 + assessments):
        cite(
            AssessmentFactory(
                city=city, period_start=f"{year}-01-01", consensus_stage=stages["Basic"]
            ),
            source=source,
        )

    url = reverse("cities:city-detail", kwargs={"slug": "denver"})
    client.get(url)  # a running server has its content types cached; so does this test now
    with django_assert_max_num_queries(20):  # two: are the stored standings current?
        response = client.get(url)

    assert response.status_code == 200


def test_a_city_page_lists_initiatives_with_their_latest_status(client):
    initiative = InitiativeFactory(city=CityFactory(slug="new-orleans"), title="OneApp")
    InitiativeStatusFactory(initiative=initiative, status="active", as_of_year=2012)
    InitiativeStatusFactory(initiative=initiative, status="achieved", as_of_year=2016)

    html = client.get(
        reverse("cities:city-detail", kwargs={"slug": "new-orleans"})
    ).content.decode()

    assert "OneApp" in html
    assert "Achieved (as of 2016)" in html
    assert "Active as of 2012" not in html


def test_city_pages_read_one_after_another_each_show_only_their_own_records(client, stages):
    # The page's queries keep their SQL from the first city's page and take each next city
    # as a parameter (common.sql.kept_instances): nothing of one city may reach another's.
    source = SourceFactory(title="Hold Your Nose")
    for name in ("Boston", "Denver"):
        city = CityFactory(name=name, slug=name.lower())
        AssessmentFactory(city=city, consensus_stage=stages["Basic"], period_start="2013-01-01")
        initiative = InitiativeFactory(city=city, title=f"{name} enrolment")
        InitiativeStatusFactory(initiative=initiative, status="achieved", as_of_year=2015)
        InitiativeFigure.objects.create(initiative=initiative, metric=f"{name} schools", value=7)
        cite(CityNote.objects.create(city=city, text=f"{name} note"), source=source)
        ContextFactor.objects.create(city=city, kind="other", description=f"{name} politics")
        TrajectoryFindingFactory(city=city, summary=f"{name} slowed after 2013.")
        EventFactory(title=f"{name} superintendent leaves").cities.add(city)

    def page(slug):
        return client.get(reverse("cities:city-detail", kwargs={"slug": slug})).content.decode()

    for slug, other in (("boston", "Denver"), ("denver", "Boston"), ("boston", "Denver")):
        html = page(slug)
        name = slug.title()
        for shown in ("enrolment", "schools: 7", "note", "politics", "slowed", "superintendent"):
            assert f"{name} {shown}" in html, (slug, shown)
        assert "Achieved (as of 2015)" in html
        assert "Hold Your Nose" in html  # the note's citation
        assert other not in html, slug

    # A stage published after the first view: the next view reads it (kept SQL, fresh rows).
    AssessmentFactory(
        city=City.objects.get(slug="boston"),
        consensus_stage=stages["Advanced"],
        period_start="2016-01-01",
    )
    assert '<td data-label="Stage">Advanced</td>' in page("boston")
    assert '<td data-label="Stage">Advanced</td>' not in page("denver")
