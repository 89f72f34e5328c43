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
 *
 * The panel opens in the browser's side panel (chrome.sidePanel) when the
 * checker's gesture allows it: the "Check this claim" button's click (its
 * message carries the gesture), the context menu, the keyboard shortcut.
 * sidePanel.open() must be called before this worker awaits anything, or
 * the browser refuses it; then, and where there is no side panel
 * (Firefox), the panel opens in the page instead.
 */
'use strict';

(function () {
  const CHECKER_KEY = 'checker';
  const PENDING_PREFIX = 'checker-pending-';
  const MENU_ID = 'fdx-check-claim';
  const TIMEOUT_MS = 30000;
  // What the extension sends at most; the service applies its import limits.
  const LIMITS = { html: 2 * 1024 * 1024, exact: 10000, context: 1000, url: 2048, claimFields: 200000 };
  const PANEL_PATH = 'checker/panel.html';
  const PANEL_URL = chrome.runtime.getURL(PANEL_PATH);
  const OPTIONS_URL = chrome.runtime.getURL('options.html');
  const EXTENSION_ORIGIN = chrome.runtime.getURL('');

  async function checkerSettings() {
    const stored = await chrome.storage.local.get(CHECKER_KEY);
    return stored[CHECKER_KEY] || null;
  }

  // Whether the mode is on, known without awaiting (the shortcut must open
  // the side panel at once); null until read after the worker wakes.
  let modeOn = null;
  checkerSettings().then((settings) => { if (modeOn === null) modeOn = !!settings; });
  chrome.storage.onChanged.addListener((changes, area) => {
    if (area === 'local' && changes[CHECKER_KEY]) modeOn = !!changes[CHECKER_KEY].newValue;
  });

  // -- who is asking ----------------------------------------------------------

  const ours = (sender) => sender.id === chrome.runtime.id;
  const fromPage = (sender, url) => ours(sender) && typeof sender.url === 'string' &&
    sender.url.split(/[?#]/)[0] === url;
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
        headers: Object.assign(settings.token ? { Authorization: `Bearer ${settings.token}` } : {},
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

  /** The service the options page names, if the browser lets us reach it: { service } or { error }. */
  async function allowedService(message) {
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
    return { service: service.href.replace(/\/+$/, '') };
  }

  /** Keeps a token once the service says it is a fact-checker's and whose it is. */
  async function keepToken(settings) {
    // A question only a fact-checker's token may ask (401: unknown token, 403: a reader's).
    const query = new URLSearchParams({ url: settings.service });
    const answer = await callService(settings, 'GET', `/api/v1/page-claims?${query}`);
    if (answer.error) {
      return answer.error.status === 403
        ? { error: { message: `${settings.minted ? 'this account' : 'this token'} is not a fact-checker’s.` } }
        : answer;
    }
    const current = await callService(settings, 'GET', '/api/v1/tokens/current');
    if (current.error) return current;
    const kept = Object.assign({}, settings, { tokenId: current.data.id, tokenName: current.data.name,
      username: current.data.user.username });
    await chrome.storage.local.set({ [CHECKER_KEY]: kept });
    await syncMenu();
    await tellTabs(true);
    return { data: statusOf(kept) };
  }

  const statusOf = (settings) => ({ service: settings.service, username: settings.username || null });

  /** A pasted personal token (made on the service's Tokens page). */
  async function enable(message) {
    const token = typeof message.token === 'string' ? message.token.trim() : '';
    if (!token || token.length > 200) return { error: { message: 'Paste the API token from the Tokens page.' } };
    const allowed = await allowedService(message);
    if (allowed.error) return allowed;
    return keepToken({ token, service: allowed.service, minted: false });
  }

  /**
   * Sign in with a password: the service answers with a new personal token
   * (POST /api/v1/session/token: no cookie, the browser's own session is
   * left alone), which is all that is kept. The password goes to the
   * service once and is stored nowhere.
   */
  async function signIn(message) {
    const username = typeof message.username === 'string' ? message.username.trim() : '';
    const password = typeof message.password === 'string' ? message.password : '';
    if (!username || !password || username.length > 64 || password.length > 1024) {
      return { error: { message: 'Give your username and password.' } };
    }
    const allowed = await allowedService(message);
    if (allowed.error) return allowed;
    const name = `Browser extension (${new Date().toISOString().slice(0, 10)})`;
    const answer = await callService({ service: allowed.service }, 'POST', '/api/v1/session/token',
      { username, password, name });
    if (answer.error) return answer;
    const settings = { token: answer.data.token, service: allowed.service, minted: true };
    const kept = await keepToken(settings);
    // Not a fact-checker's account: the token just made is of no use here.
    if (kept.error) await callService(settings, 'DELETE', `/api/v1/tokens/${answer.data.id}`);
    return kept;
  }

  /**
   * Sign out: a token this extension made by signing in is revoked on the
   * service; a pasted one only forgotten (it may serve elsewhere). Either
   * way the extension keeps nothing.
   */
  async function signOut() {
    const settings = await checkerSettings();
    let note = null;
    if (settings && settings.minted && settings.tokenId) {
      const answer = await callService(settings, 'DELETE', `/api/v1/tokens/${settings.tokenId}`);
      if (answer.error && answer.error.status !== 401) {
        note = `The service was not told (${answer.error.message}): revoke “${settings.tokenName}” on its Tokens page.`;
      }
    } else if (settings) {
      note = `The pasted token “${settings.tokenName || 'API token'}” still works; revoke it on the Tokens page if it is no longer needed.`;
    }
    await disable();
    return { data: { off: true, note } };
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

  const hasSidePanel = typeof chrome.sidePanel === 'object' && chrome.sidePanel !== null &&
    typeof chrome.sidePanel.open === 'function';
  // Per tab, the selection on its way to storage: a side panel that loads
  // before it is stored waits for it.
  const opening = new Map();

  /**
   * Opens the side panel on the tab, for this nonce (in the panel's URL:
   * only the extension can read a side panel's address). Called before
   * any await, inside the checker's gesture; resolves whether it opened.
   */
  function openSidePanel(tabId, nonce) {
    if (!hasSidePanel) return Promise.resolve(false);
    const path = `${PANEL_PATH}?${new URLSearchParams({ tab: String(tabId), nonce })}`;
    chrome.sidePanel.setOptions({ tabId, path, enabled: true }).catch(() => {});
    return chrome.sidePanel.open({ tabId }).then(() => true, () => {
      chrome.sidePanel.setOptions({ tabId, enabled: false }).catch(() => {});
      return false;
    });
  }

  function closeSidePanel(tabId) {
    if (hasSidePanel) chrome.sidePanel.setOptions({ tabId, enabled: false }).catch(() => {});
  }

  /** Runs `work` (the selection's way to storage) as the tab's opening. */
  function track(tabId, work) {
    const done = work.finally(() => { if (opening.get(tabId) === done) opening.delete(tabId); });
    opening.set(tabId, done);
    return done;
  }

  const MODE_OFF = 'Fact-checker mode is off.';

  /**
   * Stores what the panel for this nonce shows: the checked selection, or
   * why there is none. Null when stored, else the reason.
   */
  async function storeSelection(tabId, nonce, message) {
    let failure = null;
    let selection = null;
    if (!(await checkerSettings())) failure = MODE_OFF;
    else if (!message) failure = 'Select the words of a claim on a news page first.';
    else if (!(selection = checkedSelection(message))) failure = 'That selection cannot be checked.';
    const entry = { [PENDING_PREFIX + tabId]: Object.assign(selection || { error: failure }, { nonce, tabId }) };
    // Session storage (trusted contexts only): it outlives this worker's
    // restarts. Its quota (10 MB) holds a few pages: when full, the panels
    // of other tabs give way to this one.
    try {
      await chrome.storage.session.set(entry);
    } catch (error) {
      const others = Object.keys(await chrome.storage.session.get(null)).filter((key) => key.startsWith(PENDING_PREFIX));
      await chrome.storage.session.remove(others);
      await chrome.storage.session.set(entry);
    }
    return failure;
  }

  /** The "Check this claim" button: the selection comes with the click (and its gesture). */
  function openSelection(message, sender) {
    const tabId = sender.tab.id;
    const nonce = crypto.randomUUID();
    const side = openSidePanel(tabId, nonce);  // first: no await before it
    const stored = track(tabId, storeSelection(tabId, nonce, message));
    return Promise.all([stored, side]).then(([failure, opened]) => (failure && !opened
      ? { error: { message: failure } } : { data: { nonce, side: opened } }));
  }

  /**
   * The context menu and the keyboard shortcut: the side panel first (the
   * gesture is now), then the tab's selection from its content script; where
   * the side panel did not open, the panel opens in the page.
   */
  function checkSelectionIn(tab) {
    const nonce = crypto.randomUUID();
    const side = openSidePanel(tab.id, nonce);
    const stored = track(tab.id, chrome.tabs.sendMessage(tab.id, { type: 'checker-selection' }, { frameId: 0 })
      .catch(() => null).then((selection) => storeSelection(tab.id, nonce, selection)));
    return Promise.all([stored, side]).then(async ([failure, opened]) => {
      if (failure === MODE_OFF) {
        closeSidePanel(tab.id);
      } else if (!opened && !failure) {
        await chrome.tabs.sendMessage(tab.id, { type: 'checker-show', nonce }, { frameId: 0 }).catch(() => {});
      }
      return { opened, failure };
    });
  }

  function menuClicked(info, tab) {
    if (info.menuItemId === MENU_ID && tab) return checkSelectionIn(tab);
    return Promise.resolve(null);
  }

  function commandPressed(command, tab) {
    // modeOn null (the worker just woke): try; a reader's panel closes again at once.
    if (command !== 'check-claim' || modeOn === false) return Promise.resolve(null);
    if (tab) return checkSelectionIn(tab);
    return chrome.tabs.query({ active: true, currentWindow: true })
      .then(([active]) => (active ? checkSelectionIn(active) : null));
  }

  /**
   * The tab a panel page works for: its own for a frame in a page; for the
   * side panel (a page in no tab, which only this extension can open) the
   * tab in its address.
   */
  function panelTab(message, sender) {
    if (sender.tab) return sender.tab.id;
    return Number.isInteger(message.tab) ? message.tab : null;
  }

  /** The selection the panel for this tab was opened for, if the nonce is it. */
  async function pendingFor(message, sender) {
    const tabId = panelTab(message, sender);
    if (tabId === null || typeof message.nonce !== 'string') return null;
    if (opening.has(tabId)) await opening.get(tabId);
    const key = PENDING_PREFIX + tabId;
    const pending = (await chrome.storage.session.get(key))[key];
    return pending && pending.nonce === message.nonce ? pending : null;
  }

  const NO_SELECTION = { error: { message: 'Open this panel from a selection on a news page.' } };

  async function panelLoad(message, sender) {
    const settings = await checkerSettings();
    const pending = await pendingFor(message, sender);
    if (!settings || !pending) return NO_SELECTION;
    if (pending.error) return { error: { message: pending.error } };
    const listing = await pageListing(settings, pending.page);
    return {
      data: {
        exact: pending.selector.exact, page: pending.page, service: settings.service, username: settings.username || null,
        listing: listing.data || null, listingError: listing.error || null,
      },
    };
  }

  async function panelSave(message, sender) {
    const settings = await checkerSettings();
    const pending = await pendingFor(message, sender);
    if (!settings || !pending || pending.error) return NO_SELECTION;
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
    if (!sender.tab) closeSidePanel(pending.tabId);
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
    'checker-sign-in': [(sender) => fromPage(sender, OPTIONS_URL), signIn],
    'checker-sign-out': [(sender) => fromPage(sender, OPTIONS_URL), signOut],
    'checker-status': [(sender) => fromPage(sender, OPTIONS_URL), async () => {
      const settings = await checkerSettings();
      return { data: settings ? statusOf(settings) : null };
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

  chrome.contextMenus.onClicked.addListener(menuClicked);
  chrome.commands.onCommand.addListener(commandPressed);
  // The two listeners by name, for tests (a headless browser can click no
  // menu and press no browser shortcut); only extension code runs here.
  globalThis.FactCheckerWorker = Object.freeze({ menuClicked, commandPressed });
  // The token is the old service's: another service URL turns the mode off.
  chrome.storage.onChanged.addListener(async (changes, area) => {
    if (area !== 'sync' || !changes.serviceUrl) return;
    const settings = await checkerSettings();
    if (settings && settings.service !== changes.serviceUrl.newValue) await signOut();
  });
  chrome.runtime.onInstalled.addListener(syncMenu);
  chrome.runtime.onStartup.addListener(syncMenu);
  chrome.tabs.onRemoved.addListener((tabId) => chrome.storage.session.remove(PENDING_PREFIX + tabId));
  // The side panel shows a checker's selection only in the tab it was opened for.
  if (hasSidePanel) chrome.sidePanel.setOptions({ enabled: false }).catch(() => {});
})();
