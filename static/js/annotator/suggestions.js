/*
 * Check once, show everywhere (issue 15). When the panel shows a new span or
 * a claim that follows no other fact-check, it lists earlier fact-checks of
 * the same claim in other articles (GET /api/v1/claims/similar): verdict,
 * article, how alike, the shared words marked in their quote. "Link to this
 * fact-check" makes the claim follow that one (PUT …/link; a new span is
 * saved as a draft first); a linked claim shows where its fact-check comes
 * from, its inherited fields locked, and "Unlink" (DELETE …/link).
 * User strings are only ever set with textContent; links only to http(s).
 */
import { api, errorText } from './api.js';
import { refresh } from './fragment.js';
import { fail, say, showClaim, state } from './panel.js';

const byId = (id) => document.getElementById(id);
const panel = byId('claim-panel');
const section = byId('suggestions');
const list = byId('suggestion-list');
const status = byId('suggestions-status');
const template = byId('suggestion-template');
const articleId = Number(byId('annotator').dataset.articleId);
// The form's parts a linked claim takes from its original.
const INHERITED = ['fieldset.verdicts', '#claim-label', '#claim-rationale', 'fieldset.citations-editor'];
const SUGGESTIONS_SHOWN = 5;
// Panels opened in quick succession: only the latest one's answer is drawn.
let asked = 0;

const httpUrl = (url) => {
  try {
    return ['http:', 'https:'].includes(new URL(url).protocol) ? url : null;
  } catch {
    return null;
  }
};

const escapeRegExp = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** `text` as text nodes, with each of `words` (any case) in a <mark>. */
function markedWords(text, words) {
  const fragment = document.createDocumentFragment();
  const wanted = [...words].filter(Boolean).sort((a, b) => b.length - a.length);
  if (!wanted.length) { fragment.append(text); return fragment; }
  const pattern = new RegExp(wanted.map(escapeRegExp).join('|'), 'giu');
  let last = 0;
  for (const match of text.matchAll(pattern)) {
    fragment.append(text.slice(last, match.index));
    const mark = document.createElement('mark');
    mark.className = 'shared-word';
    mark.textContent = match[0];
    fragment.append(mark);
    last = match.index + match[0].length;
  }
  fragment.append(text.slice(last));
  return fragment;
}

function suggestionItem(suggestion) {
  const item = template.content.firstElementChild.cloneNode(true);
  const verdict = item.querySelector('.suggestion-verdict');
  verdict.textContent = suggestion.verdict;
  verdict.classList.add(`verdict-${suggestion.verdict}`);
  item.querySelector('.suggestion-label').textContent = suggestion.label || '';
  item.querySelector('.suggestion-score').textContent =
    ` · ${Math.round(suggestion.score * 100)}% alike`;
  item.querySelector('.suggestion-quote').append(
    markedWords(suggestion.exact, suggestion.matched_words || []));
  item.querySelector('.suggestion-words').textContent = suggestion.matched_words.length
    ? `Shared words: ${suggestion.matched_words.join(', ')}` : '';
  const title = suggestion.article_title || suggestion.article_url;
  const link = item.querySelector('.suggestion-article');
  link.textContent = title;
  const url = httpUrl(suggestion.article_url);
  if (url) {
    link.href = url;
    item.querySelector('.suggestion-site').textContent = ` (${new URL(url).hostname})`;
  }
  if (suggestion.link) {
    item.querySelector('.suggestion-follows').textContent =
      `, following the fact-check first published on ${suggestion.link.article_title || suggestion.link.article_url}`;
  } else if (suggestion.linked_from) {
    // Pages linked to it are folded into this entry by the server.
    const pages = suggestion.linked_from;
    item.querySelector('.suggestion-follows').textContent =
      `, linked from ${pages} other page${pages === 1 ? '' : 's'}`;
  }
  const button = item.querySelector('.link-suggestion');
  button.setAttribute('aria-label', `Link to this fact-check (${suggestion.verdict}, on ${title})`);
  button.addEventListener('click', () => linkTo(suggestion, button));
  return item;
}

