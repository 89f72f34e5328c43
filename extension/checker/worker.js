/*
 * Fact-checker mode, the service worker's part (loaded by background.js).
 *
 * The only holder of the checker's API token: it lives in
 * chrome.storage.local and is sent, as a Bearer header, only from here and
 * only to the service origin the checker enabled the mode for (whose host
 * permission the options page requested at that moment). Pages never reach
 * this code: there is no externally_connectable, and every message is
 * checked for who sent it (this extension; a content script in a tab's top
 * frame; the panel page, with the nonce given to that tab; the options
 * page). A content script can only hand over a selection; only the panel,
 * an extension page the web page can neither read nor script, can save.
 */
'use strict';

(function () {
  const CHECKER_KEY = 'checker';
  const PENDING_PREFIX = 'checker-pending-';
  const MENU_ID = 'fdx-check-claim';
  const TIMEOUT_MS = 30000;
  // What the extension sends at most; the service applies its import limits.
  const LIMITS = { html: 2 * 1024 * 1024, exact: 10000, context: 1000, url: 2048, claimFields: 200000 };
  const PANEL_URL = chrome.runtime.getURL('checker/panel.html');
  const OPTIONS_URL = chrome.runtime.getURL('options.html');
  const EXTENSION_ORIGIN = chrome.runtime.getURL('');

  async function checkerSettings() {
    const stored = await chrome.storage.local.get(CHECKER_KEY);
    return stored[CHECKER_KEY] || null;
  }

  // -- who is asking ----------------------------------------------------------

  const ours = (sender) => sender.id === chrome.runtime.id;
  const fromPage = (sender, url) => ours(sender) && typeof sender.url === 'string' &&
    sender.url.split('#')[0] === url;
  /** A content script in a tab's top frame (not an extension page). */
  const fromContentScript = (sender) => ours(sender) && sender.tab && sender.frameId === 0 &&
    typeof sender.url === 'string' && !sender.url.startsWith(EXTENSION_ORIGIN);

  // -- the service ---------------------------------------------------------------

  /** { data } or { error: { message, field } } from the checker's service. */
  async function callService(settings, method, path, body) {
    let response;
    try {
      response = await fetch(settings.service + path, {
        method,
        // The token, never cookies; no redirect carries it elsewhere.
        credentials: 'omit', redirect: 'error', cache: 'no-store',
        headers: Object.assign({ Authorization: `Bearer ${settings.token}` },
          body ? { 'Content-Type': 'application/json' } : {}),
        body: body ? JSON.stringify(body) : undefined,
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
    } catch (error) {
      return { error: { message: `The fact desk at ${settings.service} could not be reached.` } };
    }
    let data = null;
    try {
      data = await response.json();
    } catch (error) { /* not the service's JSON */ }
    if (response.ok && data) return { data };
    const detail = data && data.error;
    return {
      error: detail ? { message: detail.message, field: detail.field || null, status: response.status }
        : { message: `The fact desk answered HTTP ${response.status}.`, status: response.status },
    };
  }

  const absolute = (settings, path) => {
    try {
      const url = new URL(path, `${settings.service}/`);
      return url.origin === new URL(settings.service).origin ? url.href : null;
    } catch (error) {
      return null;
    }
  };

  async function pageListing(settings, page) {
    const query = new URLSearchParams({ url: page.url });
    if (page.canonical) query.set('canonical_url', page.canonical);
    const answer = await callService(settings, 'GET', `/api/v1/page-claims?${query}`);
    return answer.error ? answer : { data: withLinks(settings, answer.data) };
  }

  /** The service's relative annotator links made absolute (the panel does not know the service). */
  function withLinks(settings, listing) {
    return Object.assign({}, listing, {
      article: listing.article && Object.assign({}, listing.article,
        { annotator_url: absolute(settings, listing.article.annotator_url) }),
      claims: (listing.claims || []).map((claim) => Object.assign({}, claim,
        { annotator_url: absolute(settings, claim.annotator_url) })),
    });
  }

  // -- enabling ----------------------------------------------------------------

  async function enable(message) {
    const token = typeof message.token === 'string' ? message.token.trim() : '';
    if (!token || token.length > 200) return { error: { message: 'Paste the API token from the Tokens page.' } };
    let service;
    try {
      service = new URL(message.service);
    } catch (error) {
      return { error: { message: 'Save the fact desk service URL first.' } };
    }
    const origins = [`${service.protocol}//${service.hostname}/*`];
    if (!(await chrome.permissions.contains({ origins }))) {
      return { error: { message: `The browser did not allow access to ${service.origin}.` } };
    }
    const settings = { token, service: service.href.replace(/\/+$/, '') };
    // A question only a fact-checker's token may ask (401: unknown token, 403: a reader's).
    const query = new URLSearchParams({ url: settings.service });
    const answer = await callService(settings, 'GET', `/api/v1/page-claims?${query}`);
    if (answer.error) {
      return answer.error.status === 403
        ? { error: { message: 'this token is not a fact-checker’s.' } } : answer;
    }
    await chrome.storage.local.set({ [CHECKER_KEY]: settings });
    await syncMenu();
    await tellTabs(true);
    return { data: { service: settings.service } };
  }

  async function disable() {
    const settings = await checkerSettings();
    await chrome.storage.local.remove(CHECKER_KEY);
    await syncMenu();
    await tellTabs(false);
    if (settings) {
      const service = new URL(settings.service);
      await chrome.permissions.remove({ origins: [`${service.protocol}//${service.hostname}/*`] })
        .catch(() => { /* a host the manifest requires stays */ });
    }
    return { data: { off: true } };
  }

  async function tellTabs(enabled) {
    const tabs = await chrome.tabs.query({});
    await Promise.all(tabs.map((tab) => chrome.tabs.sendMessage(tab.id, { type: 'checker-mode', enabled },
      { frameId: 0 }).catch(() => { /* no content script there */ })));
  }

  async function syncMenu() {
    await chrome.contextMenus.removeAll();
    if (await checkerSettings()) {
      chrome.contextMenus.create({ id: MENU_ID, title: 'Check this claim', contexts: ['selection'] });
    }
  }

  // -- a selection, handed from the page to the panel --------------------------------

  const isText = (value, limit) => typeof value === 'string' && value.length <= limit;
  const httpOrNull = (value) => {
    if (value === null || value === undefined) return null;
    if (!isText(value, LIMITS.url)) return undefined;
    try {
      const url = new URL(value);
      return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : undefined;
    } catch (error) {
      return undefined;
    }
  };

  /** Checked and bounded: { selection, page } or null. */
  function checkedSelection(message) {
    const s = message.selector || {};
    if (!isText(s.exact, LIMITS.exact) || !s.exact.trim() || !isText(s.prefix, LIMITS.context) ||
        !isText(s.suffix, LIMITS.context)) return null;
    const url = httpOrNull(message.url);
    const canonical = httpOrNull(message.canonical);
    if (!url || canonical === undefined) return null;
    const html = isText(message.html, LIMITS.html * 4) &&
      new TextEncoder().encode(message.html).length <= LIMITS.html ? message.html : null;
    return {
      selector: { exact: s.exact, prefix: s.prefix, suffix: s.suffix },
      page: { url, canonical, title: isText(message.title, 500) ? message.title : '' },
      html, htmlBytes: typeof message.html === 'string' ? new TextEncoder().encode(message.html).length : 0,
    };
  }

  async function openSelection(message, sender) {
    if (!(await checkerSettings())) return { error: { message: 'Fact-checker mode is off.' } };
    const selection = checkedSelection(message);
    if (!selection) return { error: { message: 'That selection cannot be checked.' } };
    const nonce = crypto.randomUUID();
    // Session storage (trusted contexts only): it outlives this worker's
    // restarts. Its quota (10 MB) holds a few pages: when full, the panels
    // of other tabs give way to this one.
    const entry = { [PENDING_PREFIX + sender.tab.id]: Object.assign(selection, { nonce, tabId: sender.tab.id }) };
    try {
      await chrome.storage.session.set(entry);
    } catch (error) {
      const others = Object.keys(await chrome.storage.session.get(null)).filter((key) => key.startsWith(PENDING_PREFIX));
      await chrome.storage.session.remove(others);
      await chrome.storage.session.set(entry);
    }
    return { data: { nonce } };
  }

  /** The selection the panel in this tab was opened for, if the nonce is it. */
  async function pendingFor(message, sender) {
    if (!sender.tab || typeof message.nonce !== 'string') return null;
    const key = PENDING_PREFIX + sender.tab.id;
    const pending = (await chrome.storage.session.get(key))[key];
    return pending && pending.nonce === message.nonce ? pending : null;
  }

  async function panelLoad(message, sender) {
    const settings = await checkerSettings();
    const pending = await pendingFor(message, sender);
    if (!settings || !pending) return { error: { message: 'Open this panel from a selection on a news page.' } };
    const listing = await pageListing(settings, pending.page);
    return {
      data: {
        exact: pending.selector.exact, page: pending.page, service: settings.service, listing: listing.data || null, listingError: listing.error || null,
      },
    };
  }

  async function panelSave(message, sender) {
    const settings = await checkerSettings();
    const pending = await pendingFor(message, sender);
    if (!settings || !pending) return { error: { message: 'Open this panel from a selection on a news page.' } };
    const claim = message.claim || {};
    const fields = {
      verdict: claim.verdict, label: claim.label, rationale_markdown: claim.rationale_markdown,
      citations: Array.isArray(claim.citations) ? claim.citations : [],
    };
    if (JSON.stringify(fields).length > LIMITS.claimFields) {
      return { error: { message: 'The claim is too long to send.' } };
    }
    const body = Object.assign({
      url: pending.page.url, canonical_url: pending.page.canonical, selector: pending.selector,
    }, fields);
    if (pending.html) body.html = pending.html;
    const answer = await callService(settings, 'POST', '/api/v1/page-claims', body);
    if (answer.error && answer.error.field === 'html' && !pending.html && pending.htmlBytes) {
      answer.error.message = `This page is too large to send (${(pending.htmlBytes / 1048576).toFixed(1)} MB; ` +
        `the extension sends at most ${LIMITS.html / 1048576} MB).`;
    }
    return answer.error ? answer : { data: withLinks(settings, answer.data) };
  }

  async function panelClose(message, sender) {
    const pending = await pendingFor(message, sender);
    if (!pending) return { data: {} };
    await chrome.storage.session.remove(PENDING_PREFIX + pending.tabId);
    await chrome.tabs.sendMessage(pending.tabId, { type: 'checker-close' }, { frameId: 0 }).catch(() => {});
    return { data: {} };
  }

  // -- messages --------------------------------------------------------------------

  const HANDLERS = {
    'checker-mode': [fromContentScript, async () => ({ data: { enabled: !!(await checkerSettings()) } })],
    'checker-open': [fromContentScript, openSelection],
    'panel-load': [(sender) => fromPage(sender, PANEL_URL), panelLoad],
    'panel-save': [(sender) => fromPage(sender, PANEL_URL), panelSave],
    'panel-close': [(sender) => fromPage(sender, PANEL_URL), panelClose],
    'checker-enable': [(sender) => fromPage(sender, OPTIONS_URL), enable],
    'checker-disable': [(sender) => fromPage(sender, OPTIONS_URL), disable],
    'checker-status': [(sender) => fromPage(sender, OPTIONS_URL), async () => {
      const settings = await checkerSettings();
      return { data: settings ? { service: settings.service } : null };
    }],
  };

  chrome.runtime.onMessage.addListener((message, sender, sendResponse) => {
    const handler = message && Object.prototype.hasOwnProperty.call(HANDLERS, message.type)
      ? HANDLERS[message.type] : null;
    if (!handler) return false;  // background.js's, or nobody's
    if (!handler[0](sender)) {
      sendResponse({ error: { message: 'refused' } });
      return false;
    }
    handler[1](message, sender).then(sendResponse,
      (error) => sendResponse({ error: { message: String(error && error.message || error) } }));
    return true;
  });

  /** The context menu and the keyboard shortcut start from the tab's selection. */
  function startIn(tabId) {
    chrome.tabs.sendMessage(tabId, { type: 'checker-start' }, { frameId: 0 }).catch(() => {});
  }

  chrome.contextMenus.onClicked.addListener((info, tab) => {
    if (info.menuItemId === MENU_ID && tab) startIn(tab.id);
  });
  chrome.commands.onCommand.addListener(async (command, tab) => {
    if (command !== 'check-claim' || !(await checkerSettings())) return;
    const target = tab || (await chrome.tabs.query({ active: true, currentWindow: true }))[0];
    if (target) startIn(target.id);
  });
  // The token is the old service's: another service URL turns the mode off.
  chrome.storage.onChanged.addListener(async (changes, area) => {
    if (area !== 'sync' || !changes.serviceUrl) return;
    const settings = await checkerSettings();
    if (settings && settings.service !== changes.serviceUrl.newValue) await disable();
  });
  chrome.runtime.onInstalled.addListener(syncMenu);
  chrome.runtime.onStartup.addListener(syncMenu);
  chrome.tabs.onRemoved.addListener((tabId) => chrome.storage.session.remove(PENDING_PREFIX + tabId));
})();
