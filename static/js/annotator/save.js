/*
 * Saving the panel: a new claim is one POST; an existing one is one PATCH
 * carrying the changed fields and, when any source changed, the whole list
 * of sources (those with an id kept, those without added, those left out
 * removed). One Save is one request, one version and one history entry;
 * it names the version the panel was loaded at (If-Match), so the server
 * refuses a stale edit with 412 and nothing is half-saved.
 */
import { api, errorText } from './api.js';
import { newCitationBody, orderedCitationBodies, sameCitation } from './citations.js';
import { showConflict } from './conflict.js';
import { fieldLabel } from './fieldlabels.js';
import { discardDraft } from './draft.js';
import { refresh } from './fragment.js';
import { vocabulary } from './page.js';
import { fail, readForm, say, showClaim, state } from './panel.js';
import { isRevision } from './workflow.js';

// "verified, denied or unverified", from the shared vocabulary.
const VERDICT_CHOICES = `${vocabulary.verdicts.slice(0, -1).join(', ')} or ${vocabulary.verdicts.at(-1)}`;

async function createClaim(values) {
  const { span } = state;
  const body = {
    passage_id: span.passageId, start: span.start, end: span.end,
    exact: span.exact, verdict: values.verdict, label: values.label,
    summary: values.summary, rationale_markdown: values.rationale_markdown,
    citations: values.citations.map(newCitationBody),
  };
  const result = await api('POST', '/api/v1/claims', body);
  if (!result.ok) { fail(errorText(result, fieldLabel)); return; }
  discardDraft();  // the new span's, before the panel shows the claim
  showClaim(result.data, result.etag);
  say('Saved as draft.');
  await refresh();
}

function sourcesChanged(claim, citations) {
  if (citations.length !== claim.citations.length) return true;
  return citations.some((citation, i) => {
    const before = claim.citations[i];
    return citation.id !== before.id || !sameCitation(before, citation);
  });
}

/** The PATCH body that turns the loaded claim into `values`; {} when nothing changed. */
function patchBody(claim, values) {
  const body = {};
  ['verdict', 'label', 'summary', 'rationale_markdown'].forEach((name) => {
    if ((values[name] || '').trim() !== (claim[name] || '').trim()) body[name] = values[name];
  });
  if (sourcesChanged(claim, values.citations)) {
    body.citations = orderedCitationBodies(values.citations);
  }
  return body;
}

const blankSource = (citation) => !citation.id &&
  !['url', 'title', 'publisher', 'excerpt', 'archive_url'].some((name) => citation[name]);

/**
 * True when the form holds typing that a Save would send (for a new claim:
 * anything). A source row added and left empty is no typing.
 */
export function unsavedChanges() {
  const values = readForm();
  values.citations = values.citations.filter((citation) => !blankSource(citation));
  if (state.mode === 'new') {
    return Boolean(values.verdict || values.label || values.summary || values.rationale_markdown ||
                   values.citations.length);
  }
  return state.mode === 'edit' && Object.keys(patchBody(state.claim, values)).length > 0;
}

/**
 * Apply the form to the existing claim in one request. A 412 shows what
 * changed meanwhile, with the form left as the user typed it.
 */
export async function updateClaim(values) {
  const claim = state.claim;
  const body = patchBody(claim, values);
  if (!Object.keys(body).length) { say('Nothing to save.'); return; }
  const result = await api('PATCH', `/api/v1/claims/${claim.id}`, body, { 'If-Match': state.etag });
  if (result.status === 412) {
    showConflict(result.data.current, result.etag, values);
  } else if (result.status === 409 && result.data && result.data.current) {
    // Its state allows no edit (retracted meanwhile): show it as it is.
    showClaim(result.data.current, result.etag);
    fail(errorText(result, fieldLabel));
  } else if (!result.ok) {
    // Refused (422 and the like): nothing was written; the form keeps the typing.
    fail(errorText(result, fieldLabel));
    return;
  } else {
    const saved = result.data;
    discardDraft();
    showClaim(saved, result.etag);
    if (saved.version === claim.version) {
      // The server's cleaning of the rationale left it as it was.
      say('Nothing changed: the text is the same once cleaned.');
    } else if (claim.status === 'published' && isRevision(saved)) {
      say('Saved as a revision: readers keep the published version until an editor approves it.');
    } else {
      say('Saved.');
    }
  }
  // The highlights and cards show the claim as stored, whatever happened.
  await refresh();
}

/** The Save button, Ctrl+Enter and Ctrl+S: check the form, then create or update. */
export async function save() {
  fail('');
  const values = readForm();
  if (!values.verdict) { fail(`${fieldLabel('verdict')}: choose ${VERDICT_CHOICES}`); return; }
  const missingUrl = values.citations.findIndex((c) => !c.url);
  if (missingUrl >= 0) { fail(`${fieldLabel(`citations.${missingUrl}.url`)}: a URL is required`); return; }
  const button = document.getElementById('save-claim');
  button.disabled = true;
  try {
    await (state.mode === 'new' ? createClaim(values) : updateClaim(values));
  } catch {
    fail('Could not reach the server; nothing was lost, try again.');
  } finally {
    button.disabled = false;
  }
}
