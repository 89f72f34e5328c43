"""A demo article with claims, loaded by ``make run`` so there is something
to look at. The text is our own summary of widely reported events."""

from .importer import parse_article
from .store import SYSTEM, Actor, Store

DEMO_URL = "https://news.example.org/2025/07/china-ukraine-war-stance"
DEMO_TITLE = "Beijing’s “neutrality” on Ukraine under scrutiny after Brussels talks"

DEMO_TEXT = """
Chinese Foreign Minister Wang Yi told EU foreign policy chief Kaja Kallas that Beijing could not accept a Russian defeat in Ukraine, according to an official briefed on their meeting in Brussels.

I. What was said in Brussels
1. A long and frank meeting
The talks reportedly lasted four hours. Wang is said to have argued that a Russian loss would free Washington to turn its full attention to China — a view that sits uneasily with Beijing’s stated neutrality.

2. The public line
At a regular Friday briefing, foreign ministry spokesperson Mao Ning repeated that China is not a party to the conflict and supports a ceasefire and peace talks. “China’s position is objective and consistent,” she said.

II. Ties with Moscow
Weeks before the full-scale invasion, Xi Jinping and Vladimir Putin declared a partnership with “no limits”. Trade between the two countries has grown since 2022.

III. Drone parts and sanctions
Ukraine has sanctioned several Chinese companies it accuses of supplying drone components. Foreign Minister Andrii Sybiha shared photos of debris he said was marked “Made in China”.
Reports that Chinese citizens fight in Russia’s army remain unconfirmed; Beijing says its nationals are barred from taking part in armed conflicts.

Conclusion
Whether Beijing is neutral is the question these claims help readers judge — 中立 in Chinese, нейтралитет in Russian. 🕊️
"""

# (quote, verdict, label, rationale, citations, publish)
DEMO_CLAIMS = [
    (
        "Beijing could not accept a Russian defeat in Ukraine",
        "unverified", "Single anonymous source",
        "<p>Reported by one official familiar with the talks; neither side has confirmed the wording.</p>",
        [{"url": "https://www.consilium.europa.eu/en/press/", "title": "EU Council press office",
          "publisher": "Council of the EU", "stance": "context"}],
        True,
    ),
    (
        "“China’s position is objective and consistent,”",
        "verified", "",
        "<p>The quote appears in the ministry’s <em>official transcript</em> of the briefing.</p>",
        [{"url": "https://www.fmprc.gov.cn/eng/xwfw_665399/s2510_665401/",
          "title": "Regular press conference transcripts", "publisher": "Ministry of Foreign Affairs of the PRC",
          "excerpt": "China’s position is objective and consistent.", "stance": "supports",
          "archive_url": "https://web.archive.org/web/2025/https://www.fmprc.gov.cn/eng/"}],
        True,
    ),
    (
        "declared a partnership with “no limits”",
        "verified", "Accurate",
        "<p>The joint statement of 4 February 2022 uses these words.</p>",
        [{"url": "http://www.en.kremlin.ru/supplement/5770", "title": "Joint Statement of 4 February 2022",
          "publisher": "Kremlin", "stance": "supports"},
         {"url": "https://www.reuters.com/world/europe/", "title": "Coverage of the joint statement",
          "publisher": "Reuters", "stance": "context"}],
        True,
    ),
    (
        "Reports that Chinese citizens fight in Russia’s army remain unconfirmed",
        "denied", "Misleading",
        "<p>Ukraine has named captured Chinese nationals, so “unconfirmed” understates the evidence.</p>",
        [{"url": "https://mfa.gov.ua/en/news", "title": "Ministry statements",
          "publisher": "Ministry of Foreign Affairs of Ukraine", "stance": "refutes"}],
        False,
    ),
]


def load_demo(store: Store, actor: Actor) -> int:
    """Import the demo article and add its claims once; returns its id."""
    from .sanitize import clean_rationale

    result = store.import_article(DEMO_URL, parse_article(DEMO_TEXT, "text"), actor,
                                  title=DEMO_TITLE, publisher="Example News",
                                  language="en")
    if store.claims_for_article(result.article_id, published_only=False):
        return result.article_id
    passages = store.passages(result.article_id)
    for quote, verdict, label, rationale, citations, publish in DEMO_CLAIMS:
        passage = next(p for p in passages if quote in p["text"])
        start = passage["text"].index(quote)
        claim = store.create_claim(passage["id"], start, start + len(quote), verdict, actor,
                                   label=label, rationale=clean_rationale(rationale),
                                   citations=citations)
        if publish:
            # Approved by the demo loader itself: the two-person rule keeps
            # the admin who wrote them from approving their own claims.
            store.transition_claim(claim["id"], "submit", actor)
            store.transition_claim(claim["id"], "approve", SYSTEM)
    return result.article_id
