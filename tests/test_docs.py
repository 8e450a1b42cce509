"""The README is a short front door and the pages behind it hold together: every relative
link and image in README.md and docs/*.md reaches a file (and a heading, for a #anchor, by
GitHub's anchor rule), the README stays under 15,000 characters, names the first sign-in
right after the two commands and links every docs page, and the configuration docs name
every environment variable the code reads."""

import re
from pathlib import Path
from urllib.parse import unquote

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
DOCS = ROOT / "docs"

FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,}).*?^ {0,3}\1[ \t]*$", re.MULTILINE | re.DOTALL)
CODE_SPAN = re.compile(r"(`+)(?!`).*?(?<!`)\1(?!`)", re.DOTALL)
# [text](target "title") and ![alt](target); the text may hold one level of [brackets].
INLINE_LINK = re.compile(
    r"!?\[(?:[^\[\]]|\[[^\[\]]*\])*\]\(\s*<?([^)\s>]*)>?(?:\s+\"[^\"]*\")?\s*\)"
)
REFERENCE = re.compile(r"^ {0,3}\[[^\]]+\]:\s*<?([^\s>]+)>?", re.MULTILINE)
HTML_LINK = re.compile(r"<(?:a|img)\b[^>]*?\b(?:href|src)=\"([^\"]*)\"", re.IGNORECASE)
HEADING = re.compile(r"^ {0,3}#{1,6}[ \t]+(.*?)(?:[ \t]+#+)?[ \t]*$", re.MULTILINE)
SCHEME = re.compile(r"^(?:[a-zA-Z][a-zA-Z0-9+.-]*:|//)")
ENV_READ = re.compile(
    r"""(?:environ\.get\(|environ\[|getenv\(|envbool\(|envlist\()\s*["']([A-Z][A-Z0-9_]*)["']"""
)


def docs_pages() -> list[Path]:
    return sorted(DOCS.glob("*.md"))


def without_code(markdown: str) -> str:
    """The text a reader sees as prose: fenced blocks and code spans hold no links or
    headings (a `# comment` in a shell block is not a heading)."""
    return CODE_SPAN.sub("", FENCE.sub("", markdown))


def link_targets(markdown: str) -> list[str]:
    prose = without_code(markdown)
    return [
        target
        for pattern in (INLINE_LINK, REFERENCE, HTML_LINK)
        for target in pattern.findall(prose)
    ]


def github_anchors(markdown: str) -> set[str]:
    """The anchors GitHub gives a file's headings: the rendered text, lower-cased, without
    punctuation but hyphens and underscores, each space a hyphen; repeats get -1, -2..."""
    anchors: set[str] = set()
    seen: dict[str, int] = {}
    for heading in HEADING.findall(FENCE.sub("", markdown)):
        text = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", heading)  # a link shows its text
        text = re.sub(r"<[^>]+>", "", text)
        slug = re.sub(r"[^\w\- ]", "", text.strip().lower()).replace(" ", "-")
        count = seen.get(slug, 0)
        seen[slug] = count + 1
        anchors.add(slug if count == 0 else f"{slug}-{count}")
    return anchors


def broken_links(page: Path, *, root: Path = ROOT) -> list[str]:
    """Each relative link of ``page`` that reaches no file inside ``root``, or no heading
    of the Markdown file it names with a #anchor."""
    problems = []
    for target in link_targets(page.read_text()):
        if SCHEME.match(target):
            continue  # another site, or mailto:
        path_part, _, anchor = target.partition("#")
        resolved = (page.parent / unquote(path_part)).resolve() if path_part else page
        where = f"{page.relative_to(root)}: {target}"
        if not resolved.is_relative_to(root) or not resolved.exists():
            problems.append(f"{where} (no such file)")
        elif anchor and resolved.suffix != ".md":
            problems.append(f"{where} (an anchor into a file that is not Markdown)")
        elif anchor and unquote(anchor) not in github_anchors(resolved.read_text()):
            problems.append(f"{where} (no heading #{anchor} in {resolved.name})")
    return problems


def test_every_relative_link_and_image_in_the_readme_and_docs_resolves():
    problems = [problem for page in [README, *docs_pages()] for problem in broken_links(page)]

    assert problems == []


