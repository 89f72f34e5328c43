"""The ``flask --app factcheck ...`` commands, run through the CLI runner."""

import re
import sqlite3

import pytest

from annotations.demo import DEMO_URL
from annotations.store import SYSTEM, Store, open_database
from factcheck import create_app


def counts(db_path) -> dict:
    conn = sqlite3.connect(db_path)
    try:
        return {table: conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
                for table in ("articles", "passages", "claims", "citations", "users")}
    finally:
        conn.close()


def csrf_token(client, path="/login") -> str:
    html = client.get(path).get_data(as_text=True)
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


def can_log_in(app, username, password) -> bool:
    client = app.test_client()
    response = client.post("/login", data={"username": username, "password": password,
                                           "csrf_token": csrf_token(client)})
    return response.status_code == 302


ARTICLE_TEXT = """Ministers met in Brussels on Friday.

The talks lasted four hours, officials said.

Both sides promised to meet again next month.
"""


# -- migrate -----------------------------------------------------------------

def test_migrate_applies_then_reports_up_to_date(tmp_path, monkeypatch):
    monkeypatch.setenv("FACTCHECK_INSTANCE_PATH", str(tmp_path / "instance"))
    db_path = tmp_path / "fresh.db"
    app = create_app({"TESTING": True, "DATABASE": str(db_path), "SECRET_KEY": "x"})
    runner = app.test_cli_runner()

    first = runner.invoke(args=["migrate"])
    assert first.exit_code == 0, first.output
    assert "applied m0001_initial" in first.output
    conn = sqlite3.connect(db_path)
    tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    conn.close()
    assert {"articles", "passages", "claims", "citations", "users"} <= tables

    second = runner.invoke(args=["migrate"])
    assert second.exit_code == 0
    assert "database is up to date" in second.output
    assert "applied" not in second.output


# -- import-article ----------------------------------------------------------

def test_import_text_file(runner, app, tmp_path):
    path = tmp_path / "brussels-talks.txt"
    path.write_text(ARTICLE_TEXT, encoding="utf-8")

    result = runner.invoke(args=["import-article", str(path), "--url", "https://ex.org/talks",
                                 "--publisher", "Example News"])

    assert result.exit_code == 0, result.output
    assert "created article 1 with 3 passages" in result.output
    store = Store(open_database(app.config["DATABASE"]))
    article = store.article(1)
    assert article["url"] == "https://ex.org/talks"
    assert article["title"] == "brussels talks"  # from the file name
    assert article["publisher"] == "Example News"
    assert [p["text"] for p in store.passages(1)] == [
        "Ministers met in Brussels on Friday.",
        "The talks lasted four hours, officials said.",
        "Both sides promised to meet again next month.",
    ]


def test_import_html_file_uses_its_title(runner, app, tmp_path):
    path = tmp_path / "page.html"
    path.write_text(
        "<!doctype html><html><head><title>Talks in Brussels</title>"
        "<script>var tracking = 1;</script></head><body>"
        "<h1>Talks in Brussels</h1><p>Ministers met on <b>Friday</b>.</p>"
        "<p>They will meet again.</p></body></html>", encoding="utf-8")

    result = runner.invoke(args=["import-article", str(path), "--url", "https://ex.org/html"])

    assert result.exit_code == 0, result.output
    store = Store(open_database(app.config["DATABASE"]))
    assert store.article(1)["title"] == "Talks in Brussels"
    passages = store.passages(1)
    assert [(p["kind"], p["text"]) for p in passages] == [
        ("heading", "Talks in Brussels"),
        ("paragraph", "Ministers met on Friday."),
        ("paragraph", "They will meet again."),
    ]
    assert not any("tracking" in p["text"] for p in passages)


def test_import_title_option_wins(runner, app, tmp_path):
    path = tmp_path / "page.html"
    path.write_text("<title>From the page</title><p>Some text here.</p>", encoding="utf-8")

    result = runner.invoke(args=["import-article", str(path), "--url", "https://ex.org/t",
                                 "--title", "Given title"])

    assert result.exit_code == 0, result.output
    assert Store(open_database(app.config["DATABASE"])).article(1)["title"] == "Given title"


