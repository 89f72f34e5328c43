/*
 * The claim form beside the page (the browser's side panel, an extension
 * page in an iframe the content script made, or opened alone with nothing
 * to check): the same fields as the annotator's new-claim form, saved
 * through the service worker, which holds the token. The nonce comes in
 * the side panel's address (with its tab), or in the in-page frame's name.
 */
'use strict';

const vocabulary = globalThis.FactVocabulary;
const opened = new URLSearchParams(window.location.search);
const nonce = opened.get('nonce') || window.name;
const tab = /^\d+$/.test(opened.get('tab') || '') ? Number(opened.get('tab')) : undefined;
const $ = (id) => document.getElementById(id);
const status = $('status');

function say(text, isError) {
  status.textContent = text;
  status.classList.toggle('error', !!isError);
}

function ask(type, extra) {
  return chrome.runtime.sendMessage(Object.assign({ type, nonce, tab }, extra || {}))
    .catch(() => ({ error: { message: 'The extension is restarting; try again.' } }));
}

function element(tag, text, className) {
  const node = document.createElement(tag);
  if (text !== undefined) node.textContent = text;
  if (className) node.className = className;
  return node;
}

function safeHref(url) {
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'http:' || parsed.protocol === 'https:' ? parsed.href : null;
  } catch (error) {
    return null;
  }
}

// -- the form -------------------------------------------------------------

function buildVerdicts() {
  vocabulary.verdicts.forEach((verdict) => {
    const label = element('label', undefined, 'verdict');
    const input = element('input');
    input.type = 'radio';
    input.name = 'verdict';
    input.value = verdict;
    input.required = true;
    label.append(input, ` ${vocabulary.verdictIcon(verdict)} ${vocabulary.verdictWord(verdict)}`);
    $('verdicts').appendChild(label);
  });
}

let sourceCount = 0;

function addSource() {
  sourceCount += 1;
  const n = sourceCount;
  const item = element('li');
  const field = (name, text, type) => {
    const label = element('label', text);
    label.htmlFor = `source-${n}-${name}`;
    const input = element(type === 'select' ? 'select' : 'input');
    input.id = `source-${n}-${name}`;
    input.dataset.field = name;
    if (type === 'url') { input.type = 'url'; input.maxLength = 2048; }
    if (type === 'text') input.maxLength = 500;
    if (type === 'select') {
      input.append(element('option', '(no stance)'));
      input.firstChild.value = '';
      vocabulary.stances.forEach((stance) => {
        const option = element('option', stance);
        option.value = stance;
        input.appendChild(option);
      });
    }
    item.append(label, input);
  };
  field('url', `Source ${n} URL`, 'url');
  field('title', `Source ${n} title`, 'text');
  field('stance', `Source ${n} stance`, 'select');
  $('sources').appendChild(item);
  return item;
}

function formClaim() {
  const checked = document.querySelector('input[name="verdict"]:checked');
  const citations = [...$('sources').children].map((item) => {
    const value = (name) => item.querySelector(`[data-field="${name}"]`).value.trim();
    const citation = { url: value('url') };
    if (value('title')) citation.title = value('title');
    if (value('stance')) citation.stance = value('stance');
    return citation;
  }).filter((citation) => citation.url);
  return {
    verdict: checked ? checked.value : null, label: $('label').value.trim(),
    // Markdown, as the annotator writes it; the service renders and cleans it.
    rationale_markdown: $('rationale').value, citations,
  };
}

// -- the page's claims -------------------------------------------------------

function showListing(listing, listingError) {
  const list = $('claims');
  list.replaceChildren();
  if (listingError) { $('list-empty').textContent = listingError.message; return; }
  const claims = (listing && listing.claims) || [];
  $('list-empty').textContent = claims.length ? '' : 'No claims on this page yet.';
  claims.forEach((claim) => {
    const item = element('li');
    const quote = claim.exact.length > 80 ? `${claim.exact.slice(0, 79)}…` : claim.exact;
    item.append(element('strong', `${vocabulary.verdictIcon(claim.verdict)} ${vocabulary.verdictWord(claim.verdict) || claim.verdict}`),
      claim.label ? ` · ${claim.label}` : '',
      element('span', ` (${vocabulary.statusWords[claim.status] || claim.status})`, 'state'),
      element('br'), `“${quote}” `);
    const href = safeHref(claim.annotator_url);
    if (href) {
      const link = element('a', 'Open in the annotator');
      link.href = href;
      link.target = '_blank';
      link.rel = 'noopener noreferrer';
      item.appendChild(link);
    }
    item.dataset.claim = String(claim.id);
    item.dataset.status = claim.status;
    list.appendChild(item);
  });
}

async function save(event) {
  event.preventDefault();
  const claim = formClaim();
  if (!claim.verdict) { say('Choose a verdict.', true); return; }
  $('save').disabled = true;
  say('Saving…');
  const answer = await ask('panel-save', { claim });
  $('save').disabled = false;
  if (answer && answer.data) {
    say(answer.data.imported ? 'Saved as a draft; the page was imported to the fact desk.'
      : 'Saved as a draft.');
    $('claim').hidden = true;
    showListing(answer.data, null);
  } else {
    const error = (answer && answer.error) || { message: 'Not saved.' };
    say(`Not saved: ${error.message}`, true);
  }
}

async function start() {
  buildVerdicts();
  $('add-source').addEventListener('click', () => addSource().querySelector('input').focus());
  $('claim').addEventListener('submit', save);
  $('close').addEventListener('click', () => ask('panel-close'));
  document.addEventListener('keydown', (event) => {
    if (event.key === 'Escape') ask('panel-close');
  });
  addSource();
  const answer = nonce ? await ask('panel-load') : null;
  if (!answer || !answer.data) {
    say((answer && answer.error && answer.error.message) || 'Open this panel from a selection on a news page.', true);
    return;
  }
  const data = answer.data;
  $('who').textContent = `Recording on ${data.service}${data.username ? ` as ${data.username}` : ''}`;
  $('quote').textContent = data.exact;
  $('claim').hidden = false;
  showListing(data.listing, data.listingError);
  document.querySelector('input[name="verdict"]').focus();
}

start();
