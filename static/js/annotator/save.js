/*
 * Saving the panel: a new claim is one POST; an existing one is a chain of
 * small requests (fields, then each source added, edited or removed), each
 * sent with the ETag the previous one returned, so the server can refuse a
 * stale edit with 412 at any step.
 */
import { api, errorText } from './api.js';
import { citationBody, newCitationBody, sameCitation } from './citations.js';
import { conflictShown, showConflict } from './conflict.js';
import { refresh } from './fragment.js';
import { vocabulary } from './page.js';
import { fail, readForm, say, showClaim, state } from './panel.js';

// "verified, denied or unverified", from the shared vocabulary.
const VERDICT_CHOICES = `${vocabulary.verdicts.slice(0, -1).join(', ')} or ${vocabulary.verdicts.at(-1)}`;

async function createClaim(values) {
  const { span } = state;
  const body = {
    passage_id: span.passageId, start: span.start, end: span.end,
    exact: span.exact, verdict: values.verdict, label: values.label,
    rationale: values.rationale,
    citations: values.citations.map(newCitationBody),
  };
  const result = await api('POST', '/api/v1/claims', body);
  if (!result.ok) { fail(errorText(result)); return; }
  showClaim(result.data, result.etag);
  say('Saved as draft.');
  await refresh();
}

/** The requests that turn the loaded claim into `values`, as functions to call in order. */
function stepsFor(claim, values) {
  // Each step reads state.etag when it runs: the previous step updated it.
  const ifMatch = () => ({ 'If-Match': state.etag });
  const steps = [];
  const changes = {};
  ['verdict', 'label', 'rationale'].forEach((name) => {
    if ((values[name] || '') !== (claim[name] || '')) changes[name] = values[name];
  });
  if (Object.keys(changes).length) {
    steps.push(() => api('PATCH', `/api/v1/claims/${claim.id}`, changes, ifMatch()));
  }
  const kept = new Set();
  values.citations.forEach((citation) => {
    if (citation.id) {
      kept.add(citation.id);
      const before = claim.citations.find((c) => c.id === citation.id);
      if (before && !sameCitation(before, citation)) {
        steps.push(() => api('PATCH', `/api/v1/citations/${citation.id}`, citationBody(citation),
                             ifMatch()));
      }
    } else {
      steps.push(() => api('POST', `/api/v1/claims/${claim.id}/citations`, newCitationBody(citation),
                           ifMatch()));
    }
  });
  claim.citations.forEach((citation) => {
    if (!kept.has(citation.id)) {
      steps.push(() => api('DELETE', `/api/v1/citations/${citation.id}`, undefined, ifMatch()));
    }
  });
  return steps;
}

/**
 * Apply the form to the existing claim. A 412 anywhere stops the chain and
 * shows what changed, with the form left as the user typed it.
 */
export async function updateClaim(values) {
  const claim = state.claim;
  const steps = stepsFor(claim, values);
  if (!steps.length) { say('Nothing to save.'); return; }

  let done = true;
  for (const step of steps) {
    const result = await step();
    if (result.status === 412) { showConflict(result.data.current, result.etag, values); done = false; break; }
    if (!result.ok) { fail(errorText(result)); done = false; break; }
    if (result.etag) state.etag = result.etag;
  }
  // Reload the claim as saved; keep the form as typed if a step failed.
  const result = await api('GET', `/api/v1/claims/${claim.id}`);
  if (!result.ok) return;
  if (done) {
    showClaim(result.data, result.etag);
    say('Saved.');
  } else if (!conflictShown()) {
    // Refused (422 and the like): later saves start from what was stored.
    // With a conflict shown, state stays as it is until the user chooses.
    state.claim = result.data;
    state.etag = result.etag;
  }
  await refresh();
}

/** The Save button, Ctrl+Enter and Ctrl+S: check the form, then create or update. */
export async function save() {
  fail('');
  const values = readForm();
  if (!values.verdict) { fail(`verdict: choose ${VERDICT_CHOICES}`); return; }
  const missingUrl = values.citations.findIndex((c) => !c.url);
  if (missingUrl >= 0) { fail(`Source ${missingUrl + 1}: a URL is required`); return; }
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
