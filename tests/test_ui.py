"""Server-rendered pages: article list, article with claims, login/logout."""

import re
from urllib.parse import quote, urlsplit

import pytest
from markupsafe import escape

from annotations.demo import DEMO_CLAIMS, DEMO_TITLE
from tests.helpers import PASSWORD

DRAFT_QUOTE, _, DRAFT_LABEL, _, _, _ = next(c for c in DEMO_CLAIMS if not c[5])
PUBLISHED = [c for c in DEMO_CLAIMS if c[5]]


@pytest.fixture(autouse=True)
def csrf_enabled(app):
    """CSRF protection on, as in production (Flask-WTF's default)."""
    app.config["WTF_CSRF_ENABLED"] = True


def csrf_token(client, path="/login") -> str:
    html = client.get(path).get_data(as_text=True)
    match = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert match, f"no CSRF token on {path}"
    return match.group(1)


def login(client, username, password=PASSWORD, next_url=None):
    url = "/login" + (f"?next={quote(next_url, safe='')}" if next_url is not None else "")
    return client.post(url, data={"username": username, "password": password,
                                  "csrf_token": csrf_token(client)})


def who(client) -> str | None:
    """The "username (role)" the header shows, or None when logged out."""
    match = re.search(r'<span class="who">([^<]*)</span>', client.get("/").get_data(as_text=True))
    return match.group(1) if match else None


@pytest.fixture
def demo(runner):
    result = runner.invoke(args=["load-demo"])
    assert result.exit_code == 0, result.output
    return int(re.search(r"demo article (\d+)", result.output).group(1))


def claims_heading_count(html: str) -> int:
    """N in the "Claims (N)" heading of the claim list."""
    return int(re.search(r"Claims \((?:<span[^>]*>)?(\d+)", html).group(1))


def shows_draft_status(html: str) -> bool:
    return re.search(r'<span class="status[^"]*">draft</span>', html) is not None


def highlight(quote_text: str, verdict: str, status: str = "published") -> re.Pattern:
    return re.compile(rf'<mark class="claim verdict-{verdict} status-{status}" data-claim-id="\d+"'
                      rf'[^>]*>{re.escape(str(escape(quote_text)))}</mark>')


# -- index -----------------------------------------------------------------

def test_index_without_articles(client):
    response = client.get("/")
    assert response.status_code == 200
    assert "No articles yet" in response.get_data(as_text=True)


def index_rows(client) -> dict[int, str]:
    html = client.get("/").get_data(as_text=True)
    rows = re.findall(r"<tr>.*?</tr>", html, re.S)
    return {int(m.group(1)): row for row in rows
            if (m := re.search(r'href="/articles/(\d+)"', row))}


def test_index_lists_articles_with_published_and_total_counts(client, demo, factories,
                                                              make_user):
    other = factories.article("https://ex.org/quiet", "Nothing checked here yet.",
                              title="Quiet one")["id"]
    make_user("fiona", "factchecker")

    anonymous = index_rows(client)
    assert set(anonymous) == {demo, other}
    assert str(escape(DEMO_TITLE)) in anonymous[demo]
    assert re.search(r">\s*3 / \d+\s*<", anonymous[demo])  # 3 published
    assert "Quiet one" in anonymous[other]
    assert re.search(r">\s*0 / 0\s*<", anonymous[other])

    login(client, "fiona")
    checker = index_rows(client)
    assert re.search(r">\s*3 / 4\s*<", checker[demo])  # 3 of the 4 claims published
    assert re.search(r">\s*0 / 0\s*<", checker[other])


def test_index_pages_by_page_size(app, client, factories):
    app.config["PAGE_SIZE"] = 2
    for n in range(3):
        factories.article(f"https://ex.org/{n}", f"Article number {n}.", title=f"Title {n}")

    first = client.get("/").get_data(as_text=True)
    second = client.get("/?page=2").get_data(as_text=True)

    titles = lambda html: re.findall(r">(Title \d)</a>", html)  # noqa: E731
    assert len(titles(first)) == 2 and len(titles(second)) == 1
    assert set(titles(first)) | set(titles(second)) == {"Title 0", "Title 1", "Title 2"}
    assert 'href="/?page=2"' in first and 'href="/?page=0"' not in first
    assert 'href="/?page=1"' in second and 'href="/?page=3"' not in second


