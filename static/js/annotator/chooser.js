/*
 * Highlights are nested <mark class="claim"> elements, one claim per mark
 * (templates/_article_body.html): where claims overlap, a mark sits inside
 * another. A click on text that several claims cover asks which one to open,
 * in a small list next to the click; everywhere else it opens the one claim
 * there. Keyboard users reach every claim directly: each claim's first mark
 * is a tab stop (and n / p move between them), and Enter or Space opens it.
 * Everything shown comes from the page's own text, set with textContent.
 */
const HIGHLIGHT = '#passages mark.claim[data-claim-id]';
let chooser = null;

// Highlights the sidebar's filters leave in (filters.js dims the others).
const SHOWN = `${HIGHLIGHT}:not(.filtered-out)`;

/** The claim ids the filters show at the clicked point, innermost first. */
export function claimsAt(node) {
  const ids = [];
  let mark = node.closest ? node.closest(SHOWN) : null;
  while (mark) {
    if (!ids.includes(mark.dataset.claimId)) ids.push(mark.dataset.claimId);
    mark = mark.parentElement.closest(SHOWN);
  }
  return ids;
}

/** The text a claim covers: its marks' text, in order. */
function claimText(id) {
  return Array.from(document.querySelectorAll(`${HIGHLIGHT}[data-claim-id="${CSS.escape(id)}"]`),
    (mark) => mark.textContent).join('');
}

function firstMark(id) {
  return document.querySelector(`${HIGHLIGHT}[data-claim-id="${CSS.escape(id)}"]`);
}

/** Close the list; focus goes back where it was when `restoreFocus`. */
export function closeChooser(restoreFocus = true) {
  if (!chooser || chooser.hidden) return;
  chooser.hidden = true;
  const back = chooser.returnTo;
  chooser.returnTo = null;
  if (restoreFocus && back && back.isConnected) back.focus({ preventScroll: true });
}

function build() {
  const box = document.createElement('div');
  box.className = 'claim-chooser';
  box.id = 'claim-chooser';
  box.setAttribute('role', 'dialog');
  box.setAttribute('aria-label', 'Claims on this text');
  box.hidden = true;
  box.append(document.createElement('p'), document.createElement('ul'));
  box.addEventListener('click', (event) => {
    const button = event.target.closest('button[data-claim-id]');
    if (!button) return;
    event.preventDefault();
    event.stopPropagation();
    closeChooser(false);
    chooser.open(button.dataset.claimId);
  });
  box.addEventListener('keydown', (event) => {
    if (event.key === 'Escape') { event.preventDefault(); event.stopPropagation(); closeChooser(); return; }
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      const buttons = Array.from(box.querySelectorAll('button'));
      const at = buttons.indexOf(document.activeElement);
      const step = event.key === 'ArrowDown' ? 1 : -1;
      buttons[(at + step + buttons.length) % buttons.length].focus();
    }
  });
  document.body.appendChild(box);
  // A click anywhere else, or focus leaving it, closes the list.
  document.addEventListener('mousedown', (event) => {
    if (!box.hidden && !box.contains(event.target)) closeChooser(false);
  });
  box.addEventListener('focusout', (event) => {
    if (event.relatedTarget && !box.contains(event.relatedTarget)) closeChooser(false);
  });
  return box;
}

/**
 * Offer the claims `ids` (innermost first) next to the point (x, y) in page
 * coordinates; `open(id)` runs on the one chosen.
 */
export function showChooser(ids, x, y, open) {
  if (!chooser) chooser = build();
  chooser.open = open;
  const [title, list] = chooser.children;
  title.textContent = `${ids.length} claims cover this text`;
  list.replaceChildren(...ids.map((id) => {
    const mark = firstMark(id);
    const verdict = mark ? (mark.className.match(/verdict-(\w+)/) || [])[1] : '';
    const item = document.createElement('li');
    const button = document.createElement('button');
    button.type = 'button';
    button.dataset.claimId = id;
    if (verdict) button.classList.add(`verdict-${verdict}`);
    button.textContent = `Claim ${id} · ${mark ? mark.title : ''}: “${claimText(id)}”`;
    item.appendChild(button);
    return item;
  }));
  chooser.returnTo = document.activeElement;
  chooser.hidden = false;
  const width = chooser.offsetWidth;
  const left = Math.max(window.scrollX + 8,
    Math.min(x, window.scrollX + document.documentElement.clientWidth - width - 8));
  chooser.style.left = `${left}px`;
  chooser.style.top = `${y + 12}px`;
  chooser.querySelector('button').focus({ preventScroll: true });
}

export function chooserOpen() {
  return Boolean(chooser && !chooser.hidden);
}
