/*
 * Sources as the API wants them. Kept apart from the form because both
 * saving and the 412 re-apply compare sources field by field.
 */
const FIELDS = ['url', 'title', 'publisher', 'excerpt', 'archive_url', 'stance'];
const TEXT_FIELDS = ['title', 'publisher', 'excerpt'];

/**
 * A PATCH body with every field, so that a field cleared in the form is
 * cleared on the server too: cleared text as "", a cleared archive URL as
 * null (a field left out would keep its old value).
 */
export function citationBody(citation) {
  const body = { url: citation.url, stance: citation.stance };
  TEXT_FIELDS.forEach((name) => { body[name] = citation[name] || ''; });
  body.archive_url = citation.archive_url || null;
  return body;
}

/** A POST body: only the fields given. */
export function newCitationBody(citation) {
  const body = {};
  FIELDS.forEach((name) => {
    if (citation[name]) body[name] = citation[name];
  });
  return body;
}

/** Same content, an empty field and a missing one counting as equal. */
export function sameCitation(a, b) {
  return FIELDS.every((name) => (a[name] || '') === (b[name] || ''));
}

/**
 * The PATCH list of sources, in the form's order: a kept source with its id
 * (moved, it stays the same source), a new one without. The server keeps
 * the order given.
 */
export function orderedCitationBodies(citations) {
  return citations.map((citation) => (citation.id
    ? { id: citation.id, ...citationBody(citation) }
    : newCitationBody(citation)));
}