def test_import_folder_one_article_per_file(runner, app, tmp_path):
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "alpha.txt").write_text("Alpha happened on Monday.\n", encoding="utf-8")
    (folder / "beta.md").write_text("Beta happened on Tuesday.\n", encoding="utf-8")
    (folder / "gamma.html").write_text("<title>Gamma</title><p>Gamma happened.</p>", encoding="utf-8")
    (folder / "picture.png").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")  # not importable: skipped

    result = runner.invoke(args=["import-article", str(folder), "--url", "https://ex.org/{name}"])

    assert result.exit_code == 0, result.output
    assert "Importing" in result.output  # the progress bar's label
    for name in ("alpha.txt", "beta.md", "gamma.html"):
        assert re.search(rf"{name}: created article \d+ with 1 passages", result.output)
    assert "picture" not in result.output
    store = Store(open_database(app.config["DATABASE"]))
    urls = {store.article(a["id"])["url"] for a in store.list_articles()}
    assert urls == {"https://ex.org/alpha", "https://ex.org/beta", "https://ex.org/gamma"}
    assert store.find_article_by_url("https://ex.org/gamma")["title"] == "Gamma"


def test_import_folder_refuses_two_files_that_would_share_a_url(runner, app, tmp_path):
    """Two index.html files in sub-folders get the same URL from the pattern;
    importing both would silently replace the first article's text with the
    second's."""
    folder = tmp_path / "site"
    (folder / "one").mkdir(parents=True)
    (folder / "two").mkdir()
    (folder / "one" / "index.html").write_text("<p>First article.</p>", encoding="utf-8")
    (folder / "two" / "index.html").write_text("<p>Second article.</p>", encoding="utf-8")

    result = runner.invoke(args=["import-article", str(folder), "--url", "https://ex.org/{name}"])

    assert result.exit_code != 0
    assert "https://ex.org/index" in result.output
    assert counts(app.config["DATABASE"])["articles"] == 0


def test_reimport_keeps_claims(runner, app, tmp_path):
    path = tmp_path / "a.txt"
    path.write_text(ARTICLE_TEXT, encoding="utf-8")
    assert runner.invoke(args=["import-article", str(path), "--url", "https://ex.org/a"]).exit_code == 0
    store = Store(open_database(app.config["DATABASE"]))
    passage = store.passages(1)[1]
    quote = "lasted four hours"
    start = passage["text"].index(quote)
    claim = store.create_claim(passage["id"], start, start + len(quote), "unverified", SYSTEM)

    # The new version adds a paragraph before the claim's.
    path.write_text("An update was added at the top.\n\n" + ARTICLE_TEXT, encoding="utf-8")
    result = runner.invoke(args=["import-article", str(path), "--url", "https://ex.org/a"])

    assert result.exit_code == 0, result.output
    assert "updated article 1 with 4 passages, 1 claims kept, 0 orphaned" in result.output
    assert counts(app.config["DATABASE"])["articles"] == 1
    after = store.claim(claim["id"])
    assert after["anchor_state"] == "anchored"
    moved_to = store.passages(1)[2]
    assert after["passage_id"] == moved_to["id"]
    assert moved_to["text"][after["start_offset"]:after["end_offset"]] == quote


BAD_FILES = {
    "empty": (b"", "empty"),
    "blank": (b"  \n\n  \n", "empty"),
    "binary": (b"Some text\x00\x01\x02 and then binary", "binary"),
    "latin-1": ("Le café était fermé, a-t-il déclaré.\n".encode("latin-1"), "UTF-8"),
    "too-big": (b"a" * (5 * 1024 * 1024 + 1), "larger than 5 MB"),
}


@pytest.mark.parametrize("kind", BAD_FILES)
def test_import_refuses_bad_files_and_writes_nothing(runner, app, tmp_path, kind):
    data, problem = BAD_FILES[kind]
    path = tmp_path / f"{kind}.txt"
    path.write_bytes(data)
    before = counts(app.config["DATABASE"])

    result = runner.invoke(args=["import-article", str(path), "--url", "https://ex.org/bad"])

    assert result.exit_code != 0
    assert f"{kind}.txt: not imported" in result.output
    assert problem in result.output
    assert "created article" not in result.output
    assert counts(app.config["DATABASE"]) == before


def test_import_folder_with_one_bad_file_imports_the_rest_and_fails(runner, app, tmp_path):
    folder = tmp_path / "mixed"
    folder.mkdir()
    (folder / "good.txt").write_text("A good article.\n", encoding="utf-8")
    (folder / "bad.txt").write_bytes(b"bin\x00ary")

    result = runner.invoke(args=["import-article", str(folder), "--url", "https://ex.org/{name}"])

    assert result.exit_code == 1
    assert "bad.txt: not imported: file: file is binary, not text" in result.output
    assert "good.txt: created article" in result.output
    store = Store(open_database(app.config["DATABASE"]))
    assert store.find_article_by_url("https://ex.org/good") is not None
    assert store.find_article_by_url("https://ex.org/bad") is None


