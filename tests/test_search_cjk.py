"""Searching text in scripts written without spaces (Chinese, Japanese,
Thai): any substring of 1 character or more is found, through the trigram
index, never by scanning the passages."""

import random
import re

import pytest

import migrations
from annotations.store import Store, open_database
from annotations.store.search import short_terms, unspaced_words
from annotations.text import normalize_text

from tests.helpers import import_article, open_store, row_counts

ZH_TEXT = ("Harbour news.\n\n北京今天下雨了。新的大桥已经开放。\n\n"
           "价格在2024年上涨了，iPhone手机卖得很好。\n\n最后一句话是结尾")
JA_TEXT = "東京都は新しい橋を開通させた。"
TH_TEXT = "กรุงเทพมหานคร เปิดสะพานใหม่แล้ว"


@pytest.fixture
def articles(client, auth):
    fc = auth["factchecker"]
    return {
        "zh": import_article(client, fc, url="https://news.example.cn/zh", text=ZH_TEXT,
                             title="城市新闻")["id"],
        "ja": import_article(client, fc, url="https://news.example.jp/ja", text=JA_TEXT,
                             title="東京ニュース")["id"],
        "th": import_article(client, fc, url="https://news.example.th/th", text=TH_TEXT,
                             title="ข่าว")["id"],
        "en": import_article(client, fc, url="https://news.example.com/en",
                             text="The harbour bridge reopened.", title="Bridge news")["id"],
    }


def found(client, q) -> set[int]:
    response = client.get("/api/v1/articles", query_string={"q": q})
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert body["total"] == len(body["items"])
    return {item["id"] for item in body["items"]}


@pytest.mark.parametrize("q, expected", [
    ("桥", {"zh"}),                    # 1 character (橋 in the Japanese one is another)
    ("橋", {"ja"}),
    ("雨", {"zh"}),
    ("北京", {"zh"}),                  # 2
    ("下雨", {"zh"}),
    ("大桥已", {"zh"}),                # 3
    ("新的大桥已经", {"zh"}),          # 6
    ("今天下雨了", {"zh"}),            # 5
    ("新しい橋を", {"ja"}),            # 5, kana and kanji
    ("結尾", set()),                   # traditional form: another string
    ("结尾", {"zh"}),                  # 2, the very end of the text
    ("尾", {"zh"}),                    # 1, the last character
    ("新闻", {"zh"}),                  # 2, the end of the title only
    ("城市新闻", {"zh"}),              # the whole title
    ("ニュース", {"ja"}),
    ("2024年", {"zh"}),                # joined to digits
    ("iphone手机", {"zh"}),            # joined to Latin, case folded
    ("年上涨 bridge", set()),          # every term must match
    ("大桥 harbour", {"zh"}),          # a Latin term as a word, a CJK one as a substring
    ("สะพานใหม่", {"th"}),             # Thai
    ("上海", set()),
    ("京%", set()),
    ("北_", set()),
    ("京 -", set()),
    ("了。新", {"zh"}),                # punctuation inside the run
])
def test_a_substring_in_an_unspaced_script_finds_its_articles(client, articles, q, expected):
    assert found(client, q) == {articles[name] for name in expected}


def query_plan(store, q) -> str:
    where, params = store._article_filters(q=q)
    return " | ".join(row[3] for row in store.db.execute(
        f"EXPLAIN QUERY PLAN SELECT count(*) FROM articles {where}", params))


@pytest.mark.parametrize("q", ["大桥已", "今天下雨了", "新しい橋を"])
def test_a_term_of_three_characters_or_more_is_a_trigram_index_lookup(store, q):
    plan = query_plan(store, q)
    assert re.search(r"SCAN article_trigram_fts VIRTUAL TABLE INDEX \d+:M", plan), plan
    # Neither passages nor the articles table is scanned.
    assert "passages" not in plan
    assert not re.search(r"SCAN articles\b", plan), plan


@pytest.mark.parametrize("q", ["雨", "北京", "大桥 harbour"])
def test_a_shorter_term_is_a_token_lookup_and_a_scan_of_titles_only(store, q):
    plan = query_plan(store, q)
    assert re.search(r"SCAN article_short_terms_fts VIRTUAL TABLE INDEX \d+:M", plan), plan
    assert "passages" not in plan


