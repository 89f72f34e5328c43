/*
 * An API error names a field by its path in the request ("citations.0.url",
 * "rationale_markdown", "note"); the panel says it in the words its form
 * shows ("Source 1 URL", "Rationale", "Reason"). The words are read from
 * the form's own labels and legends at the time of the error, so they
 * follow the form (and its renumbered source rows) and never drift from it.
 */
const byId = (id) => document.getElementById(id);

// Request fields whose box is not the claim form's element of that name.
const CONTROL_IDS = {
  rationale_markdown: 'claim-rationale', rationale: 'claim-rationale',
  note: 'action-note', correction_note: 'correction-note', minor_edit: 'minor-edit',
  body: 'comment-body',  // a comment in the discussion
};
// The quoted span is the text selected in the article, shown above the form.
const QUOTE = 'Quote';
const SPAN_FIELDS = new Set(['passage_id', 'start', 'end', 'exact', 'prefix', 'suffix', 'target']);

/**
 * What a label or legend says, without the control inside it, its hints,
 * shortcut keys, or a closing remark in brackets ("Label (your newsroom's
 * rating, optional)" is "Label").
 */
function words(element) {
  const copy = element.cloneNode(true);
  copy.querySelectorAll('input, select, textarea, .hint, kbd, [aria-hidden="true"]')
    .forEach((node) => node.remove());
  return copy.textContent.replace(/\s+/g, ' ').replace(/\s*\([^()]*\)$/, '').trim();
}

function legendOf(control) {
  const legend = control.closest('fieldset') && control.closest('fieldset').querySelector('legend');
  return legend ? words(legend) : '';
}

function controlWords(control) {
  if (!control) return '';
  if (control.type === 'radio') return legendOf(control);
  const label = control.labels && control.labels[0];
  return label ? words(label) : '';
}

function sourceLabel(index, name) {
  const row = byId('citation-rows') && byId('citation-rows').children[index];
  const source = row ? words(row.querySelector('legend')) : `Source ${index + 1}`;
  if (!name) return source;
  const control = row && row.querySelector(`[name="${CSS.escape(name)}"]`);
  return `${source} ${controlWords(control) || name}`;
}

/** The form's words for the request field at `path`; the path itself when the form has none. */
export function fieldLabel(path) {
  if (!path) return path;
  const citation = /^citations\.(\d+)(?:\.(\w+))?/.exec(path);
  if (citation) return sourceLabel(Number(citation[1]), citation[2]);
  if (SPAN_FIELDS.has(path.split('.')[0])) return QUOTE;
  if (path === 'citations') {
    const legend = byId('citation-rows') && legendOf(byId('citation-rows'));
    return legend || path;
  }
  const form = byId('claim-form');
  const control = CONTROL_IDS[path] ? byId(CONTROL_IDS[path])
    : form && form.querySelector(`[name="${CSS.escape(path)}"]`);
  return controlWords(control) || path;
}