def test_import_missing_file_is_a_usage_error(runner, app, tmp_path):
    result = runner.invoke(args=["import-article", str(tmp_path / "nope.txt"),
                                 "--url", "https://ex.org/x"])
    assert result.exit_code == 2
    assert "does not exist" in result.output


def test_import_refuses_a_url_that_is_not_http(runner, app, tmp_path):
    path = tmp_path / "a.txt"
    path.write_text(ARTICLE_TEXT, encoding="utf-8")

    result = runner.invoke(args=["import-article", str(path), "--url", "javascript:alert(1)"])

    assert result.exit_code != 0
    assert "url: only http and https URLs are accepted" in result.output
    assert counts(app.config["DATABASE"])["articles"] == 0


# -- create-user -------------------------------------------------------------

def test_create_user(runner, app):
    result = runner.invoke(args=["create-user", "alice", "--role", "editor",
                                 "--password", "a long password"])

    assert result.exit_code == 0, result.output
    assert "created editor alice" in result.output
    user = Store(open_database(app.config["DATABASE"])).find_user("alice")
    assert user["role"] == "editor"
    assert "a long password" not in user["password_hash"]
    assert can_log_in(app, "alice", "a long password")
    assert not can_log_in(app, "alice", "another password")


@pytest.mark.parametrize("name", ["alice", "ALICE"])
def test_create_user_refuses_a_taken_username(runner, app, make_user, name):
    make_user("alice", "reader")

    result = runner.invoke(args=["create-user", name, "--role", "admin",
                                 "--password", "a long password"])

    assert result.exit_code == 2
    assert "already exists" in result.output
    assert counts(app.config["DATABASE"])["users"] == 1
    assert Store(open_database(app.config["DATABASE"])).find_user("alice")["role"] == "reader"


def test_create_user_refuses_a_short_password(runner, app):
    result = runner.invoke(args=["create-user", "bob", "--role", "reader", "--password", "short"])

    assert result.exit_code == 2
    assert "at least 8 characters" in result.output
    assert counts(app.config["DATABASE"])["users"] == 0


def test_create_user_refuses_an_unknown_role(runner, app):
    result = runner.invoke(args=["create-user", "bob", "--role", "superuser",
                                 "--password", "a long password"])

    assert result.exit_code == 2
    assert "--role" in result.output and "superuser" in result.output
    assert counts(app.config["DATABASE"])["users"] == 0


# -- ensure-admin ------------------------------------------------------------

@pytest.fixture
def no_admin_env(monkeypatch):
    monkeypatch.delenv("FACTCHECK_ADMIN_PASSWORD", raising=False)
    monkeypatch.delenv("FACTCHECK_ADMIN_USERNAME", raising=False)


def test_ensure_admin_creates_the_admin_once(runner, app, no_admin_env):
    first = runner.invoke(args=["ensure-admin"])

    assert first.exit_code == 0, first.output
    match = re.search(r"created admin account: username (\S+) password (\S+)", first.output)
    assert match, first.output
    username, password = match.groups()
    assert username == "admin"
    assert len(password) >= 12
    assert can_log_in(app, username, password)

    second = runner.invoke(args=["ensure-admin"])
    assert second.exit_code == 0
    assert "admin account exists" in second.output
    assert password not in second.output
    assert counts(app.config["DATABASE"])["users"] == 1
    assert can_log_in(app, username, password)


def test_ensure_admin_generates_a_new_password_each_install(runner, app, tmp_path, no_admin_env,
                                                            monkeypatch):
    first = re.search(r"password (\S+)", runner.invoke(args=["ensure-admin"]).output).group(1)
    other = create_app({"TESTING": True, "DATABASE": str(tmp_path / "other.db"), "SECRET_KEY": "x"})
    other_runner = other.test_cli_runner()
    other_runner.invoke(args=["migrate"])
    second = re.search(r"password (\S+)", other_runner.invoke(args=["ensure-admin"]).output).group(1)
    assert first != second