# -- article page ----------------------------------------------------------

def test_article_page_highlights_published_claims_by_verdict(client, demo):
    response = client.get(f"/articles/{demo}")
    assert response.status_code == 200
    html = response.get_data(as_text=True)

    assert f"<h1>{escape(DEMO_TITLE)}</h1>" in html
    assert 'class="passage kind-heading"' in html and 'class="passage kind-paragraph"' in html
    for quote_text, verdict, *_ in PUBLISHED:
        assert highlight(quote_text, verdict).search(html), quote_text
    for verdict in ("verified", "unverified"):
        assert f'<section class="claim-card verdict-{verdict}"' in html
    # The rationale's cleaned markup is rendered, not shown as tags.
    assert "<em>official transcript</em>" in html


def test_anonymous_sees_published_claims_only(client, demo):
    html = client.get(f"/articles/{demo}").get_data(as_text=True)

    assert claims_heading_count(html) == 3
    # The quote is still article text, but not a claim.
    assert str(escape(DRAFT_QUOTE)) in html
    assert not highlight(DRAFT_QUOTE, "denied", "draft").search(html)
    assert "status-draft" not in html
    assert not shows_draft_status(html)
    assert 'class="claim-card verdict-denied"' not in html
    assert DRAFT_LABEL not in html
    assert "understates the evidence" not in html


def test_reader_account_sees_published_claims_only(client, demo, make_user):
    make_user("rita", "reader")
    assert login(client, "rita").status_code == 302

    html = client.get(f"/articles/{demo}").get_data(as_text=True)

    assert claims_heading_count(html) == 3
    assert "status-draft" not in html
    assert DRAFT_LABEL not in html


@pytest.mark.parametrize("role", ["factchecker", "editor", "admin"])
def test_factchecker_sees_drafts_too(client, demo, make_user, role):
    make_user("fiona", role)
    assert login(client, "fiona").status_code == 302

    html = client.get(f"/articles/{demo}").get_data(as_text=True)

    assert claims_heading_count(html) == 4
    assert highlight(DRAFT_QUOTE, "denied", "draft").search(html)
    assert 'class="claim-card verdict-denied"' in html
    assert DRAFT_LABEL in html
    assert shows_draft_status(html)
    for quote_text, verdict, *_ in PUBLISHED:
        assert highlight(quote_text, verdict).search(html)


def test_orphaned_claims_are_listed_apart(client, store, factories):
    url = "https://ex.org/changing"
    article = factories.article(
        url, "The bridge opened in 1932.\n\nIt cost four million pounds.")["id"]
    kept = factories.claim(article, "opened in 1932", published=True, label="Kept")
    lost = factories.claim(article, "cost four million pounds", published=True, label="Lost")
    # The second sentence is rewritten: its claim can no longer be placed.
    factories.article(url, "The bridge opened in 1932.\n\nIts cost is disputed.")
    assert store.claim(lost["id"])["anchor_state"] == "orphaned"

    html = client.get(f"/articles/{article}").get_data(as_text=True)

    main, _, orphan_section = html.partition("Orphaned:")
    assert orphan_section, "no orphaned section"
    assert f'id="claim-{lost["id"]}"' in orphan_section
    assert f'id="claim-{lost["id"]}"' not in main
    assert "cost four million pounds" in orphan_section
    assert f'href="#claim-{lost["id"]}"' not in html  # no highlight for it
    assert f'id="claim-{kept["id"]}"' in main
    assert f'id="claim-{kept["id"]}"' not in orphan_section
    assert highlight("opened in 1932", "unverified").search(main)


