from test_exports import *
def test_dbg(app, client, auth, users):
    store = open_store(app)
    article = store.import_article("https://news.example.com/long", parse_article(
        "\n\n".join(f"Paragraph number {n} says something." for n in range(1, 1102)), "text"))
    passages = store.passages(article.article_id)
    print(len(passages))
    actor = _actor(users["editor"])
    with store.transaction():
        for passage in passages:
            store.create_claim(passage["id"], 0, 9, "unverified", actor)
    store.db.close()
    response = client.get("/api/v1/exports/claims.csv", headers=auth["editor"], buffered=False)
    print(type(response.response))
    chunks = list(response.response)
    print([c.count(b"\r\n") for c in chunks])
    assert 0
