"""Every page at 375 px, as a phone shows it: nothing scrolls sideways, and in every table
the first column (what a row is) and every stage column are on screen, not cut off.

One signed-in lead researcher (who may see every page) walks the public pages, the funder
views and the workspace in one browser page, so the suite loads each page once.
"""

import datetime

import pytest
from playwright.sync_api import expect

from tests.browser.ready import open_ready, sign_in
from tests.factories import (
    AssessmentFactory,
    CityFactory,
    CompactFactory,
    EventFactory,
    InterviewFactory,
    RatingFactory,
    TrajectoryFindingFactory,
    make_stages,
    user_with_role,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 375, "height": 800}

# In each visible table: the first cell of every row, and every cell of a column whose
# header names a stage, must be drawn inside the viewport and inside any scrolling box.
CUT_OFF_CELLS = """() => {
  const width = document.documentElement.clientWidth;
  const problems = [];
  for (const table of document.querySelectorAll("main table")) {
    if (!table.offsetParent) continue;  // inside a closed <details>
    const heads = [...table.querySelectorAll("thead th")].map(th => th.textContent.trim());
    const stageColumns = heads
      .map((text, index) => (/stage/i.test(text) ? index : -1))
      .filter(index => index > 0);
    for (const row of [...table.querySelectorAll("tbody tr")].slice(0, 6)) {
      const cells = [...row.children];
      if (cells.length < 2) continue;  // "No rows" placeholder
      for (const index of [0, ...stageColumns]) {
        const cell = cells[index];
        if (!cell || cell.textContent.trim() === "") continue;  // nothing to show
        const box = cell.getBoundingClientRect();
        let right = width;
        for (let up = cell.parentElement; up; up = up.parentElement) {
          const style = getComputedStyle(up);
          if (/(auto|scroll|hidden)/.test(style.overflowX)) {
            right = Math.min(right, up.getBoundingClientRect().right);
          }
        }
        if (box.width === 0 || box.left < -1 || box.right > right + 1) {
          problems.push(`${heads[index] || "column " + index}: "${cell.textContent.trim()
            .slice(0, 30)}" at ${Math.round(box.left)}-${Math.round(box.right)}px`);
        }
      }
    }
  }
  return problems;
}"""


# What sticks out past the right edge (outside any scrolling box), to say what to fix.
TOO_WIDE = """() => {
  const width = document.documentElement.clientWidth;
  const found = [];
  for (const el of document.querySelectorAll("body *")) {
    const box = el.getBoundingClientRect();
    if (box.right <= width + 0.5 || box.width === 0) continue;
    let scrolls = false;
    for (let up = el.parentElement; up && !scrolls; up = up.parentElement) {
      scrolls = /(auto|scroll|hidden)/.test(getComputedStyle(up).overflowX);
    }
    const where = `${Math.round(box.left)} to ${Math.round(box.right)}px`;
    if (!scrolls) found.push(`${el.outerHTML.slice(0, 80)} from ${where}`);
  }
  return found.slice(0, 3);
}"""


@pytest.fixture
def everything():
    """A small record with every kind of row the pages show, and a lead to see them."""
    stages = make_stages()
    boston = CompactFactory(
        city=CityFactory(name="Boston", state="MA", slug="boston"), signing_year=2011
    ).city
    denver = CompactFactory(
        city=CityFactory(name="Denver", state="CO", slug="denver"), signing_year=2010
    ).city
    histories = {
        boston: [(2014, "Basic"), (2017, "Advanced")],
        denver: [(2012, "Basic"), (2014, "Advanced"), (2016, "Emerging")],
    }
    for city, history in histories.items():
        for year, stage in history:
            AssessmentFactory(
                city=city,
                period_start=datetime.date(year, 1, 1),
                period_precision="year",
                consensus_stage=stages[stage],
            )
    long_name = CompactFactory(
        city=CityFactory(
            name="Little Rock area (south of the river)", state="AR", slug="little-rock"
        ),
        signing_year=2012,
    ).city
    TrajectoryFindingFactory(city=long_name)
    CityFactory(name="Washington, D.C.", state="DC", slug="washington-dc")
    EventFactory(
        kind="election_or_ballot", occurred_on=datetime.date(2013, 11, 5), date_precision="day"
    ).cities.add(boston)
    draft = AssessmentFactory(
        city=denver,
        period_start=datetime.date(2018, 1, 1),
        period_precision="year",
        status="draft",
        published_at=None,
    )
    interview = InterviewFactory(city=denver, interviewee_role="Deputy superintendent")
    lead = user_with_role("lead", "lena")
    RatingFactory(assessment=draft, rater=lead, stage=stages["Basic"], rationale="Why Basic.")
    return {"lead": lead, "draft": draft, "interview": interview}


def test_every_page_fits_a_phone_with_its_tables_first_and_stage_columns_on_screen(
    page, live_server, everything, console_errors
):
    page.set_viewport_size(PHONE)
    sign_in(page, live_server.url, "lena")
    page.wait_for_url("**/workspace/")  # a researcher lands in the workspace

    draft, interview = everything["draft"], everything["interview"]
    pages = [
        "/",
        "/cities/",
        "/cities/boston/",
        "/cities/washington-dc/",
        "/dashboard/?as_of=2017-06",
        "/dashboard/compare/?city=boston&city=denver&as_of=2017-06",
        "/dashboard/cohorts/?as_of=2017-06",
        "/workspace/",
        "/workspace/interviews/",
        f"/workspace/interviews/{interview.pk}/",
        f"/workspace/assessments/{draft.pk}/",
        f"/workspace/assessments/{draft.pk}/reconcile/",
        "/workspace/agreement/",
    ]
    problems = []
    for path in pages:
        response = page.goto(f"{live_server.url}{path}")
        assert response.status == 200, path
        undrawn = page.locator(".dash-chart:not([data-drawn])")
        try:
            expect(undrawn).to_have_count(0)
        except AssertionError:
            problems.append(f"{path}: {undrawn.count()} charts not drawn: {console_errors}")
        # Open every data table, so the hidden ones are checked too.
        page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        if overflow > 0:
            wide = page.evaluate(TOO_WIDE)
            problems.append(f"{path}: scrolls sideways by {overflow}px ({'; '.join(wide)})")
        problems += [f"{path}: {cell}" for cell in page.evaluate(CUT_OFF_CELLS)]
    assert problems == [], "\n".join(problems)
    assert console_errors == []


def test_figure_6_writes_full_city_names_on_a_phone(page, live_server, everything, console_errors):
    page.set_viewport_size(PHONE)
    open_ready(page, f"{live_server.url}/dashboard/?as_of=2017-06")

    assert console_errors == []
    chart = page.locator("#progress-chart[data-drawn]")
    text = chart.inner_text()
    assert "Little Rock area (south of the river), AR" in text
    # Washington has no stage or finding by June 2017: named in the line under the chart.
    left_out = page.locator("#progress-left-out").text_content()  # closed: not inner_text
    assert "Washington, D.C." in left_out + text
    assert "D.C., DC" not in left_out + text
    assert "\N{HORIZONTAL ELLIPSIS}" not in text