def test_ensure_admin_with_password_from_env(runner, app, monkeypatch):
    monkeypatch.setenv("FACTCHECK_ADMIN_PASSWORD", "chosen by the operator")
    monkeypatch.setenv("FACTCHECK_ADMIN_USERNAME", "boss")

    result = runner.invoke(args=["ensure-admin"])

    assert result.exit_code == 0, result.output
    assert "username boss" in result.output
    assert "chosen by the operator" not in result.output
    assert can_log_in(app, "boss", "chosen by the operator")


def test_ensure_admin_with_empty_env_password_shows_the_generated_one(runner, app, monkeypatch):
    """FACTCHECK_ADMIN_PASSWORD= (set but empty, as compose files often leave
    it) means "generate one": that password must be printed, or nobody can
    ever log in as admin."""
    monkeypatch.setenv("FACTCHECK_ADMIN_PASSWORD", "")
    monkeypatch.delenv("FACTCHECK_ADMIN_USERNAME", raising=False)

    result = runner.invoke(args=["ensure-admin"])

    assert result.exit_code == 0, result.output
    match = re.search(r"username admin password (\S+)", result.output)
    assert match, result.output
    assert can_log_in(app, "admin", match.group(1))


# -- load-demo ---------------------------------------------------------------

def test_load_demo_is_idempotent(runner, app):
    first = runner.invoke(args=["load-demo"])
    assert first.exit_code == 0, first.output
    assert "demo article 1 ready" in first.output
    after_first = counts(app.config["DATABASE"])
    assert after_first["articles"] == 1
    assert after_first["claims"] == 4

    second = runner.invoke(args=["load-demo"])
    assert second.exit_code == 0, second.output
    assert "demo article 1 ready" in second.output
    assert counts(app.config["DATABASE"]) == after_first
    store = Store(open_database(app.config["DATABASE"]))
    assert store.find_article_by_url(DEMO_URL)["id"] == 1
    assert len(store.claims_for_article(1, published_only=True)) == 3


def test_load_demo_credits_the_admin(runner, app, make_user):
    admin = make_user("chief", "admin")
    assert runner.invoke(args=["load-demo"]).exit_code == 0
    claims = Store(open_database(app.config["DATABASE"])).claims_for_article(1, published_only=False)
    assert {c["created_by"] for c in claims} == {admin["id"]}


# -- backup ------------------------------------------------------------------

def test_backup_copies_the_database(runner, app, make_user, tmp_path):
    make_user("ed", "editor")
    assert runner.invoke(args=["load-demo"]).exit_code == 0
    dest = tmp_path / "backups" / "copy.db"
    dest.parent.mkdir()

    result = runner.invoke(args=["backup", str(dest)])

    assert result.exit_code == 0, result.output
    assert "integrity_check: ok" in result.output
    conn = sqlite3.connect(dest)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        # One self-contained file, not a WAL database needing its -wal file.
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    finally:
        conn.close()
    assert counts(dest) == counts(app.config["DATABASE"])
    assert counts(dest)["claims"] == 4
    assert sorted(p.name for p in dest.parent.iterdir()) == ["copy.db"]


def test_backup_refuses_an_existing_destination_without_force(runner, app, tmp_path):
    assert runner.invoke(args=["load-demo"]).exit_code == 0
    dest = tmp_path / "copy.db"
    dest.write_bytes(b"precious")

    refused = runner.invoke(args=["backup", str(dest)])

    assert refused.exit_code != 0
    assert "exists" in refused.output and "--force" in refused.output
    assert dest.read_bytes() == b"precious"

    forced = runner.invoke(args=["backup", str(dest), "--force"])
    assert forced.exit_code == 0, forced.output
    assert counts(dest) == counts(app.config["DATABASE"])


def test_backup_into_a_missing_folder_is_refused(runner, app, tmp_path):
    result = runner.invoke(args=["backup", str(tmp_path / "nowhere" / "copy.db")])
    assert result.exit_code != 0
    assert "does not exist" in result.output
    assert not (tmp_path / "nowhere").exists()


def test_backup_of_a_live_database_sees_the_latest_writes(runner, app, tmp_path):
    """Writes committed through another connection (another worker) are in the copy."""
    assert runner.invoke(args=["load-demo"]).exit_code == 0
    path = tmp_path / "x.txt"
    path.write_text(ARTICLE_TEXT, encoding="utf-8")
    assert runner.invoke(args=["import-article", str(path), "--url", "https://ex.org/x"]).exit_code == 0

    dest = tmp_path / "copy.db"
    assert runner.invoke(args=["backup", str(dest)]).exit_code == 0
    assert counts(dest)["articles"] == 2
