/*
 * Sources as the API wants them. Kept apart from the form because both
 * saving and the 412 re-apply compare sources field by field.
 */
const FIELDS = ['url', 'title', 'publisher', 'excerpt', 'archive_url', 'stance'];

/** A PATCH body: empty fields left out, except that a cleared archive URL is sent as null. */
export function citationBody(citation) {
  const body = {};
  FIELDS.forEach((name) => {
    if (citation[name]) body[name] = citation[name];
  });
  if (!citation.archive_url) body.archive_url = null;
  return body;
}

/** A POST body: a new source has no archive URL to clear. */
export function newCitationBody(citation) {
  const body = citationBody(citation);
  if (body.archive_url === null) delete body.archive_url;
  return body;
}

/** Same content, an empty field and a missing one counting as equal. */
export function sameCitation(a, b) {
  return FIELDS.every((name) => (a[name] || '') === (b[name] || ''));
}
