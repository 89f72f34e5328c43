"""Factories for the rows most tests need, after hypothesis/h's
tests/common/factories: each makes real rows through the real ``Store``, with
sensible defaults that any test may override.

    factories.user(role="editor")                       -> user row
    factories.article(text=..., url=..., title=...)     -> article row + "passages"
    factories.claim(article, "quoted words", verdict="verified",
                    citations=[{"url": ...}], published=True)  -> claim row

Get them from the ``factories`` fixture (bound to the test's ``store``), or
``Factories(store)`` for any other Store.
"""

import itertools

from annotations.importer import parse_article
from annotations.store import SYSTEM, Store
from tests.helpers import FAST_HASH, as_actor

DEFAULT_TEXT = (
    "The minister said the bridge is open.\n"
    "\n"
    "Critics said the figure was misleading.\n"
)


class Factories:
    """Article, claim and user factories on one Store."""

    def __init__(self, store: Store):
        self.store = store
        self._serial = itertools.count(1)

    def _next(self) -> int:
        return next(self._serial)

    # -- users ---------------------------------------------------------------------

    def user(self, username: str | None = None, role: str = "factchecker",
             password_hash: str = FAST_HASH, **extra) -> dict:
        """An account; by default one that logs in with tests.helpers.PASSWORD."""
        if username is None:
            username = f"{role}-{self._next()}"
        return self.store.create_user(username, password_hash, role, **extra)

    def actor(self, username: str | None = None, role: str = "factchecker", **extra):
        """A new account, as the Actor that store writes take."""
        return as_actor(self.user(username, role, **extra))

    # -- articles ------------------------------------------------------------------

    def article(self, url: str | None = None, text: str = DEFAULT_TEXT, fmt: str = "text",
                actor=SYSTEM, **metadata) -> dict:
        """An imported article (title, publisher... as keyword arguments),
        returned as its row with its ``passages`` in order.

        A URL that is already in the database re-imports that article.
        """
        if url is None:
            url = f"https://news.example.com/article-{self._next()}"
        result = self.store.import_article(url, parse_article(text, fmt), as_actor(actor),
                                           **metadata)
        return {**self.store.article(result.article_id),
                "passages": self.store.passages(result.article_id)}

    # -- claims --------------------------------------------------------------------

    def claim(self, article=None, quote: str | None = None, verdict: str = "unverified",
              actor=SYSTEM, *, published: bool = False, publisher=None, passage=None,
              occurrence: int = 0, **fields) -> dict:
        """A claim on ``quote``, in the first passage of ``article`` holding it.

        ``article`` is an article row or id (default: a new article);
        ``quote`` defaults to the passage's first word. ``occurrence`` picks
        a later copy of the quote in the same passage. ``fields`` go to
        Store.create_claim (label, rationale, citations). ``published=True``
        publishes it as ``actor``; ``publisher=`` publishes it as that user.
        """
        if passage is None:
            if article is None:
                article = self.article()
            article_id = article["id"] if isinstance(article, dict) else article
            passages = self.store.passages(article_id)
            if quote is None:
                passage = passages[0]
            else:
                passage = next(p for p in passages if quote in p["text"])
        elif isinstance(passage, int):
            passage = self.store.passage(passage)
        if quote is None:
            quote = passage["text"].split()[0]
        start = -1
        for _ in range(occurrence + 1):
            start = passage["text"].index(quote, start + 1)
        claim = self.store.create_claim(passage["id"], start, start + len(quote), verdict,
                                        as_actor(actor), **fields)
        if publisher is not None or published:
            claim = self.publish(claim, actor, publisher)
        return claim

    def publish(self, claim, author=SYSTEM, publisher=None) -> dict:
        """Take ``claim`` (a row or id) through review: submitted by
        ``author``, approved by ``publisher`` (default: the system, which
        the two-person rule lets approve anyone's claim)."""
        claim_id = claim["id"] if isinstance(claim, dict) else claim
        self.store.transition_claim(claim_id, "submit", as_actor(author))
        return self.store.transition_claim(claim_id, "approve", as_actor(publisher or SYSTEM))
