/*
 * Fact-checker mode, in the page (only once the checker enabled it in the
 * options): a "Check this claim" button by a selection, and, where the
 * browser's side panel did not open (see checker/worker.js), the panel, an
 * extension page in an iframe, both inside closed shadow roots.
 *
 * The web page can neither read the panel (another origin) nor act for the
 * checker: only trusted clicks count, window messages are not listened to,
 * and this script can only hand the worker a selection; saving happens in
 * the panel. The token never comes here.
 */
(function () {
  'use strict';

  if (window.__factDeskChecker || window.top !== window) return;
  window.__factDeskChecker = true;

  var selection = globalThis.FactSelection;
  var pageUrls = globalThis.FactPageUrls.pageUrls;
  var enabled = false;
  var control = null;   // { host, button }
  var panel = null;     // { host }
  var lastRange = null;

  function makeHost(className) {
    var host = document.createElement('div');
    host.setAttribute('data-fdx-host', className);
    var shadow = host.attachShadow({ mode: 'closed' });
    var style = document.createElement('style');
    style.textContent = CSS;
    shadow.appendChild(style);
    return { host: host, shadow: shadow };
  }

  // -- the button by a selection ------------------------------------------------

  function currentRange() {
    var chosen = window.getSelection();
    if (!chosen || chosen.isCollapsed || !chosen.rangeCount) return null;
    var range = chosen.getRangeAt(0);
    var inside = range.commonAncestorContainer;
    var element = inside.nodeType === 1 ? inside : inside.parentElement;
    if (!element || !document.body.contains(element) || element.closest('[data-fdx-host]')) return null;
    return range.toString().trim() ? range.cloneRange() : null;
  }

  function showControl() {
    var range = enabled ? currentRange() : null;
    if (!range) { hideControl(); return; }
    lastRange = range;
    if (!control) {
      var made = makeHost('control');
      var button = document.createElement('button');
      button.type = 'button';
      button.className = 'check';
      button.textContent = 'Check this claim';
      // Keep the page's selection when the button is pressed.
      button.addEventListener('mousedown', function (event) { event.preventDefault(); });
      button.addEventListener('click', function (event) {
        // The live selection (the debounced button may be a moment behind it).
        if (event.isTrusted) openPanel(currentRange() || lastRange);
      });
      made.shadow.appendChild(button);
      control = { host: made.host, button: button };
    }
    var rects = range.getClientRects();
    var last = rects.length ? rects[rects.length - 1] : range.getBoundingClientRect();
    control.host.className = 'fdx-checker-control';
    control.host.style.cssText = 'position:absolute;z-index:2147483647;left:' +
      Math.max(0, last.right + window.scrollX - 8) + 'px;top:' + (last.bottom + window.scrollY + 4) + 'px';
    if (!control.host.isConnected) document.documentElement.appendChild(control.host);
  }

  function hideControl() {
    if (control && control.host.isConnected) control.host.remove();
  }

  var selectionTimer = null;
  document.addEventListener('selectionchange', function () {
    if (!enabled) return;
    window.clearTimeout(selectionTimer);
    selectionTimer = window.setTimeout(showControl, 150);
  });

  // -- the panel ---------------------------------------------------------------------

  /** What the worker needs of a selection, or null. */
  function selectionMessage(range) {
    var selector = range ? selection.selectorOf(range) : null;
    if (!selector) return null;
    var urls = pageUrls();
    return {
      selector: selector, url: urls.url, canonical: urls.canonical,
      title: document.title, html: selection.pageHtml(),
    };
  }

  function openPanel(range) {
    hideControl();
    var message = selectionMessage(range);
    if (!message) return;
    message.type = 'checker-open';
    // Sent within the click: the worker may open the side panel with it.
    chrome.runtime.sendMessage(message).then(function (answer) {
      if (!answer || !answer.data) return;
      if (answer.data.side) closePanel();
      else showPanel(answer.data.nonce);
    }).catch(function () { /* the worker is restarting: the checker can try again */ });
  }

  function showPanel(nonce) {
    closePanel();
    var made = makeHost('panel');
    var frame = document.createElement('iframe');
    frame.className = 'panel';
    frame.title = 'Fact desk: check this claim';
    // The nonce rides in the frame's name: the page sees neither (closed
    // root, another origin), and a frame the page makes has no nonce.
    frame.name = nonce;
    frame.src = chrome.runtime.getURL('checker/panel.html');
    made.shadow.appendChild(frame);
    made.host.style.cssText = 'position:fixed;z-index:2147483647;top:0;right:0;height:100vh;width:400px;max-width:100vw';
    document.documentElement.appendChild(made.host);
    panel = { host: made.host, frame: frame };
    frame.focus();
  }

  function closePanel() {
    if (panel) panel.host.remove();
    panel = null;
  }

  chrome.runtime.onMessage.addListener(function (message, sender, sendResponse) {
    if (sender.id !== chrome.runtime.id || sender.tab) return;  // the worker only
    if (message.type === 'checker-mode') {
      enabled = !!message.enabled;
      if (!enabled) { hideControl(); closePanel(); }
    } else if (message.type === 'checker-selection') {
      // The context menu or the shortcut: the worker opens the panel.
      hideControl();
      sendResponse(enabled ? selectionMessage(currentRange()) : null);
    } else if (message.type === 'checker-show' && enabled && typeof message.nonce === 'string') {
      showPanel(message.nonce);
    } else if (message.type === 'checker-close') {
      closePanel();
    }
  });

  var CSS = [
    ':host { all: initial; }',
    '.check { font: 600 13px/1.2 system-ui, sans-serif; color: #fff; background: #1a56b0; border: 0;',
    '  border-radius: 4px; padding: 6px 10px; cursor: pointer; box-shadow: 0 2px 8px rgba(0,0,0,.3); }',
    '.check:focus-visible { outline: 3px solid #f9ab00; outline-offset: 2px; }',
    '.panel { width: 100%; height: 100%; border: 0; border-left: 1px solid #999; background: #fff;',
    '  box-shadow: -4px 0 16px rgba(0,0,0,.2); }',
  ].join('\n');

  chrome.runtime.sendMessage({ type: 'checker-mode' }).then(function (answer) {
    enabled = !!(answer && answer.data && answer.data.enabled);
  }).catch(function () { /* stays off */ });
})();
