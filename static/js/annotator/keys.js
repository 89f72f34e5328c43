/*
 * Keyboard shortcuts (listed on the page under "Keyboard shortcuts"). Keys
 * typed into text fields are left alone, and so is anything with Alt or
 * Meta, which belong to the browser and the system.
 */
import { vocabulary } from './page.js';
import { escape } from './draft.js';
import { inPanel, openFromSelection, panelOpen, setVerdict } from './panel.js';
import { cancelReattach, pickSelection, reattaching } from './reattach.js';
import { save } from './save.js';

// v, d, u: each verdict by its first letter.
const VERDICT_KEYS = Object.fromEntries(vocabulary.verdicts.map((verdict) => [verdict[0], verdict]));

function typingIn(element) {
  return element && (element.matches('textarea, select, [contenteditable]') ||
    (element.matches('input') && !/^(radio|checkbox|button|submit)$/.test(element.type)));
}

/** Focus the next (step 1) or previous (step -1) highlight, wrapping around. */
function moveToClaim(step) {
  const highlights = Array.from(document.querySelectorAll('#passages mark.claim[tabindex]'));
  if (!highlights.length) return;
  const index = highlights.indexOf(document.activeElement);
  let next = highlights[(index + step + highlights.length) % highlights.length];
  if (index === -1 && step < 0) next = highlights[highlights.length - 1];
  next.focus();
  next.scrollIntoView({ block: 'center' });
}

function onKeydown(event) {
  if (event.defaultPrevented || event.altKey || event.metaKey) return;
  if (panelOpen()) {
    if (event.ctrlKey && (event.key === 'Enter' || event.key === 's')) {
      event.preventDefault();
      save();
      return;
    }
    // The panel sits beside the article, not over it: Esc closes it from
    // either; the letters are the panel's inside it and the article's outside.
    if (event.key === 'Escape' && !event.ctrlKey && !reattaching()) {
      event.preventDefault();
      escape();
      return;
    }
    if (inPanel(event.target)) {
      if (event.ctrlKey || typingIn(event.target)) return;
      if (Object.hasOwn(VERDICT_KEYS, event.key)) {
        event.preventDefault();
        setVerdict(VERDICT_KEYS[event.key]);
      }
      return;
    }
  }
  if (event.ctrlKey || typingIn(event.target)) return;
  if (reattaching()) {
    // Picking an orphaned claim's new text: "c" takes the selection, Esc stops.
    if (event.key === 'c') { if (pickSelection()) event.preventDefault(); return; }
    if (event.key === 'Escape') { event.preventDefault(); cancelReattach(); return; }
  }
  if (event.key === 'n' || event.key === 'j') { event.preventDefault(); moveToClaim(1); }
  else if (event.key === 'p' || event.key === 'k') { event.preventDefault(); moveToClaim(-1); }
  else if (event.key === 'c') { if (openFromSelection()) event.preventDefault(); }
}

export function initKeys() {
  document.addEventListener('keydown', onKeydown);
}
