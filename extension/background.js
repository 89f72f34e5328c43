/*
 * Service worker: finds a page's published claims by the private lookup
 * (the content script sends the page's URL, canonical link and og:url; this
 * worker hashes their URL keys and asks the service only for the buckets of
 * the hashes' first hex digits, never for a URL; the service answers any
 * origin without cookies), keeps each tab's anchoring report, and shows the
 * count on the badge.
 */
'use strict';

// The shared vocabulary (verdict colours) and URL keys. Chromium runs this
// file as a classic service worker, which loads them here; Firefox runs it
// as an event page, where the manifest's background.scripts loads them first.
if (typeof importScripts === 'function' && !globalThis.FactVocabulary) importScripts('vocabulary.js');
if (typeof importScripts === 'function' && !globalThis.FactUrlKey) importScripts('urlkey.js');
// Fact-checker mode (the token's only user); Firefox lists it in background.scripts.
if (typeof importScripts === 'function') importScripts('checker/worker.js');
const vocabulary = globalThis.FactVocabulary;
const urlKeys = globalThis.FactUrlKey;

const DEFAULT_SERVICE_URL = 'http://127.0.0.1:8000';

async function serviceUrl() {
  const { serviceUrl } = await chrome.storage.sync.get({ serviceUrl: DEFAULT_SERVICE_URL });
  return serviceUrl.replace(/\/+$/, '');
}

const TIMEOUT_MS = 10000;

/**
 * The service could not be asked: no connection, no answer in time, a 5xx,
 * or an answer that is not the fact desk's JSON. Distinct from "no checked
 * claims" (a 200 with no entry for the page) and from the service refusing
 * the question (a 4xx with a JSON error: the page is simply not checked).
 */
class ServiceUnreachable extends Error {
  constructor(service, reason) {
    super(`${service} ${reason}`);
    this.service = service;
    this.reason = reason;
  }
}

/**
 * The service's JSON answer to a GET of `endpoint`, if `isDesksAnswer(data)`;
 * `{ refused: status }` for a 4xx with a JSON error (the service refuses the
 * question: nothing to show); ServiceUnreachable otherwise.
 */
async function askService(service, endpoint, isDesksAnswer) {
  let response;
  try {
    // credentials 'omit': the readers' endpoint is public; the HTTP cache and
    // the service's ETag make repeat visits cheap.
    response = await fetch(endpoint, { credentials: 'omit', signal: AbortSignal.timeout(TIMEOUT_MS) });
  } catch (error) {
    // A refused connection, an unknown host or a missing CORS header all
    // come as a TypeError; an abort is the timeout.
    const late = error && (error.name === 'TimeoutError' || error.name === 'AbortError');
    throw new ServiceUnreachable(service, late ? `did not answer within ${TIMEOUT_MS / 1000} seconds`
      : 'could not be reached');
  }
  if (response.status >= 500) {
    throw new ServiceUnreachable(service, `answered with an error (HTTP ${response.status})`);
  }
  // Buckets copied to a static host (flask export-buckets) have no file for
  // an empty bucket: the host's 404, whatever its body, means nothing checked.
  if (response.status === 404) return { refused: 404 };
  const foreign = `answered with something other than the fact desk's JSON (HTTP ${response.status})`;
  let data;
  try {
    data = await response.json();
  } catch (error) {
    throw new ServiceUnreachable(service, foreign);
  }
  if (!response.ok) return { refused: response.status };  // not checked
  if (!data || !isDesksAnswer(data)) throw new ServiceUnreachable(service, foreign);
  return data;
}

const isBucket = (data) => Array.isArray(data.entries) &&
  data.entries.every((entry) => entry && typeof entry.hash === 'string' && Array.isArray(entry.claims));

/**
 * The hashed URL keys of a page, best first: its own URL, then its
 * canonical link, then og:url (one that has no key, such as an ftp: link,
 * is left out; a key already listed is not asked for twice).
 */
