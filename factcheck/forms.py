"""marshmallow schemas for the UI's HTML form bodies.

Forms carry a csrf_token (checked by Flask-WTF before the view runs), which
the schemas ignore; anything else unknown is refused.
"""

from marshmallow import (EXCLUDE, Schema, ValidationError, fields, pre_load, validate,
                         validates_schema)

from annotations.models import CLAIM_STATUSES, ROLES, VERDICTS
from annotations.text import LONE_SURROGATE_MESSAGE, lone_surrogate_path


class FormSchema(Schema):
    class Meta:
        unknown = EXCLUDE

    @pre_load
    def drop_empty(self, data, **kwargs):
        # An empty text box means "not given", not an empty value.
        return {k: v for k, v in data.items() if v not in ("", None)}

    @pre_load
    def refuse_lone_surrogates(self, data, **kwargs):
        # Werkzeug's form decoding yields none today (undecodable bytes stay
        # as written), but any other path to these schemas gets the form's
        # error, not a 500 at the database.
        broken = lone_surrogate_path(data)
        if broken is not None:
            raise ValidationError(LONE_SURROGATE_MESSAGE, broken)
        return data


# What the article forms' boxes are labelled (templates/import.html and
# _article_metadata_fields.html show these): an error names the box the user
# sees ("Article URL: …"), not the parameter behind it ("url: …").
ARTICLE_FORM_LABELS = {
    "url": "Article URL", "title": "Title", "author": "Author(s)",
    "published_date": "Published on", "publisher": "Publisher", "language": "Language",
    "canonical_url": "Canonical URL", "format": "Format", "text": "Text or HTML",
    "file": "File",
}


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


# The People page (factcheck/people_pages.py): the password of a new or
# reset account is generated, so no form carries one.
class NewUserForm(FormSchema):
    username = fields.String(required=True, validate=validate.Length(min=1, max=64),
                             error_messages={"required": "Enter a username."})
    role = fields.String(required=True, validate=validate.OneOf(ROLES),
                         error_messages={"required": "Choose a role."})


class RoleForm(FormSchema):
    role = fields.String(required=True, validate=validate.OneOf(ROLES),
                         error_messages={"required": "Choose a role."})


class OwnPasswordForm(FormSchema):
    current_password = fields.String(
        required=True, validate=validate.Length(max=1024),
        error_messages={"required": "Enter your current password."})
    new_password = fields.String(
        required=True,
        validate=validate.Length(min=8, max=1024,
                                 error="The new password needs 8 to 1024 characters."),
        error_messages={"required": "Enter a new password."})
    confirm_password = fields.String(
        required=True, error_messages={"required": "Repeat the new password."})

    @validates_schema
    def confirmed(self, data, **kwargs):
        if data.get("new_password") != data.get("confirm_password"):
            raise ValidationError("The two new passwords differ.", "confirm_password")
        if data.get("new_password") == data.get("current_password"):
            raise ValidationError("Choose a password other than the current one.",
                                  "new_password")


class ArticleListQuery(FormSchema):
    q = fields.String(validate=validate.Length(max=200))
    verdict = fields.String(validate=validate.OneOf(VERDICTS))
    status = fields.String(validate=validate.OneOf(CLAIM_STATUSES))
    page = fields.Integer(load_default=1, validate=validate.Range(1, 10**9))