def test_no_orphaned_section_when_all_claims_are_anchored(client, demo):
    assert "Orphaned" not in client.get(f"/articles/{demo}").get_data(as_text=True)


def test_highlight_covers_exactly_the_quote_in_non_latin_text(client, factories):
    text = "Ζεύς 🌍 сказал: 中文测试 “quoted” claim 👍🏽 end."
    article = factories.article("https://ex.org/unicode", text)["id"]
    factories.claim(article, "中文测试 “quoted”", published=True)

    html = client.get(f"/articles/{article}").get_data(as_text=True)

    assert re.search(r'<mark class="claim verdict-unverified status-published"[^>]*>'
                     r"中文测试 “quoted”</mark>", html)
    assert "Ζεύς 🌍 сказал: <mark" in html


HOSTILE_TITLE = '<script>alert("title")</script>'
HOSTILE_TEXT = 'Look: <img src=x onerror=alert(1)> and <script>alert(2)</script> here.'
HOSTILE_URL = 'https://ex.org/a"onmouseover="alert(3)'


def test_hostile_article_is_escaped_everywhere(client, factories):
    article = factories.article(HOSTILE_URL, HOSTILE_TEXT, title=HOSTILE_TITLE,
                                publisher="<b onmouseover=alert(4)>Pub</b>")["id"]
    factories.claim(article, "<img src=x onerror=alert(1)>", published=True,
                    label='"><script>alert(5)</script>')

    for path in ("/", f"/articles/{article}"):
        html = client.get(path).get_data(as_text=True)
        # The only scripts are the app's own files, with nothing inline.
        for attributes, body in re.findall(r"<script([^>]*)>(.*?)</script>", html, re.S | re.I):
            assert re.fullmatch(r'\s*(type="module"\s+)?src="/static/js/([\w-]+/)?[\w.-]+\.js"\s*',
                                attributes), path
            assert body.strip() == "", path
        assert "<script>" not in html.lower(), path
        assert "<img" not in html, path
        assert "<b onmouseover" not in html, path
        assert '"onmouseover="' not in html, path
        assert "&lt;script&gt;alert(" in html, path

    html = client.get(f"/articles/{article}").get_data(as_text=True)
    # Shown as text: the reader sees exactly what the article said.
    assert re.search(r'Look: <mark class="claim verdict-unverified status-published"[^>]*>'
                     r"&lt;img src=x onerror=alert\(1\)&gt;</mark> and &lt;script&gt;alert\(2\)"
                     r"&lt;/script&gt; here\.", html)
    # The hostile label sits in the highlight's title attribute, escaped.
    assert 'title="unverified: &#34;&gt;&lt;script&gt;alert(5)&lt;/script&gt;"' in html
    assert f"<h1>{escape(HOSTILE_TITLE)}</h1>" in html
    assert f"<title>{escape(HOSTILE_TITLE)} · Fact desk</title>" in html


# -- headers ---------------------------------------------------------------

