"""The desk at a glance (/desk, editors): five charts drawn server-side as
SVG, each with its numbers as a table and as CSV (/desk/<figure>.csv), for a
period and optionally one site. On the UI's blueprint; the figures and their
definitions are annotations.desk's.
"""

import datetime

from flask import Response, abort, render_template, request
from marshmallow import EXCLUDE, Schema, ValidationError, fields, pre_load, validate

from annotations import desk
from annotations.charts import PATTERN_SIZE, PATTERNS
from annotations.models import DomainError

from .auth import role_required
from .db import get_store
from .ui import _first_error, bp


class DeskQuery(Schema):
    """The page's filter form; empty boxes mean the default, and what the
    form does not send (a hand-edited address) is ignored."""
    class Meta:
        unknown = EXCLUDE

    since = fields.Date(metadata={"description": "first day, inclusive"})
    until = fields.Date(metadata={"description": "last day, inclusive"})
    site = fields.String(validate=validate.Length(1, 253))

    @pre_load
    def empty_means_unset(self, data, **kwargs):
        return {key: value.strip() for key, value in data.items() if value.strip()}


def _now() -> datetime.datetime:
    return datetime.datetime.now(datetime.timezone.utc)


def _filters() -> tuple[desk.Period, str | None, dict]:
    """The period and site the query asks for, and the query as given;
    DomainError naming the field when it cannot be used."""
    try:
        query = DeskQuery().load(request.args.to_dict())
    except ValidationError as error:
        raise DomainError(*_first_error(error)) from None
    default = desk.Period.default(_now().date())
    period = desk.Period(query.get("since", default.since), query.get("until", default.until))
    period.check()
    site = query.get("site", "").lower() or None
    return period, site, query


@bp.route("/desk")
@role_required("editor")
def desk_page():
    """The charts, or the form with what is wrong with it (422)."""
    try:
        period, site, query = _filters()
    except DomainError as error:
        return render_template("desk.html", error=error, query=request.args, figures=[],
                               patterns=PATTERNS, pattern_size=PATTERN_SIZE), 422
    figures = desk.all_figures(get_store(), period, _now(), site)
    return render_template("desk.html", error=None, query=query, period=period, site=site,
                           figures=figures, patterns=PATTERNS, pattern_size=PATTERN_SIZE,
                           csv_query={k: v.isoformat() if hasattr(v, "isoformat") else v
                                      for k, v in query.items()})


@bp.route("/desk/<name>.csv")
@role_required("editor")
def desk_csv(name: str):
    """One figure's table as CSV, for the same period and site as the page."""
    if name not in desk.FIGURES:
        abort(404, f"the desk's figures are {', '.join(desk.FIGURES)}")
    try:
        period, site, _ = _filters()
    except DomainError as error:
        abort(422, f"{error.field}: {error.message}")
    figure = desk.figure(name, get_store(), period, _now(), site)
    return Response(figure.csv(), content_type="text/csv; charset=utf-8", headers={
        "Content-Disposition": f'attachment; filename="desk-{name}.csv"'})