async function showSuggestions(text, excludeArticle) {
  const ask = ++asked;
  list.replaceChildren();
  section.hidden = false;
  status.textContent = 'Looking for earlier fact-checks of this claim…';
  const query = new URLSearchParams({ text: text.slice(0, 2000), limit: SUGGESTIONS_SHOWN });
  if (excludeArticle) query.set('article', excludeArticle);
  let result;
  try {
    result = await api('GET', `/api/v1/claims/similar?${query}`);
  } catch {
    result = { ok: false, status: 0, data: null };
  }
  if (ask !== asked) return;
  if (!result.ok) { status.textContent = `No suggestions: ${errorText(result)}`; return; }
  const found = result.data;
  status.textContent = found.length
    ? `${found.length} earlier fact-check${found.length === 1 ? '' : 's'} of a similar claim:`
    : 'No earlier fact-check of a similar claim.';
  list.replaceChildren(...found.map(suggestionItem));
}

function showLink(claim) {
  const origin = claim.link;
  byId('claim-link').hidden = !origin;
  INHERITED.forEach((selector) => {
    const field = panel.querySelector(selector);
    if (field) field.disabled = Boolean(origin);
  });
  if (!origin) return;
  const article = byId('claim-link-article');
  article.textContent = origin.article_title || origin.article_url;
  const url = httpUrl(origin.article_url);
  if (url) article.href = url; else article.removeAttribute('href');
  byId('claim-link-id').textContent = origin.claim_id;
  byId('claim-link-review').href = `/claims/${origin.claim_id}`;
  byId('claim-link-retracted').hidden = !origin.retracted;
  byId('unlink-claim').hidden = state.claim.status === 'retracted';
}

/** The panel shows a new span or a claim: offer what fits it. */
function onPanelShown() {
  const claim = state.mode === 'edit' ? state.claim : null;
  showLink(claim || {});
  const offer = state.mode === 'new' || (claim && !claim.link && claim.status !== 'retracted');
  if (!offer) { asked += 1; section.hidden = true; return; }
  showSuggestions(claim ? claim.exact : state.span.exact, claim ? claim.article_id : articleId);
}

/** A new span becomes a draft first: a link is made to a claim. */
async function savedSpan(suggestion) {
  const { span } = state;
  const result = await api('POST', '/api/v1/claims', {
    passage_id: span.passageId, start: span.start, end: span.end, exact: span.exact,
    verdict: suggestion.verdict,
  });
  if (!result.ok) { fail(errorText(result)); return null; }
  return { claim: result.data, etag: result.etag };
}

async function linkTo(suggestion, button) {
  fail('');
  button.disabled = true;
  try {
    const saved = state.mode === 'new' ? await savedSpan(suggestion)
      : { claim: state.claim, etag: state.etag };
    if (!saved) return;
    const result = await api('PUT', `/api/v1/claims/${saved.claim.id}/link`,
      { origin_id: suggestion.id }, { 'If-Match': saved.etag });
    if (!result.ok) {
      // Shown as it is (a draft just saved, or the claim changed meanwhile).
      const current = result.data && result.data.current;
      showClaim(current || saved.claim, current ? result.etag : saved.etag);
      fail(errorText(result, () => 'Earlier fact-check'));
    } else {
      showClaim(result.data, result.etag);
      say(`Linked: this claim now shows the fact-check first published on ${result.data.link.article_title || result.data.link.article_url}.`);
      byId('unlink-claim').focus();
    }
    await refresh();
  } catch {
    fail('Could not reach the server; try again.');
  } finally {
    button.disabled = false;
  }
}

async function unlink() {
  fail('');
  const button = byId('unlink-claim');
  button.disabled = true;
  try {
    const result = await api('DELETE', `/api/v1/claims/${state.claim.id}/link`, undefined,
      { 'If-Match': state.etag });
    if (!result.ok) {
      if (result.data && result.data.current) showClaim(result.data.current, result.etag);
      fail(errorText(result));
      return;
    }
    showClaim(result.data, result.etag);
    say('Unlinked: the claim keeps what it showed and can be edited on its own.');
    panel.querySelector('fieldset.verdicts input:checked, fieldset.verdicts input').focus();
    await refresh();
  } catch {
    fail('Could not reach the server; try again.');
  } finally {
    button.disabled = false;
  }
}

if (panel) {
  panel.addEventListener('panel-shown', onPanelShown);
  byId('unlink-claim').addEventListener('click', unlink);
}
