"""The import form (/import) and an article's details form
(/articles/<id>/details), on the UI's blueprint.

Importing from the form: paste or upload the article, or give only its URL
and the page is fetched. "Fetch & preview" fetches (or reads what was
pasted), extracts, and shows the title, author, date, publisher and
canonical URL it found in the form's boxes for review, with the first
passages; "Import" then imports the previewed page with the reviewed
metadata. The preview's fetch (when, ETag, Last-Modified, final URL) rides
along signed, so the article records it as if imported by URL directly.
"""

from flask import current_app, flash, redirect, render_template, request, url_for
from itsdangerous import BadSignature, URLSafeTimedSerializer
from marshmallow import ValidationError

from annotations.fetching import FetchedPage, FetchPolicy, FetchRefused, fetch_page
from annotations.importer import ImportLimits, decode_upload, parse_article
from annotations.models import ARTICLE_FIELDS, DomainError
from annotations.url_import import import_from_url
from annotations.urls import validate_http_url

from .auth import current_actor, role_required
from .db import get_store
from .forms import ArticleEditForm, ImportForm
from .ui import _first_error, bp

PREVIEW_PASSAGES = 8
# A preview's fetch is trusted for this long (seconds) when imported.
FETCH_TOKEN_MAX_AGE = 3600


@bp.route("/import", methods=("GET", "POST"))
@role_required("factchecker")
def import_article():
    form = request.form.to_dict()
    if request.method == "GET":
        return render_template("import.html", form=form, error=None, preview=None)
    upload = request.files.get("file")
    try:
        if upload and upload.filename:
            form["text"] = decode_upload(upload.read(), "file",
                                         current_app.config["MAX_IMPORT_BYTES"])
            is_html_file = upload.filename.lower().endswith((".html", ".htm"))
            if is_html_file and form.get("format") in (None, "", "auto"):
                form["format"] = "html"
        data = ImportForm().load(form)
        if data["action"] == "preview":
            return _preview(form, data)
        result = _import(data)
    except ValidationError as error:
        return render_template("import.html", form=form, error=_first_error(error),
                               preview=None), 422
    except FetchRefused as error:
        return render_template("import.html", form=form, error=(error.field, error.message),
                               preview=None), error.status
    except DomainError as error:
        return render_template("import.html", form=form, error=(error.field, error.message),
                               preview=None), 422
    if result.unchanged:
        flash(f"The page is unchanged since it was last fetched; "
              f"{result.passage_count} passages kept.")
    else:
        verb = "Imported" if result.created else "Re-imported"
        extra = "" if result.created else \
            f"; {result.claims_kept} claims kept, {result.claims_orphaned} orphaned"
        flash(f"{verb} {result.passage_count} passages{extra}.")
    for alias in result.aliases_added:
        flash(f"Also found under {alias} (added as another URL of this article).")
    for warning in result.warnings:
        flash(f"Note: {warning}.")
    return redirect(url_for("ui.article", article_id=result.article_id, imported=1))


def _limits() -> ImportLimits:
    return ImportLimits.from_settings(current_app.config)


def _metadata(data: dict) -> dict:
    metadata = {k: data.get(k) for k in ARTICLE_FIELDS}
    if metadata["published_date"]:
        metadata["published_date"] = metadata["published_date"].isoformat()
    return metadata


def _preview(form: dict, data: dict):
    """The form again, its empty metadata boxes filled with what the page
    says, the fetched page in the text box and the first passages shown."""
    url = validate_http_url(data["url"])
    fetched = None
    if data.get("text"):
        content, content_format = data["text"], data["format"]
    else:
        fetched = fetch_page(url, FetchPolicy.from_settings(current_app.config))
        content, content_format = fetched.html, "html"
    parsed = parse_article(content, content_format, "text", _limits(), page_url=url)
    found = {**parsed.metadata.article_fields(),
             "canonical_url": parsed.metadata.canonical_url or ""}
    filled = {**form, **{k: v for k, v in found.items() if v and not form.get(k)}}
    if fetched is not None:
        filled.update(text=fetched.html, format="html", fetch_token=_fetch_token(url, fetched))
    preview = {"passages": parsed.passages[:PREVIEW_PASSAGES], "count": len(parsed.passages),
               "fetched": fetched is not None, "found": found}
    return render_template("import.html", form=filled, error=None, preview=preview)


def _import(data: dict):
    store, actor = get_store(), current_actor()
    if not data.get("text"):
        return import_from_url(store, data["url"], actor,
                               FetchPolicy.from_settings(current_app.config), _limits(),
                               **_metadata(data))
    parsed = parse_article(data["text"], data["format"], "text", _limits(), page_url=data["url"])
    if data.get("canonical_url"):
        parsed.metadata.canonical_url = validate_http_url(data["canonical_url"], "canonical_url")
    fetched = _verified_fetch(data.get("fetch_token"), data["url"])
    return store.import_article(
        data["url"], parsed, actor, fetched=fetched,
        other_urls=[fetched["final_url"]] if fetched else [], **_metadata(data))


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.secret_key, salt="factcheck.import-fetch")


def _fetch_token(url: str, page: FetchedPage) -> str:
    return _serializer().dumps({"url": url, "final_url": page.url, **page.record()})


def _verified_fetch(token: str | None, url: str) -> dict | None:
    """The preview's fetch record, if the token is ours, recent and for
    this URL; otherwise the import is recorded as not fetched."""
    if not token:
        return None
    try:
        record = _serializer().loads(token, max_age=FETCH_TOKEN_MAX_AGE)
    except BadSignature:
        return None
    return record if record.get("url") == url else None


@bp.route("/articles/<int:article_id>/details", methods=("GET", "POST"))
@role_required("factchecker")
def article_details(article_id: int):
    """Correct an article's title, author, date, publisher and language."""
    store = get_store()
    article = store.article(article_id)
    if request.method == "GET":
        return render_template("article_details.html", article=article, form=article,
                               error=None)
    form = request.form.to_dict()
    try:
        data = ArticleEditForm().load(form)
        if data.get("published_date"):
            data["published_date"] = data["published_date"].isoformat()
        store.update_article_metadata(article_id, data, current_actor())
    except ValidationError as error:
        return render_template("article_details.html", article=article, form=form,
                               error=_first_error(error)), 422
    except DomainError as error:
        return render_template("article_details.html", article=article, form=form,
                               error=(error.field, error.message)), 422
    flash("Article details saved.")
    return redirect(url_for("ui.article", article_id=article_id))
