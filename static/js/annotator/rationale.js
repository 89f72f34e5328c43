/*
 * The rationale's live preview. The desk types Markdown; the server renders
 * it (POST /api/v1/rationale/preview) with the same code and sanitiser a
 * Save uses, so the preview is exactly what readers will get. Requests are
 * debounced and only the answer to the latest text is shown.
 */
import { api, errorText } from './api.js';

const byId = (id) => document.getElementById(id);
// Typing pauses this long before the preview is asked for.
const DEBOUNCE_MS = 300;

let timer = null;
// Bumped on every request: an answer to older text is dropped.
let latest = 0;

function hint(text) {
  const note = document.createElement('p');
  note.className = 'hint';
  note.textContent = text;
  return note;
}

/**
 * Show the server's clean HTML. It is parsed into an inert document (no
 * script runs, nothing loads there) and its nodes moved into the pane.
 */
function showHtml(body, html) {
  if (!html) { body.replaceChildren(hint('Nothing to preview yet.')); return; }
  const doc = new DOMParser().parseFromString(html, 'text/html');
  body.replaceChildren(...Array.from(doc.body.childNodes, (node) => document.adoptNode(node)));
}

async function render(source) {
  const body = byId('rationale-preview-body');
  const request = ++latest;
  if (!source.trim()) { showHtml(body, ''); return; }
  let result;
  try {
    result = await api('POST', '/api/v1/rationale/preview', { markdown: source });
  } catch {
    result = null;
  }
  if (request !== latest) return;
  if (!result || !result.ok) {
    body.replaceChildren(hint(result ? `No preview: ${errorText(result)}`
                                     : 'No preview: the server could not be reached.'));
    return;
  }
  showHtml(body, result.data.html);
}

/** Render now (the panel was filled), or after the typing pauses. */
function schedule(delay) {
  clearTimeout(timer);
  const source = byId('claim-rationale').value;
  timer = setTimeout(() => render(source), delay);
}

export function initRationalePreview() {
  const textarea = byId('claim-rationale');
  if (!textarea) return;  // readers have no panel
  textarea.addEventListener('input', () => schedule(DEBOUNCE_MS));
  // The form is filled without input events: a claim opened, a conflict
  // rebased, a draft restored.
  textarea.form.addEventListener('form-filled', () => schedule(0));
}
