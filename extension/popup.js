'use strict';

const vocabulary = globalThis.FactVocabulary;  // vocabulary.js, loaded before this file

function row(claim, clickable) {
  const item = document.createElement('li');
  const box = document.createElement(clickable ? 'button' : 'div');
  box.className = (clickable ? 'claim ' : 'orphan ') + (claim.retracted ? 'retracted' : claim.verdict);
  const verdict = document.createElement('div');
  verdict.className = 'verdict';
  if (claim.retracted) {
    // Not the verdict: the claim was withdrawn (the popover on the page says why).
    verdict.textContent = '⊘ Retracted';
  } else {
    const label = vocabulary.labelBeside(claim.verdict, claim.label);
    verdict.textContent = `${vocabulary.verdictIcon(claim.verdict)} ${vocabulary.verdictWord(claim.verdict)}` +
      (label ? ` · ${label}` : '');
  }
  const quote = document.createElement('div');
  quote.textContent = `“${claim.exact}”`;
  box.append(verdict, quote);
  if (claim.corrected && !claim.retracted) {
    const corrected = document.createElement('div');
    corrected.className = 'state';
    corrected.textContent = `Corrected on ${claim.corrected}`;
    box.appendChild(corrected);
  }
  if (claim.state === 'anchored-with-changes') {
    const state = document.createElement('div');
    state.className = 'state';
    state.textContent = 'wording changed slightly since it was checked';
    box.appendChild(state);
  }
  item.appendChild(box);
  return { item, box };
}

let tabId = null;

function clear() {
  document.getElementById('claims').replaceChildren();
  document.getElementById('orphaned').replaceChildren();
  document.getElementById('orphaned-title').hidden = true;
  document.getElementById('orphaned-note').hidden = true;
  document.getElementById('unreachable').hidden = true;
  document.getElementById('summary').classList.remove('unreachable-summary');
}

function showUnreachable(unreachable) {
  const summary = document.getElementById('summary');
  summary.textContent = 'Fact desk service unreachable';
  summary.classList.add('unreachable-summary');
  document.getElementById('unreachable-detail').textContent =
    `The service at ${unreachable.service} ${unreachable.reason}.`;
  const retry = document.getElementById('retry');
  retry.disabled = false;
  document.getElementById('unreachable').hidden = false;
}

function draw(report) {
  clear();
  const summary = document.getElementById('summary');
  if (report && report.unreachable) {
    showUnreachable(report.unreachable);
    return;
  }
  if (!report || !report.claims.length) {
    summary.textContent = 'No checked claims for this page.';
    return;
  }
  const found = report.claims.filter((c) => c.state !== 'orphaned');
  const lost = report.claims.filter((c) => c.state === 'orphaned');
  summary.textContent = `${found.length} of ${report.claims.length} checked claims found on this page.`;
  const list = document.getElementById('claims');
  found.forEach((claim) => {
    const { item, box } = row(claim, true);
    box.addEventListener('click', () => chrome.tabs.sendMessage(tabId, { type: 'show-claim', id: claim.id }));
    list.appendChild(item);
  });
  if (lost.length) {
    document.getElementById('orphaned-title').hidden = false;
    document.getElementById('orphaned-note').hidden = false;
    const orphans = document.getElementById('orphaned');
    lost.forEach((claim) => orphans.appendChild(row(claim, false).item));
  }
}

async function retry() {
  const button = document.getElementById('retry');
  button.disabled = true;
  document.getElementById('summary').textContent = 'Asking the fact desk service again…';
  try {
    // The page's content script asks again; the new report redraws this panel.
    await chrome.tabs.sendMessage(tabId, { type: 'retry' });
  } catch (error) {
    // No content script to ask (the page predates the extension): load it again.
    await chrome.tabs.reload(tabId);
  }
}

async function render() {
  const [tab] = await chrome.tabs.query({ active: true, currentWindow: true });
  tabId = tab.id;
  const key = `tab-${tabId}`;
  document.getElementById('retry').addEventListener('click', retry);
  // Redraw when the page reports again (a Retry, a reload, late content).
  chrome.storage.onChanged.addListener((changes, area) => {
    if (area === 'session' && changes[key]) draw(changes[key].newValue);
  });
  const stored = await chrome.storage.session.get(key);
  draw(stored[key]);
}

render();