async function pageHashes(urls) {
  const hashes = [];
  for (const url of urls) {
    const key = typeof url === 'string' ? urlKeys.urlKey(url) : null;
    if (key === null) continue;
    const hash = await urlKeys.keyHash(key);
    if (!hashes.includes(hash)) hashes.push(hash);
  }
  return hashes;
}

/**
 * The published claims for a page, as { article, claims }: the service is
 * asked for each distinct bucket (the first hex digits of a hash) and the
 * page's article is the entry whose full hash is the page's, the page's own
 * URL winning over its canonical link, which wins over og:url.
 */
async function fetchHighlights(urls) {
  const service = await serviceUrl();
  const hashes = await pageHashes(urls);
  const prefixes = [...new Set(hashes.map(urlKeys.prefixOf))];
  const buckets = await Promise.all(prefixes.map((prefix) =>
    askService(service, `${service}/api/v1/lookup/${prefix}`, isBucket)));
  const entries = buckets.flatMap((bucket) => bucket.entries || []);
  const found = hashes.map((hash) => entries.find((entry) => entry.hash === hash)).find(Boolean);
  if (!found) return { article: null, claims: [] };
  // Each claim's review page comes relative to the service's address, which
  // only this worker knows: the content script gets it absolute.
  const claims = found.claims.map((claim) => ({
    ...claim, review_url: claim.review_url ? new URL(claim.review_url, `${service}/`).href : null,
  }));
  return { article: found.article || null, claims };
}

function badgeFor(report) {
  if (report.unreachable) return { text: '!', colour: '#3c4043' };
  const anchored = report.claims.filter((c) => c.state !== 'orphaned');
  if (!report.claims.length) return { text: '', colour: '#5f6368' };
  // The colour of the most serious verdict on the page (retracted claims no longer say anything).
  const standing = anchored.filter((c) => !c.retracted);
  const worst = ['denied', 'unverified', 'verified'].find((v) => standing.some((c) => c.verdict === v));
  return { text: String(anchored.length), colour: vocabulary.verdictColour(worst) || '#5f6368' };
}

function titleFor(report, badge) {
  if (report.unreachable) return `Fact desk service unreachable: ${report.unreachable.service}`;
  return report.claims.length
    ? `Fact desk: ${badge.text} of ${report.claims.length} checked claims found on this page`
    : 'Fact desk: no checked claims for this page';
}

async function storeReport(tabId, report) {
  // "at" makes every report a change, so an open popup redraws after a Retry
  // that failed again.
  await chrome.storage.session.set({ [`tab-${tabId}`]: { ...report, at: Date.now() } });
  const badge = badgeFor(report);
  await chrome.action.setBadgeText({ tabId, text: badge.text });
  await chrome.action.setBadgeBackgroundColor({ tabId, color: badge.colour });
  await chrome.action.setTitle({ tabId, title: titleFor(report, badge) });
}

async function highlightsFor(message, tab) {
  try {
    return await fetchHighlights([message.url, message.canonical, message.ogUrl]);
  } catch (error) {
    if (!(error instanceof ServiceUnreachable)) return { error: String(error) };
    // This worker records the state itself: the content script only reports
    // pages the service answered for.
    const unreachable = { service: error.service, reason: error.reason };
    if (tab) await storeReport(tab.id, { url: message.url, title: '', claims: [], unreachable });
    return { unreachable };
  }
}

chrome.runtime.onMessage.addListener((message, sender, sendResponse) => {
  if (message.type === 'fetch-highlights') {
    highlightsFor(message, sender.tab).then(sendResponse, (error) => sendResponse({ error: String(error) }));
    return true;  // answer asynchronously
  }
  if (message.type === 'report' && sender.tab) {
    storeReport(sender.tab.id, message.report).then(() => sendResponse({ ok: true }));
    return true;
  }
  return false;
});

chrome.tabs.onRemoved.addListener((tabId) => {
  chrome.storage.session.remove(`tab-${tabId}`);
});
