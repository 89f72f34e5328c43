/*
 * Highlights and the claim list are drawn by the server's templates only:
 * after every change the page's fragment is fetched and swapped in, rather
 * than redrawn here a second way.
 */
import { applyFilters } from './filters.js';

const root = document.getElementById('annotator');

export async function refresh() {
  const response = await fetch(root.dataset.fragmentUrl, { credentials: 'same-origin' });
  const html = await response.text();
  const doc = new DOMParser().parseFromString(html, 'text/html');
  // Spread first: replaceChildren() moves the nodes out of the live lists.
  document.getElementById('article-body')
    .replaceChildren(...doc.getElementById('fragment-body').childNodes);
  document.getElementById('claim-list')
    .replaceChildren(...doc.getElementById('fragment-claims').childNodes);
  applyFilters();
}
