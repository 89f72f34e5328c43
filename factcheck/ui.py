"""Server-rendered pages: article list, import, article annotator, tokens.

The article page is rendered here in full (readable without JavaScript);
static/js/annotator/ (ES modules) adds selection, editing and publishing on top, and
re-fetches the page's fragments after each change, so highlights are drawn
by one template only.
"""

from urllib.parse import urlsplit

from flask import (Blueprint, current_app, flash, g, redirect, render_template, request,
                   url_for)
from marshmallow import ValidationError

from annotations import claimreview
from annotations.store.assignments import QUEUE_REASONS
from annotations.models import (CLAIM_STATUSES, STANCES, VERDICT_DISPLAY, VERDICTS,
                                DomainError, NotFound, label_beside, role_at_least)
from annotations.store.bulk import ASSIGN, MAX_BULK_CLAIMS
from annotations.workflow import REVISION_WORDS, STATUS_WORDS, TRANSITIONS

from .api.exports import review_item
from .auth import has_role, new_api_token, role_required, sees_drafts
from .db import get_store
from .forms import ARTICLE_FORM_LABELS, ArticleListQuery, TokenForm
from .presenters import passage_marks, passage_segments, require_showable

bp = Blueprint("ui", __name__)



@bp.record_once
def vocabulary_globals(state) -> None:
    """One vocabulary: templates read roles, verdicts and their icons from
    the domain's constants, never from copies of their own."""
    state.app.jinja_env.globals.update(
        has_role=has_role, VERDICTS=VERDICTS, CLAIM_STATUSES=CLAIM_STATUSES, STANCES=STANCES,
        VERDICT_DISPLAY=VERDICT_DISPLAY, STATUS_WORDS=STATUS_WORDS, REVISION_WORDS=REVISION_WORDS,
        FORM_LABELS=ARTICLE_FORM_LABELS, label_beside=label_beside, site_of=site_of)


def site_of(url: str) -> str:
    """The host a URL is on, without "www.", as the article list shows it."""
    host = urlsplit(url).hostname or ""
    return host.removeprefix("www.")


def _first_error(error: ValidationError) -> tuple[str, str]:
    field, messages = next(iter(error.messages.items()))
    return field, messages[0] if isinstance(messages, list) else str(messages)


@bp.route("/")
def index():
    try:
        query = ArticleListQuery().load(request.args.to_dict())
    except ValidationError:
        # A hand-edited URL: show the unfiltered list rather than an error.
        query = {"page": 1}
    store = get_store()
    page_size = current_app.config["PAGE_SIZE"]
    page = query.pop("page")
    filters = {**query, "published_only": not sees_drafts(g.user)}
    articles = store.list_articles(limit=page_size, offset=(page - 1) * page_size, **filters)
    total = store.count_articles(**filters)
    return render_template("index.html", articles=articles, page=page, query=query,
                           has_next=page * page_size < total, total=total)


def _article_context(article_id: int) -> dict:
    store = get_store()
    require_showable(store, article_id, current_app.config)
    article = store.article(article_id)
    published_only = not sees_drafts(g.user)
    claims = store.claims_for_article(article_id, published_only=published_only)
    if not published_only:
        # The desk's working copies, each with what readers see of it (if anything).
        publications = {p["id"]: p for p in store.public_claims("c.article_id = ?", [article_id])}
        claims = [{**c, "publication": publications.get(c["id"])} for c in claims]
    by_passage: dict[int, list] = {}
    for claim in claims:
        by_passage.setdefault(claim["passage_id"], []).append(claim)
    passages = [
        {**p, "marks": passage_marks(passage_segments(p["text"], by_passage.get(p["id"], [])))}
        for p in store.passages(article_id)
    ]
    anchored = [c for c in claims if c["anchor_state"] == "anchored"]
    orphaned = [c for c in claims if c["anchor_state"] == "orphaned"]
    return {"article": article, "passages": passages, "claims": claims, "anchored": anchored,
            "orphaned": orphaned}


def _assignment_people(context: dict) -> list[dict]:
    """Whom the desk's article page may name as an assignee (static/js/annotator/assign.js):
    every active factchecker, editor and admin (who can be assigned), and
    anyone assigned here who no longer can be (demoted or disabled). Nobody
    for readers."""
    if not has_role(g.user, "factchecker"):
        return []
    assigned = {context["article"].get("assignee_id")} | {
        claim.get("assignee_id") for claim in context["claims"]}
    return [{"id": user["id"], "username": user["username"], "role": user["role"]}
            for user in get_store().list_users()
            if (role_at_least(user["role"], "factchecker") and not user["disabled_at"])
            or user["id"] in assigned]


@bp.route("/articles/<int:article_id>")
def article(article_id: int):
    context = _article_context(article_id)
    return render_template("article.html", **context, people=_assignment_people(context),
                           just_imported=request.args.get("imported") == "1")


@bp.route("/articles/<int:article_id>/fragment")
def article_fragment(article_id: int):
    """The passages and the claim list, for the annotator to swap in."""
    return render_template("_fragment.html", **_article_context(article_id))


MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")


@bp.app_template_filter("human_date")
def human_date(stamp: str | None) -> str:
    """An ISO timestamp (UTC, as stored) as readers read a date: 29 November 2026."""
    if not stamp:
        return ""
    year, month, day = (int(part) for part in stamp[:10].split("-"))
    return f"{day} {MONTHS[month - 1]} {year}"


@bp.route("/claims/<int:claim_id>")
def claim_review_page(claim_id: int):
    """A claim's public fact-check page: what readers see of it (its
    publication: verdict, rationale, sources), its correction log, first
    published and last updated dates, a retraction banner with the reason,
    and its ClaimReview JSON-LD, for readers without an account. A revision
    waiting for review never shows here. A claim never published is 404 to
    readers; a factchecker previews it under a "not public" banner, without
    JSON-LD (search engines must never see a draft)."""
    store = get_store()
    desk = sees_drafts(g.user)
    claim = store.publication(claim_id)
    if claim is None and not desk:
        raise NotFound("claim", claim_id)
    working = store.claim(claim_id) if desk else None
    published = claim is not None
    if not published:
        claim = {**working, "corrections": [], "first_published_at": None,
                 "retracted_at": None, "retraction_reason": "", "corrected_at": None}
    article = store.article(claim["article_id"])
    # ClaimReview for a claim live on its page only: not a retracted claim,
    # nor one a re-import orphaned (as the ClaimReview feed leaves them out).
    live = published and claimreview.has_claim_review(claim)
    json_ld = claimreview.script_snippet(review_item(claim, article)) if live else None
    # The desk is told when the page is not what it is editing.
    revision = working["status"] if published and working is not None \
        and working["status"] in ("draft", "in_review", "changes_requested") else None
    return render_template("claim_review.html", claim=claim, article=article,
                           published=published, json_ld=json_ld, revision=revision)


@bp.route("/queue")
@role_required("factchecker")
def queue():
    """My queue: sent back to me, to review, needing attention, assigned to
    me; ``reason`` picks one of these (a tab)."""
    after = request.args.get("after", type=int)
    if after is not None and not 0 < after < 2**63:
        after = None  # a hand-edited URL: the first page rather than an error
    reason = request.args.get("reason")
    if reason not in QUEUE_REASONS:
        reason = None  # likewise: every reason
    page = get_store().queue(g.user["id"], current_app.config["PAGE_SIZE"], after, reason)
    return render_template("queue.html", page=page, reason=reason, reasons=QUEUE_REASONS)


@bp.route("/claims")
@role_required("factchecker")
def claim_desk():
    """Every claim across articles, filtered by the URL's query (so a view
    can be shared), counted per verdict and acted on in bulk: the page's
    script (static/js/claims.js) reads GET /api/v1/claims and posts to
    /api/v1/claims/bulk. The actions offered are those the user's role may
    take; the people are whom claims can be assigned to."""
    people = [{"id": user["id"], "username": user["username"]}
              for user in get_store().list_users()
              if role_at_least(user["role"], "factchecker") and not user["disabled_at"]]
    actions = [{"action": ASSIGN, "label": "Assign to…", "text": None}] + [
        {"action": step.action, "label": step.label, "text": step.text}
        for step in TRANSITIONS.values() if has_role(g.user, step.role)]
    return render_template("claims.html", people=people, bulk_actions=actions,
                           max_selection=MAX_BULK_CLAIMS)


@bp.route("/tokens", methods=("GET", "POST"))
@role_required("reader")
def tokens():
    store = get_store()
    new_token = None
    error = None
    status = 200
    if request.method == "POST":
        try:
            data = TokenForm().load(request.form.to_dict())
            token, token_hash = new_api_token()
            store.create_token(g.user["id"], data["name"], token_hash)
            new_token = token
            status = 201
        except ValidationError as exc:
            error, status = _first_error(exc)[1], 422
        except DomainError as exc:
            error, status = exc.message, 422
    return render_template("tokens.html", tokens=store.tokens_for_user(g.user["id"]),
                           new_token=new_token, error=error), status


@bp.route("/tokens/<int:token_id>/revoke", methods=("POST",))
@role_required("reader")
def revoke_token(token_id: int):
    token = get_store().revoke_token(g.user["id"], token_id)
    flash(f"Token “{token['name']}” revoked.")
    return redirect(url_for("ui.tokens"))


@bp.route("/exports")
@role_required("editor")
def exports_page():
    """Download buttons for the verdict table, ClaimReview and Web Annotation."""
    store = get_store()
    return render_template("exports.html", articles=store.list_articles(limit=500),
                           users=store.list_users())


# The import and article details forms (registered on bp).
from . import import_pages  # noqa: E402,F401
# The desk at a glance (/desk, registered on bp).
from . import desk_page  # noqa: E402,F401
# The People page and Your account (registered on bp).
from . import people_pages  # noqa: E402,F401
