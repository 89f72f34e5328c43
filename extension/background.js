/*
 * Service worker: fetches a page's published claims from the service (the
 * content script asks; the service answers any origin without cookies),
 * keeps each tab's anchoring report, and shows the count on the badge.
 */
'use strict';

// Verdict colours come from the shared vocabulary. Chromium runs this file
// as a classic service worker, which loads it here; Firefox runs it as an
// event page, where the manifest's background.scripts loads it first.
if (typeof importScripts === 'function' && !globalThis.FactVocabulary) importScripts('vocabulary.js');
const vocabulary = globalThis.FactVocabulary;

const DEFAULT_SERVICE_URL = 'http://127.0.0.1:8000';

async function serviceUrl() {
  const { serviceUrl } = await chrome.storage.sync.get({ serviceUrl: DEFAULT_SERVICE_URL });
  return serviceUrl.replace(/\/+$/, '');
}

async function fetchHighlights(pageUrl) {
  const service = await serviceUrl();
  const endpoint = `${service}/api/v1/highlights?url=${encodeURIComponent(pageUrl)}`;
  // credentials 'omit': the readers' endpoint is public; the HTTP cache and
  // the service's ETag make repeat visits cheap.
  const response = await fetch(endpoint, { credentials: 'omit' });
  if (!response.ok) throw new Error(`service answered ${response.status}`);
  const data = await response.json();
  // Each claim's review page comes relative to the service's address, which
  // only this worker knows: the content script gets it absolute.
  (data.claims || []).forEach((claim) => {
    claim.review_url = claim.review_url ? new URL(claim.review_url, `${service}/`).href : null;
  });
  return data;
}

function badgeFor(report) {
  const anchored = report.claims.filter((c) => c.state !== 'orphaned');
  if (!report.claims.length) return { text: '', colour: '#5f6368' };
  // The colour of the most serious verdict on the page (retracted claims no longer say anything).
  const standing = anchored.filter((c) => !c.retracted);
  const worst = ['denied', 'unverified', 'verified'].find((v) => standing.some((c) => c.verdict === v));
  return { text: String(anchored.length), colour: vocabulary.verdictColour(worst) || '#5f6368' };
}

async function storeReport(tabId, report) {
  await chrome.storage.session.set({ [`tab-${tabId}`]: report });
  const badge = badgeFor(report);
  await chrome.action.setBadgeText({ tabId, text: badge.text });
  await chrome.action.setBadgeBackgroundColor({ tabId, color: badge.colour });
  await chrome.action.setTitle({
    tabId,
    title: report.claims.length
      ? `Fact desk: ${badge.text} of ${report.claims.length} checked claims found on this page`
      : 'Fact desk: no checked claims for this page',
  });
}

chrome.runtime.onMessage.addListener((message, sender, sendResponse) => {
  if (message.type === 'fetch-highlights') {
    fetchHighlights(message.url).then(sendResponse, (error) => sendResponse({ error: String(error) }));
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
