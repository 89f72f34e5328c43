"""One JSON error shape for /api/*, an HTML error page elsewhere.

Every API error is built by ``json_error``:

    {"error": {"status": 400, "code": "invalid", "message": "...",
               "field": "start", "fields": {"start": ["..."]}}}

``field`` names the first offending input (or is null); ``fields`` maps each
offending input to its messages. Views and hooks raise (``ApiError``, or
the domain's ``NotFound``/``DomainError``); the handlers below answer.
"""

from flask import jsonify, make_response, render_template, request
from marshmallow import ValidationError
from werkzeug.exceptions import HTTPException

from annotations.models import DomainError, NotAllowed, NotFound


class ApiError(HTTPException):
    """An error with a field, raised from a view, decorator or hook, answered
    as JSON by the HTTPException handler below."""

    def __init__(self, status: int, message: str, field: str | None = None,
                 code: str | None = None, headers: dict | None = None):
        super().__init__(message)
        self.code = status
        self.field = field
        self.error_code = code
        self.headers = headers or {}

    def get_headers(self, environ=None, scope=None):
        return [*super().get_headers(environ, scope), *self.headers.items()]


def json_error(status: int, message: str, code: str | None = None,
               field: str | None = None, fields: dict | None = None):
    if fields and field is None:
        field = next(iter(fields))
    if field and not fields:
        fields = {field: [message]}
    body = {"error": {
        "status": status,
        "code": code or _code_for(status),
        "message": message,
        "field": field,
        "fields": fields or {},
    }}
    response = jsonify(body)
    response.status_code = status
    return response


def _code_for(status: int) -> str:
    return {400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found",
            405: "method_not_allowed", 409: "conflict", 412: "precondition_failed",
            413: "too_large", 415: "unsupported_media_type", 422: "invalid",
            428: "precondition_required", 429: "too_many_requests"}.get(status, "error")


def _flatten(messages, prefix="") -> dict:
    """marshmallow's nested {"citations": {0: {"url": [...]}}} to dotted keys."""
    flat = {}
    if isinstance(messages, dict):
        for key, value in messages.items():
            name = f"{prefix}.{key}" if prefix else str(key)
            if key == "_schema" and prefix:
                # A nested object that is wrong as a whole (not an object,
                # say): the error belongs to the field that holds it.
                name = prefix
            if isinstance(value, dict):
                flat.update(_flatten(value, name))
            else:
                flat[name] = value if isinstance(value, list) else [value]
    else:
        flat[prefix or "_schema"] = messages if isinstance(messages, list) else [messages]
    return flat


def wants_json() -> bool:
    return request.path.startswith("/api/")


def _error_page(status: int, message: str):
    return render_template("error.html", status=status, message=message), status


def init_app(app) -> None:
    @app.errorhandler(ValidationError)
    def validation_error(error):
        fields = _flatten(error.messages)
        first = next(iter(fields))
        message = f"{first}: {fields[first][0]}"
        if wants_json():
            return json_error(422, message, "invalid", fields=fields)
        return _error_page(422, message)

    @app.errorhandler(DomainError)
    def domain_error(error):
        if wants_json():
            return json_error(422, error.message, "invalid", field=error.field)
        return _error_page(422, error.message)

    @app.errorhandler(NotAllowed)
    def not_allowed(error):
        if wants_json():
            return json_error(403, error.message, field=error.field)
        return _error_page(403, error.message)

    @app.errorhandler(NotFound)
    def not_found(error):
        message = f"{error.entity} {error.entity_id} not found"
        if wants_json():
            return json_error(404, message, field=f"{error.entity}_id")
        return _error_page(404, message)

    @app.errorhandler(HTTPException)
    def http_error(error):
        # Keep the headers the error carries, such as Allow on a 405.
        headers = [(k, v) for k, v in error.get_headers() if k.lower() != "content-type"]
        if wants_json():
            response = json_error(error.code, error.description,
                                  getattr(error, "error_code", None),
                                  field=getattr(error, "field", None))
        else:
            response = make_response(_error_page(error.code, error.description))
        response.headers.extend(headers)
        return response

    @app.errorhandler(Exception)
    def unexpected(error):
        app.logger.exception("unhandled error")
        if wants_json():
            return json_error(500, "internal error")
        return _error_page(500, "Something went wrong on our side.")
