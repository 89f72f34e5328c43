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
 * The PATCH list of sources in the form's order. The store lists a claim's
 * sources by id, so an order is kept by keeping the ids of the longest run
 * that is already in ascending order from the top, and sending the sources
 * after it without ids: the server adds them again, after the others, in
 * the order given (each such source shows in the history as removed and
 * added).
 */
export function orderedCitationBodies(citations) {
  let last = 0;
  let inOrder = true;
  return citations.map((citation) => {
    if (inOrder && citation.id && citation.id > last) {
      last = citation.id;
      return { id: citation.id, ...citationBody(citation) };
    }
    inOrder = false;
    return newCitationBody(citation);
  });
}