def csp_directives(response) -> dict:
    policy = response.headers["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in policy.split(";") if part.strip()}


@pytest.mark.parametrize("path", ["/", "/login", "/articles/1", "/api/v1/articles", "/no-such-page"])
def test_security_headers(client, demo, path):
    response = client.get(path)

    directives = csp_directives(response)
    script_src = directives.get("script-src", directives.get("default-src"))
    assert script_src is not None
    assert "'unsafe-inline'" not in script_src
    assert "'unsafe-eval'" not in script_src
    assert "*" not in script_src
    assert directives["object-src"] == ["'none'"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"


# -- login and logout ------------------------------------------------------

def session_cookie_header(response) -> str:
    cookies = [c for c in response.headers.getlist("Set-Cookie") if c.startswith("session=")]
    assert cookies, "no session cookie set"
    return cookies[-1]


def test_login_page_has_a_csrf_token(client):
    response = client.get("/login")
    assert response.status_code == 200
    assert re.search(r'<input type="hidden" name="csrf_token" value="[^"]+">',
                     response.get_data(as_text=True))


def test_login_with_the_right_password(client, make_user):
    make_user("fiona", "factchecker")
    assert who(client) is None

    response = login(client, "fiona")

    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    cookie = session_cookie_header(response)
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie
    assert who(client) == "fiona (factchecker)"


@pytest.mark.parametrize("username, password", [("fiona", "wrong password"),
                                                ("nobody", PASSWORD),
                                                ("", "")])
def test_login_failure_is_401_with_one_message(client, make_user, username, password):
    make_user("fiona", "factchecker")

    response = login(client, username, password)

    assert response.status_code == 401
    assert "Unknown username or wrong password." in response.get_data(as_text=True)
    assert who(client) is None


@pytest.mark.parametrize("username", ["fiona", 'fi"><script>alert(1)</script>'])
def test_a_failed_login_keeps_the_username_and_focuses_the_password(client, make_user, username):
    make_user("fiona", "factchecker")

    html = login(client, username, "wrong password").get_data(as_text=True)

    username_field = re.search(r'<input id="username"[^>]*>', html).group(0)
    password_field = re.search(r'<input id="password"[^>]*>', html).group(0)
    assert f'value="{escape(username)}"' in username_field
    assert "<script>" not in html
    assert "autofocus" in password_field and "autofocus" not in username_field
    assert "value=" not in password_field  # the password is never sent back
    assert 'aria-describedby="login-error"' in password_field


def test_the_login_page_focuses_an_empty_username(client):
    html = client.get("/login").get_data(as_text=True)
    assert re.search(r'<input id="username"[^>]*value=""[^>]*autofocus', html)


@pytest.mark.parametrize("token", [None, "", "not-the-token"])
def test_login_without_a_valid_csrf_token_is_refused(client, make_user, token):
    make_user("fiona", "factchecker")
    data = {"username": "fiona", "password": PASSWORD}
    if token is not None:
        data["csrf_token"] = token
    client.get("/login")  # a session exists, so only the token is missing

    response = client.post("/login", data=data)

    assert response.status_code == 400
    assert "CSRF" in response.get_data(as_text=True)
    assert who(client) is None


def test_logout_needs_post_with_csrf(client, make_user):
    make_user("fiona", "factchecker")
    login(client, "fiona")

    assert client.get("/logout").status_code == 405
    assert who(client) == "fiona (factchecker)"

    assert client.post("/logout").status_code == 400
    assert who(client) == "fiona (factchecker)"

    response = client.post("/logout", data={"csrf_token": csrf_token(client, "/")})
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    page = client.get("/").get_data(as_text=True)
    assert "You are logged out." in page
    assert who(client) is None


def test_login_redirects_to_a_local_next(client, make_user):
    make_user("fiona", "factchecker")
    response = login(client, "fiona", next_url="/articles/1?x=1")
    assert response.headers["Location"] == "/articles/1?x=1"


@pytest.mark.parametrize("next_url", [
    "//evil.com",
    "//evil.com/articles/1",
    "https://evil.com",
    "https://evil.com/",
    "http:evil.com",
    "javascript:alert(1)",
    "/\\evil.com",       # browsers read a backslash as a slash
    "/\t/evil.com",      # and drop tabs and newlines
    "evil.com",
])
def test_login_next_cannot_redirect_off_site(client, make_user, next_url):
    make_user("fiona", "factchecker")

    response = login(client, "fiona", next_url=next_url)

    assert response.status_code == 302
    location = response.headers["Location"]
    assert location == "/"
    assert urlsplit(location).netloc == ""
    assert who(client) == "fiona (factchecker)"


@pytest.mark.parametrize("page", ["99999999999999999999", "-3", "abc"])
def test_index_survives_odd_page_numbers(client, factories, page):
    factories.article("https://ex.org/one", "Just one article.", title="Only article")
    response = client.get(f"/?page={page}")
    assert response.status_code == 200
