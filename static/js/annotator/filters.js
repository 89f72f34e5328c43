/*
 * The sidebar's verdict and status filters act on the whole page: they hide
 * the cards left out, count what is shown ("Claims (2 of 5)"), and dim the
 * highlights left out in the text. The filters live in the address's query
 * (?verdict=denied&status=draft), so a view can be shared, survives a
 * reload, and Back / Forward step through it; the fragment stays free for
 * the links to a claim (#claim-12). They only act on what is on the page,
 * so they are re-applied whenever refresh() redraws the article and list.
 *
 * A dimmed highlight is plain text to everyone: no verdict colour, pattern
 * or icon (styles in app.css, text kept at full contrast), no tab stop, no
 * link role, so neither n / p, Tab, a click nor a screen reader offers a
 * claim the filters put aside. The server gives a claim's first mark its
 * tab stop and role; they come back when the filters let the claim in.
 */
const FILTERS = { verdict: 'filter-verdict', status: 'filter-status' };
const FILTERED_OUT = 'filtered-out';
const byId = (id) => document.getElementById(id);

function chosen() {
  return Object.fromEntries(Object.entries(FILTERS).map(([name, id]) => [name, byId(id).value]));
}

function shows(element, filters) {
  return Object.entries(filters).every(([name, value]) => !value || element.dataset[name] === value);
}

/** "2 of 5" while a filter leaves claims out, else "5". */
function countText(shown, total) {
  return shown === total ? String(total) : `${shown} of ${total}`;
}

function showCards(filters) {
  let shown = 0;
  let total = 0;
  let orphanedShown = 0;
  let orphanedTotal = 0;
  document.querySelectorAll('#claim-list .claim-card').forEach((card) => {
    const show = shows(card, filters);
    card.hidden = !show;
    if (card.closest('#claim-cards')) {
      total += 1;
      if (show) shown += 1;
    } else {
      orphanedTotal += 1;
      if (show) orphanedShown += 1;
    }
  });
  const count = byId('claim-count');
  if (count) count.textContent = countText(shown, total);
  const orphaned = byId('orphaned-count');
  if (orphaned) orphaned.textContent = countText(orphanedShown, orphanedTotal);
  return { shown, total };
}

/** Dim the highlights of claims whose cards the filters hide. */
function dimHighlights() {
  const hidden = new Set(Array.from(document.querySelectorAll('#claim-list .claim-card[hidden]'),
    (card) => card.dataset.claimId));
  document.querySelectorAll('#passages mark.claim[data-claim-id]').forEach((mark) => {
    const out = hidden.has(mark.dataset.claimId);
    mark.classList.toggle(FILTERED_OUT, out);
    if (mark.dataset.part === 'cont') return;  // never a tab stop
    if (out) {
      mark.removeAttribute('tabindex');
      mark.removeAttribute('role');
    } else {
      mark.setAttribute('tabindex', '0');
      mark.setAttribute('role', 'link');  // as _article_body.html draws it
    }
  });
}

export function applyFilters() {
  const filters = chosen();
  const { shown, total } = showCards(filters);
  dimHighlights();
  const message = byId('filter-message');
  if (message) {
    message.textContent = shown === total ? ''
      : `Showing ${shown} of ${total} claims; the other highlights are dimmed.`;
  }
}

/** The filters in the address; a value no select offers is left out. */
function fromAddress() {
  const params = new URLSearchParams(window.location.search);
  Object.entries(FILTERS).forEach(([name, id]) => {
    const select = byId(id);
    const value = params.get(name) || '';
    select.value = Array.from(select.options).some((option) => option.value === value) ? value : '';
  });
}

/** The address for the current filters, keeping other query keys and the fragment. */
function addressFor(filters) {
  const url = new URL(window.location.href);
  Object.entries(filters).forEach(([name, value]) => {
    if (value) url.searchParams.set(name, value);
    else url.searchParams.delete(name);
  });
  return url.href;
}

/**
 * A link to a claim the filters hide (#claim-12 from the queue, or a shared
 * address) would lead nowhere: the filters are cleared so the claim shows.
 */
function revealLinkedClaim() {
  const match = /^#claim-(\d+)$/.exec(window.location.hash);
  const card = match && byId(`claim-${match[1]}`);
  if (!card || !card.hidden) return;
  Object.values(FILTERS).forEach((id) => { byId(id).value = ''; });
  window.history.replaceState(window.history.state, '', addressFor(chosen()));
  applyFilters();
  card.scrollIntoView({ block: 'start' });
}

function onChange() {
  const address = addressFor(chosen());
  if (address !== window.location.href) window.history.pushState(null, '', address);
  applyFilters();
}

export function initFilters() {
  fromAddress();
  const normal = addressFor(chosen());
  if (normal !== window.location.href) window.history.replaceState(window.history.state, '', normal);
  applyFilters();
  revealLinkedClaim();
  Object.values(FILTERS).forEach((id) => byId(id).addEventListener('change', onChange));
  // Back / Forward between filter views, and a fragment link followed on the page.
  window.addEventListener('popstate', () => {
    fromAddress();
    applyFilters();
    revealLinkedClaim();
  });
  window.addEventListener('hashchange', revealLinkedClaim);
}
