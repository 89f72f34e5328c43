"""The base of the API schemas: StrictSchema, which refuses unknown fields
and counts bounded lists before loading them, the field helpers, and the
shared-instance cache ``schema()``."""

import functools
from collections.abc import Mapping

from marshmallow import RAISE, Schema, ValidationError, fields, pre_load, validate


class StrictSchema(Schema):
    class Meta:
        unknown = RAISE

    @pre_load
    def lists_within_bounds(self, data, **kwargs):
        """Each bounded list in the body is counted before marshmallow loads
        its items: 200,000 citations took 13 s to load only to be refused
        for their number."""
        if not isinstance(data, Mapping):
            return data
        for name, field in self.load_fields.items():
            key = field.data_key or name
            bound = _max_length(field) if isinstance(field, fields.List) else None
            value = data.get(key)
            if bound is not None and isinstance(value, list) and len(value) > bound:
                raise ValidationError(f"Longer than maximum length {bound}.", key)
        return data


def _max_length(field: fields.Field) -> int | None:
    """The max of a field's Length validator, if it has one."""
    bounds = [v.max for v in field.validators
              if isinstance(v, validate.Length) and v.max is not None]
    return min(bounds) if bounds else None


# A row id: SQLite's INTEGER range. A larger number would fail inside the
# database (OverflowError, a 500) instead of being a 404 or 422.
ROW_ID = validate.Range(1, 2**63 - 1)


def _text(max_length: int, **kwargs):
    return fields.String(validate=validate.Length(max=max_length), **kwargs)


def _required_text(max_length: int, **kwargs):
    return fields.String(required=True, validate=validate.Length(min=1, max=max_length), **kwargs)


@functools.cache
def schema(cls, many: bool = False) -> Schema:
    """One shared instance per schema: building one deep-copies its fields,
    and instances hold no per-request state."""
    return cls(many=many)
