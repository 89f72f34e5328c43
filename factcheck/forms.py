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


class ImportForm(FormSchema):
    url = fields.String(required=True, validate=validate.Length(min=1, max=2048))
    title = fields.String(validate=validate.Length(max=500))
    publisher = fields.String(validate=validate.Length(max=200))
    format = fields.String(load_default="auto", validate=validate.OneOf(["auto", "text", "html"]))
    # Pasted, or decoded from the uploaded file by the view.
    text = fields.String(required=True, error_messages={
        "required": "paste the article or choose a file"})


class TokenForm(FormSchema):
    name = fields.String(required=True, validate=validate.Length(min=1, max=100))


class ArticleListQuery(FormSchema):
    q = fields.String(validate=validate.Length(max=200))
    verdict = fields.String(validate=validate.OneOf(VERDICTS))
    status = fields.String(validate=validate.OneOf(CLAIM_STATUSES))
    page = fields.Integer(load_default=1, validate=validate.Range(1, 10**9))
