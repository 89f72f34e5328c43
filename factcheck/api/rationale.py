"""The rationale editor's preview: Markdown in, the clean HTML it would be
saved as out, rendered by the same code as a Save (so the preview is what
readers will get). Writes nothing; factcheckers and up, CSRF like any
session write, the body bounded like a rationale."""

from annotations.rationale_markdown import render_markdown

from ..schemas import RationalePreviewIn, RationalePreviewOut
from . import bp
from .helpers import errors, require_role


@bp.post("/rationale/preview")
@require_role("factchecker")
@bp.arguments(RationalePreviewIn)
@bp.response(200, RationalePreviewOut)
@errors(400, 401, 403, 413, 415, 422)
def preview_rationale(data):
    """Render a Markdown rationale to the clean HTML a Save would store (nothing is saved)."""
    return {"html": render_markdown(data["markdown"])}
