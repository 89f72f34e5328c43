/*
 * Unsaved typing kept in the browser (localStorage), so that closing a form,
 * leaving the page or reloading it loses nothing: the claim panel keeps one
 * draft per claim (or per new span), the import page one for its form. A
 * draft is only ever read back into form fields (values, never markup).
 *
 * Storage may be unavailable (a private window, a full quota): the forms
 * then work as before, without drafts.
 */
const PREFIX = 'factdesk.draft.';

function storage() {
  try {
    return window.localStorage;
  } catch {
    return null;  // access denied by the browser's settings
  }
}

/** The draft kept under `key`: {read, write, clear}; read() is {savedAt, ...data} or null. */
export function draftStore(key) {
  const name = PREFIX + key;
  return {
    read() {
      try {
        const draft = JSON.parse(storage().getItem(name));
        return draft && typeof draft === 'object' && draft.savedAt ? draft : null;
      } catch {
        return null;  // none, unreadable, or no storage
      }
    },
    write(data) {
      try {
        storage().setItem(name, JSON.stringify({ ...data, savedAt: new Date().toISOString() }));
        return true;
      } catch {
        return false;  // quota exceeded or no storage: nothing else to do
      }
    },
    clear() {
      try { storage().removeItem(name); } catch { /* no storage: nothing kept */ }
    },
  };
}

/** When something was saved: "today at 16:05", "yesterday at 09:12" or "3 Dec 2026, 09:12" (the reader's locale and time zone). */
export function whenSaved(iso) {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return 'an earlier visit';
  const time = date.toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' });
  const day = new Date(date);
  day.setHours(0, 0, 0, 0);
  const today = new Date();
  today.setHours(0, 0, 0, 0);
  const days = Math.round((today - day) / 86400000);
  if (days === 0) return `today at ${time}`;
  if (days === 1) return `yesterday at ${time}`;
  return date.toLocaleString(undefined, { day: 'numeric', month: 'short', year: 'numeric',
                                          hour: '2-digit', minute: '2-digit' });
}

/**
 * Ask before the page is left (a link, a reload, closing the tab) while
 * `unsaved()` is true. The browser words the question; the draft is kept
 * either way.
 */
export function guardUnload(unsaved) {
  window.addEventListener('beforeunload', (event) => {
    if (!unsaved()) return;
    event.preventDefault();
    event.returnValue = '';  // older browsers only ask when it is set
  });
}