def test_reimport_and_delete_keep_the_index_in_step(client, auth, articles):
    editor = auth["editor"]
    import_article(client, editor, url="https://news.example.cn/zh",
                   text="上海今天晴天。", title="天气预报")
    assert found(client, "北京") == set() and found(client, "城市新闻") == set()
    assert found(client, "晴天") == {articles["zh"]}
    assert found(client, "天气预报") == {articles["zh"]}
    assert found(client, "预报") == {articles["zh"]}

    before = row_counts(client.application)
    response = client.delete(f"/api/v1/articles/{articles['zh']}", headers=editor)
    assert response.status_code == 204
    assert row_counts(client.application)["articles"] == before["articles"] - 1
    assert found(client, "晴天") == set() and found(client, "天") == set()
    with open_database(client.application.config["DATABASE"]) as db:
        assert db.execute("SELECT count(*) FROM article_trigram_fts WHERE rowid = ?",
                          [articles["zh"]]).fetchone()[0] == 0


def test_latin_only_articles_get_no_rows_in_the_substring_indexes(store, articles):
    for table in ("article_trigram_fts", "article_short_terms_fts"):
        assert store.db.execute(f"SELECT count(*) FROM {table} WHERE rowid = ?",
                                [articles["en"]]).fetchone()[0] == 0


def test_a_latin_article_given_a_chinese_title_is_found_by_it(client, auth, articles):
    import_article(client, auth["editor"], url="https://news.example.com/en",
                   text="The harbour bridge reopened.", title="港口大桥重新开放")
    for q in ("港口大桥", "重新开放", "港"):
        assert found(client, q) == {articles["en"]}, q
    assert found(client, "大桥") == {articles["en"], articles["zh"]}


def test_reimporting_a_latin_article_with_a_new_title_adds_no_substring_rows(app, client, auth,
                                                                           articles):
    # Every FTS5 write costs: an article with nothing in an unspaced script
    # keeps no row, however often it is re-imported with a title.
    import_article(client, auth["editor"], url="https://news.example.com/en",
                   text="The harbour bridge reopened.", title="Bridge news, updated")
    with open_store(app) as store:
        for table in ("article_trigram_fts", "article_short_terms_fts"):
            assert store.db.execute(f"SELECT count(*) FROM {table} WHERE rowid = ?",
                                    [articles["en"]]).fetchone()[0] == 0


@pytest.mark.parametrize("seed", range(50))
def test_unspaced_words_are_the_words_holding_such_a_character(seed):
    rng = random.Random(seed)
    alphabet = ["a", "Z", "9", "-", "。", "东", "京", "ก", "่", "😀", " ", " ", " "]
    texts = [normalize_text("".join(rng.choice(alphabet) for _ in range(rng.randint(0, 30))))
             for _ in range(rng.randint(0, 4))]
    expected = [word for text in texts for word in text.split()
                if re.search("[东京ก่]", word)]
    assert unspaced_words(texts) == "\n".join(expected)
    terms = set(short_terms(unspaced_words(texts)).split(" ")) - {""}
    assert terms == {word[i:i + n] for word in expected for n in (1, 2)
                     for i in range(len(word) - n + 1)}


def test_the_migration_indexes_existing_articles(tmp_path):
    db = open_database(tmp_path / "old.db")
    migrations.migrations.apply(db, stop_before="m0006_trigram_search")
    db.execute("INSERT INTO articles (id, url, url_key, title, created_at, updated_at)"
               " VALUES (1, 'https://n.example/a', 'n.example/a', '城市新闻', 't', 't'),"
               " (2, 'https://n.example/b', 'n.example/b', 'Plain', 't', 't'),"
               " (3, 'https://n.example/c', 'n.example/c', '东京新闻', 't', 't')")
    db.execute("INSERT INTO passages (article_id, ordinal, kind, text, text_hash)"
               " VALUES (1, 0, 'paragraph', 'Harbour cranes returned', 'x'),"
               " (1, 1, 'paragraph', '北京今天下雨了', 'y'),"
               " (2, 0, 'paragraph', 'Nothing here', 'z')")

    assert migrations.apply(db)[0] == "m0006_trigram_search"

    store = Store(db)
    for q in ("北京", "今天下雨了", "雨", "城市新闻"):
        assert [a["id"] for a in store.list_articles(q=q)] == [1], q
    assert {a["id"] for a in store.list_articles(q="新闻")} == {1, 3}
    assert [a["id"] for a in store.list_articles(q="东京新闻")] == [3]  # title, no passages
    assert store.list_articles(q="上海") == []
    assert db.execute("SELECT count(*) FROM article_trigram_fts WHERE rowid = 2").fetchone()[0] == 0
    db.close()


@pytest.mark.parametrize("q", ["ab\x00cd", "数据\x00", "\x00", "\x1f\x7f"])
def test_control_characters_in_a_search_are_ignored_not_a_500(client, q):
    # A NUL used to end SQLite's reading of the FTS query: a 500.
    assert client.get("/api/v1/articles", query_string={"q": q}).status_code == 200
    assert client.get("/", query_string={"q": q}).status_code == 200
