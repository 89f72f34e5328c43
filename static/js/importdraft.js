/*
 * The import form's unsaved typing (URL, details, pasted text) survives
 * leaving the page or reloading it: kept as a draft in this browser (see
 * drafts.js), offered back on the next visit, and dropped when the form is
 * sent (the server renders what was sent if it refuses it). Leaving with
 * unsaved typing asks first. A chosen file is not kept: browsers let no
 * script set a file input.
 */
import { draftStore, guardUnload, whenSaved } from './drafts.js';

const byId = (id) => document.getElementById(id);
const form = byId('import-form');

function initImportDraft() {
  const store = draftStore('import');
  const fields = Array.from(form.elements).filter((element) => element.name &&
    !['hidden', 'file', 'submit', 'button'].includes(element.type));
  const values = () => Object.fromEntries(fields.map((element) => [element.name, element.value]));
  // What the server rendered: an empty form, or what was sent (a preview, a refusal).
  const rendered = JSON.stringify(values());
  const changed = () => JSON.stringify(values()) !== rendered;
  let sending = false;
  let offered = null;

  const record = () => {
    if (offered) return;  // the offered draft stays until restored or discarded
    if (changed()) store.write({ values: values() });
    else store.clear();
  };
  const hideOffer = () => {
    offered = null;
    byId('draft-offer').hidden = true;
  };

  form.addEventListener('input', record);
  form.addEventListener('change', record);
  form.addEventListener('submit', () => {
    sending = true;
    store.clear();
  });
  guardUnload(() => !sending && changed());

  byId('draft-restore').addEventListener('click', () => {
    const draft = offered;
    hideOffer();
    fields.forEach((element) => {
      if (Object.hasOwn(draft.values, element.name)) element.value = draft.values[element.name];
    });
    record();
    byId('url').focus();
  });
  byId('draft-discard').addEventListener('click', () => {
    hideOffer();
    store.clear();
    record();
    byId('url').focus();
  });

  const draft = store.read();
  if (draft && draft.values && JSON.stringify(draft.values) !== rendered) {
    offered = draft;
    byId('draft-offer-text').textContent =
      `Restore your unsaved changes from ${whenSaved(draft.savedAt)}?`;
    byId('draft-offer').hidden = false;
  }
}

if (form) initImportDraft();