def test_the_link_check_reports_a_missing_file_a_missing_heading_and_a_link_outside(
    tmp_path,
):
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "other.md").write_text("# Other\n\n## The `db` command, *stopped*\n")
    page = tmp_path / "README.md"
    page.write_text(
        "[fine](docs/other.md#the-db-command-stopped) ![gone](docs/gone.png)\n"
        "[no heading](docs/other.md#nowhere) [outside](../secret.md) [web](https://x.org/a)\n"
        "`[in code](docs/missing.md)`\n\n```sh\n[in a block](docs/missing.md)\n```\n"
    )

    problems = broken_links(page, root=tmp_path)

    assert problems == [
        "README.md: docs/gone.png (no such file)",
        "README.md: docs/other.md#nowhere (no heading #nowhere in other.md)",
        "README.md: ../secret.md (no such file)",
    ]


def test_anchors_follow_githubs_rule():
    markdown = (
        "# Operations\n## Backups and restore\n## First `make run` on a fresh clone\n"
        "## Backups and restore\n## Reconcile & publish: [how](x.md)\n"
        "```sh\n# a shell comment\n```\n"
    )

    assert github_anchors(markdown) == {
        "operations",
        "backups-and-restore",
        "first-make-run-on-a-fresh-clone",
        "backups-and-restore-1",
        "reconcile--publish-how",
    }


def test_the_readme_is_under_15000_characters():
    assert len(README.read_text()) < 15_000


def test_the_readme_names_the_first_sign_in_right_after_the_two_commands():
    readme = README.read_text()
    commands = re.search(r"^make run\b.*\n^make test\b.*$", readme, re.MULTILINE)
    assert commands, "the README shows `make run` and `make test` together"
    after = readme[commands.end() :]
    # The two commands' own section, then the next one: the first sign-in is in one of them.
    headings = [match.start() for match in re.finditer(r"^## ", after, re.MULTILINE)]
    next_two_sections = after[: headings[1]] if len(headings) > 1 else after

    assert "make demo-users" in next_two_sections


def test_the_readme_links_every_docs_page():
    linked = {
        (README.parent / unquote(target.partition("#")[0])).resolve()
        for target in link_targets(README.read_text())
        if not SCHEME.match(target)
    }

    assert [page.name for page in docs_pages() if page.resolve() not in linked] == []


def test_every_environment_variable_the_code_reads_is_documented():
    code = [
        path
        for folder in ROOT.iterdir()
        if folder.is_dir() and folder.name not in {".venv", ".git", "tests", "var"}
        for path in folder.rglob("*.py")
    ]
    variables = {name for path in code for name in ENV_READ.findall(path.read_text())}
    operations = (DOCS / "operations.md").read_text()
    example = (ROOT / ".env.example").read_text()

    assert "DATABASE_URL" in variables  # the pattern finds what the settings read
    assert sorted(v for v in variables if f"`{v}`" not in operations) == []
    assert sorted(v for v in variables if not re.search(rf"^#? ?{v}=", example, re.M)) == []


def site_paths(markdown: str) -> list[str]:
    """The site's addresses a page names in code spans (`/cities/<slug>/`) or as links to
    the local server, without their query strings."""
    prose = FENCE.sub("", markdown)
    # A site address starts with one slash; "//host/x" and "/\\host" are the hostile
    # redirect targets the hardening page names, not addresses of this site.
    spans = [
        span
        for span in re.findall(r"`([^`\n]+)`", prose)
        if span.startswith("/") and not span.startswith("//") and "\\" not in span
    ]
    spans += [
        url.rstrip(".;:") for url in re.findall(r"http://127\.0\.0\.1:8000(/[^\s),]*)", prose)
    ]
    return [span.partition("?")[0] for span in spans if "..." not in span.partition("?")[0]]


# What a placeholder in a documented address stands for.
PLACEHOLDERS = {"slug": "boston", "id": "1", "number": "2026.1", "chart": "progress", "name": "x"}


def test_every_site_address_the_readme_and_docs_name_is_in_the_urlconf():
    from django.urls import Resolver404, resolve

    unknown = []
    for page in [README, *docs_pages()]:
        for path in site_paths(page.read_text()):
            concrete = re.sub(r"<(\w+)>", lambda m: PLACEHOLDERS[m.group(1)], path)
            try:
                resolve(concrete)
            except Resolver404:
                unknown.append(f"{page.relative_to(ROOT)}: {path}")

    assert unknown == []
