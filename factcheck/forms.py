"""marshmallow schemas for the UI's HTML form bodies.

Forms carry a csrf_token (checked by Flask-WTF before the view runs), which
the schemas ignore; anything else unknown is refused.
"""

from marshmallow import EXCLUDE, Schema, fields, pre_load, validate

from annotations.models import CLAIM_STATUSES, VERDICTS


class FormSchema(Schema):
    class Meta:
        unknown = EXCLUDE

    @pre_load
    def drop_empty(self, data, **kwargs):
        # An empty text box means "not given", not an empty value.
        return {k: v for k, v in data.items() if v not in ("", None)}


class ArticleMetadataForm(FormSchema):
    """An article's metadata as the import and edit forms carry it."""
    title = fields.String(validate=validate.Length(max=500))
    publisher = fields.String(validate=validate.Length(max=200))
    author = fields.String(validate=validate.Length(max=200))
    published_date = fields.Date()
    language = fields.String(validate=validate.Length(max=35))


class ImportForm(ArticleMetadataForm):
    url = fields.String(required=True, validate=validate.Length(min=1, max=2048))
    format = fields.String(load_default="auto", validate=validate.OneOf(["auto", "text", "html"]))
    # Pasted, or decoded from the uploaded file by the view; none: the page
    # is fetched from url.
    text = fields.String()
    # Another URL of the page (its canonical URL), made an alias.
    canonical_url = fields.String(validate=validate.Length(max=2048))
    # The fetch a preview made, signed by the view (ui._fetch_token).
    fetch_token = fields.String(validate=validate.Length(max=4096))
    action = fields.String(load_default="import", validate=validate.OneOf(["import", "preview"]))


class ArticleEditForm(ArticleMetadataForm):
    published_date = fields.Date(allow_none=True)

    @pre_load
    def drop_empty(self, data, **kwargs):
        # Unlike other forms, an emptied box here clears the field (the
        # form sends every field, so "not given" does not happen).
        return {k: (None if k == "published_date" and v == "" else v) for k, v in data.items()}


class TokenForm(FormSchema):
    name = fields.String(required=True, validate=validate.Length(min=1, max=100))


class ArticleListQuery(FormSchema):
    q = fields.String(validate=validate.Length(max=200))
    verdict = fields.String(validate=validate.OneOf(VERDICTS))
    status = fields.String(validate=validate.OneOf(CLAIM_STATUSES))
    page = fields.Integer(load_default=1, validate=validate.Range(1, 10**9))
