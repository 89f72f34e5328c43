/*
 * Content script: asks the service worker for this page's published claims
 * (sending the page's URL, canonical link and og:url; the worker looks them
 * up without telling the service any of them), finds each quote in the live
 * page (FactAnchoring), wraps it in a <mark> coloured by verdict with a
 * non-colour cue (a retracted claim: grey, struck through, ⊘), and shows
 * verdict, rationale and sources in a popover on hover, focus or click, with
 * the latest correction ("Corrected on …") or the retraction and its reason.
 * Every text from the service goes in by textContent (the rationale through
 * FactSanitize). Content that loads late is picked up by a debounced
 * MutationObserver. Claims whose text is gone are reported as orphaned,
 * never guessed.
 */
(function () {
  'use strict';

  if (window.__factDeskLoaded) return;
  window.__factDeskLoaded = true;

  var anchoring = globalThis.FactAnchoring;
  var sanitize = globalThis.FactSanitize;
  // Verdict words, icons, colours and stances (vocabulary.js, listed before
  // this file in the manifest).
  var vocabulary = globalThis.FactVocabulary;
  var DEBOUNCE_MS = 400;

  var claims = [];
  var article = null;
  var placed = new Map();   // claim id -> {marks, result}
  var orphaned = new Map(); // claim id -> result
  var observer = null;
  var popover = null;

  function isOurs(node) {
    var element = node.nodeType === 1 ? node : node.parentElement;
    return !!(element && element.closest && element.closest('mark.fdx-mark, .fdx-popover-host'));
  }

  // -- anchoring -------------------------------------------------------------

  function isRetracted(claim) {
    return claim.status === 'retracted';
  }

  var MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August',
                'September', 'October', 'November', 'December'];

  /** "2026-11-29T18:30:00+00:00" (UTC, as the service stores it) -> "29 November 2026". */
  function humanDate(stamp) {
    var parts = /^(\d{4})-(\d{2})-(\d{2})/.exec(String(stamp || ''));
    if (!parts || !MONTHS[Number(parts[2]) - 1]) return '';
    return Number(parts[3]) + ' ' + MONTHS[Number(parts[2]) - 1] + ' ' + parts[1];
  }

  function makeMark(claim, result, first) {
    var mark = document.createElement('mark');
    // A retracted claim is drawn in its own style, not its verdict's colour.
    mark.className = 'fdx-mark ' + (isRetracted(claim) ? 'fdx-retracted' : 'fdx-' + claim.verdict) +
      (first ? ' fdx-first' : '') + (result.state === 'anchored-with-changes' ? ' fdx-changed' : '');
    mark.dataset.fdxClaim = String(claim.id);
    mark.dataset.fdxVerdict = claim.verdict;
    if (isRetracted(claim)) mark.dataset.fdxStatus = 'retracted';
    if (first) {
      var label = vocabulary.labelBeside(claim.verdict, claim.label);
      mark.tabIndex = 0;
      mark.setAttribute('role', 'button');
      mark.setAttribute('aria-label', isRetracted(claim)
        ? 'Retracted fact check. Show why.'
        : 'Fact check: ' + vocabulary.verdictWord(claim.verdict) +
          (label ? ' (' + label + ')' : '') +
          (claim.corrected_at ? ', corrected' : '') + '. Show sources.');
    }
    return mark;
  }

  function withoutObserving(change) {
    if (observer) observer.disconnect();
    try { change(); } finally { if (observer) observe(); }
  }

  /** Anchor every claim not on the page yet; returns how many were placed. */
  function anchorPending() {
    // Marks that the page removed (re-rendered content) count as not placed.
    placed.forEach(function (entry, id) {
      if (!entry.marks.every(function (m) { return m.isConnected; })) placed.delete(id);
    });
    var pending = claims.filter(function (claim) { return !placed.has(claim.id); });
    if (!pending.length) return 0;
    var count = 0;
    withoutObserving(function () {
      var text = anchoring.textOf(document.body, function (element) {
        return element.classList && element.classList.contains('fdx-popover-host');
      });
      var results = anchoring.anchorAll(text.text, pending.map(function (claim) {
        return {
          exact: claim.selector.exact, prefix: claim.selector.prefix,
          suffix: claim.selector.suffix, position: claim.position,
          textLength: article && article.text_length,
        };
      }));
      // Outer claims first (earliest start, then longest): a claim inside
      // another is then wrapped inside the other's marks, so the innermost
      // mark under the pointer is the smallest claim there, and each claim's
      // marks cover its whole span (wrapRange splits marks already placed).
      var order = results.map(function (result, i) { return i; });
      var edge = function (i, side) { return results[i].state === 'orphaned' ? -1 : results[i][side]; };
      order.sort(function (a, b) {
        return (edge(a, 'start') - edge(b, 'start')) || (edge(b, 'end') - edge(a, 'end')) || (a - b);
      });
      order.forEach(function (i) {
        var result = results[i];
        var claim = pending[i];
        if (result.state === 'orphaned') { orphaned.set(claim.id, result); return; }
        var first = true;
        var marks = anchoring.wrapRange(text, result.start, result.end, function () {
          var mark = makeMark(claim, result, first);
          first = false;
          return mark;
        });
        if (!marks.length) { orphaned.set(claim.id, { state: 'orphaned', reason: 'not visible' }); return; }
        orphaned.delete(claim.id);
        placed.set(claim.id, { marks: marks, result: result });
        count++;
      });
      markDepths();
    });
    report();
    return count;
  }

  function outerMark(mark) {
    return mark.parentElement ? mark.parentElement.closest('mark.fdx-mark') : null;
  }

  /** How many marks each mark sits in: its underline is drawn that many steps lower. */
  function markDepths() {
    document.querySelectorAll('mark.fdx-mark').forEach(function (mark) {
      var depth = 0;
      for (var outer = outerMark(mark); outer; outer = outerMark(outer)) depth++;
      if (depth) mark.dataset.fdxDepth = String(Math.min(depth, 4));
      else delete mark.dataset.fdxDepth;
    });
  }

  function report() {
    var list = claims.map(function (claim) {
      var entry = placed.get(claim.id);
      return {
        id: claim.id, verdict: claim.verdict, label: claim.label, exact: claim.selector.exact,
        state: entry ? entry.result.state : 'orphaned',
        retracted: isRetracted(claim), corrected: humanDate(claim.corrected_at),
      };
    });
    chrome.runtime.sendMessage({
      type: 'report',
      report: { url: location.href, title: article ? article.title : '', claims: list },
    }).catch(function () { /* the worker may be restarting; the next report will do */ });
  }

  // -- late content ------------------------------------------------------------

  var timer = null;

  function observe() {
    observer.observe(document.body, { childList: true, subtree: true, characterData: true });
  }

  function onMutations(records) {
    var relevant = records.some(function (record) {
      if (isOurs(record.target)) return false;
      return record.type === 'characterData' ||
        Array.from(record.addedNodes).some(function (node) { return !isOurs(node); }) ||
        Array.from(record.removedNodes).some(function (node) {
          return node.nodeType === 1 && node.querySelector && (node.matches('mark.fdx-mark') ||
            node.querySelector('mark.fdx-mark'));
        });
    });
    if (!relevant) return;
    window.clearTimeout(timer);
    timer = window.setTimeout(anchorPending, DEBOUNCE_MS);
  }

  // -- popover -------------------------------------------------------------------

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  /** A link that opens in a new tab and cannot reach back into this page. */
  function newTabLink(className, text, href) {
    var link = element('a', className, text);
    link.href = href;
    link.target = '_blank';
    link.rel = 'noopener noreferrer';
    return link;
  }

  function buildPopover() {
    var host = element('div', 'fdx-popover-host');
    var shadow = host.attachShadow({ mode: 'open' });
    var style = element('style');
    style.textContent = POPOVER_CSS;
    var box = element('div', 'popover');
    box.setAttribute('role', 'dialog');
    box.setAttribute('aria-label', 'Fact check');
    box.hidden = true;
    shadow.append(style, box);
    document.documentElement.appendChild(host);
    box.addEventListener('mouseenter', function () {
      window.clearTimeout(popover.hideTimer);
      window.clearTimeout(popover.switchTimer);
    });
    box.addEventListener('mouseleave', scheduleHide);
    // "Also checked on this text": show that claim, keeping the list.
    box.addEventListener('click', function (event) {
      var button = event.target.closest('button[data-claim]');
      if (!button || !popover.pointMark) return;
      var mark = popover.pointMark;
      while (mark && mark.dataset.fdxClaim !== button.dataset.claim) mark = outerMark(mark);
      if (mark) showPopover(mark, popover.pointMark);
    });
    return { host: host, box: box, claimId: null, pointMark: null, hideTimer: null, switchTimer: null };
  }

  /**
   * Where claims overlap their marks nest (see anchorPending): the popover
   * shows the claim of the mark under the pointer (or focused) and lists
   * the other claims on that same text, each a button that shows it.
   */
  function fillOthers(box, shownId, pointMark) {
    var others = [];
    for (var mark = pointMark; mark; mark = outerMark(mark)) {
      var id = Number(mark.dataset.fdxClaim);
      var claim = claims.find(function (c) { return c.id === id; });
      if (claim && id !== shownId && others.indexOf(claim) < 0) others.push(claim);
    }
    if (!others.length) return;
    var also = element('div', 'also');
    also.appendChild(element('p', 'also-title', 'Also checked on this text:'));
    others.forEach(function (other) {
      var quote = (other.selector && other.selector.exact) || '';
      if (quote.length > 60) quote = quote.slice(0, 59) + '…';
      var button = element('button', 'also-claim ' + (isRetracted(other) ? 'retracted' : other.verdict),
        (isRetracted(other) ? '⊘ Retracted'
          : vocabulary.verdictIcon(other.verdict) + ' ' + vocabulary.verdictWord(other.verdict)) +
        withLabel(other.verdict, other.label) + ': “' + quote + '”');
      button.type = 'button';
      button.dataset.claim = String(other.id);
      also.appendChild(button);
    });
    box.insertBefore(also, box.lastChild);
  }

  /** " · label" to follow the verdict's word; nothing when the label only repeats it. */
  function withLabel(verdict, label) {
    var shown = vocabulary.labelBeside(verdict, label);
    return shown ? ' · ' + shown : '';
  }

  function verdictLine(claim, className) {
    var head = element('p', className);
    head.append(element('span', 'icon', vocabulary.verdictIcon(claim.verdict) + ' '),
                element('strong', null, vocabulary.verdictWord(claim.verdict)));
    var label = withLabel(claim.verdict, claim.label);
    if (label) head.append(element('span', 'label', label));
    return head;
  }

  /** The retraction: date, reason, and what the claim said, struck through. */
  function fillRetraction(box, claim) {
    var head = element('p', 'retracted-head');
    head.append(element('span', 'icon', '⊘ '),
                element('strong', null, 'Retracted on ' + humanDate(claim.retracted_at)));
    box.appendChild(head);
    if (claim.retraction_reason) box.appendChild(element('p', 'reason', claim.retraction_reason));
    var was = verdictLine(claim, 'verdict was');
    was.prepend(element('span', 'was-word', 'It said: '));
    box.appendChild(was);
  }

  /** The latest correction: its date and note, and what readers were told before. */
  function fillCorrection(box, claim) {
    var latest = claim.corrections[claim.corrections.length - 1];
    var correction = element('div', 'correction');
    var head = element('p', 'corrected');
    head.append(element('strong', null, 'Corrected on ' + humanDate(claim.corrected_at || latest.at)));
    if (latest.note) head.append(element('span', 'correction-note', ': ' + latest.note));
    correction.appendChild(head);
    var verdictChanged = latest.previous_verdict !== latest.verdict;
    var labelChanged = (latest.previous_label || '') !== (latest.label || '');
    if (verdictChanged || labelChanged) {
      var previous = vocabulary.verdictWord(latest.previous_verdict) || latest.previous_verdict;
      correction.appendChild(element('p', 'previous', 'Previously: ' + previous +
        (labelChanged ? withLabel(latest.previous_verdict, latest.previous_label) : '')));
    }
    if (claim.corrections.length > 1) {
      correction.appendChild(element('p', 'previous',
        (claim.corrections.length - 1) + ' earlier correction' +
        (claim.corrections.length > 2 ? 's' : '') + ' on the full fact-check.'));
    }
    box.appendChild(correction);
  }

  function fillPopover(claim, state) {
    var box = popover.box;
    box.replaceChildren();
    box.classList.toggle('is-retracted', isRetracted(claim));
    if (isRetracted(claim)) {
      fillRetraction(box, claim);
      fillOrigin(box, claim);
      fillReviewLink(box, claim);
      box.appendChild(element('p', 'footer', 'Checked by Fact desk'));
      return;
    }
    box.appendChild(verdictLine(claim, 'verdict ' + claim.verdict));
    fillOrigin(box, claim);
    if (claim.corrections && claim.corrections.length) fillCorrection(box, claim);
    if (state === 'anchored-with-changes') {
      box.appendChild(element('p', 'note', 'The page’s wording has changed slightly since this was checked.'));
    }
    var rationale = element('div', 'rationale');
    rationale.appendChild(sanitize.rationaleFragment(claim.rationale, document));
    box.appendChild(rationale);
    if (claim.citations && claim.citations.length) {
      box.appendChild(element('p', 'sources-title', 'Sources'));
      var list = element('ul', 'sources');
      claim.citations.forEach(function (citation) {
        var item = element('li');
        var href = sanitize.safeHref(citation.url);
        var title = citation.title || citation.url;
        item.appendChild(href ? newTabLink(null, title, href) : element('span', null, title));
        // A stance the vocabulary does not know is left out rather than shown raw.
        var stance = vocabulary.stances.indexOf(citation.stance) >= 0 ? citation.stance : null;
        var details = [citation.publisher, stance].filter(Boolean).join(' · ');
        if (details) item.appendChild(element('span', 'details', ' — ' + details));
        var archive = citation.archive_url && sanitize.safeHref(citation.archive_url);
        if (archive) item.append(' (', newTabLink('archive', 'archived copy', archive), ')');
        if (citation.excerpt) item.appendChild(element('q', 'excerpt', citation.excerpt));
        list.appendChild(item);
      });
      box.appendChild(list);
    }
    fillReviewLink(box, claim);
    box.appendChild(element('p', 'footer', 'Checked by Fact desk'));
  }

  /** The full fact-check on the service: http(s) only, in a new tab. */
  /** Where a linked claim's fact-check was first published (the service's `link`). */
  function fillOrigin(box, claim) {
    if (!claim.link) return;
    var line = box.appendChild(element('p', 'origin', 'Fact-check first published on '));
    var title = claim.link.article_title || claim.link.article_url;
    var href = sanitize.safeHref(claim.link.article_url);
    line.appendChild(href ? newTabLink('origin-article', title, href) : element('span', null, title));
  }

  function fillReviewLink(box, claim) {
    var review = claim.review_url && sanitize.safeHref(claim.review_url);
    if (review) {
      box.appendChild(element('p', 'more'))
        .appendChild(newTabLink('review', 'Read the full fact-check', review));
    }
  }

  /** Show `mark`'s claim; `pointMark` (default: `mark`) is the innermost mark at that point. */
  function showPopover(mark, pointMark) {
    pointMark = pointMark || mark;
    var id = Number(mark.dataset.fdxClaim);
    var claim = claims.find(function (c) { return c.id === id; });
    if (!claim) return;
    if (!popover) popover = buildPopover();
    window.clearTimeout(popover.hideTimer);
    window.clearTimeout(popover.switchTimer);
    if (popover.claimId !== id || popover.pointMark !== pointMark || popover.box.hidden) {
      fillPopover(claim, placed.has(id) ? placed.get(id).result.state : 'anchored');
      fillOthers(popover.box, id, pointMark);
      popover.claimId = id;
      popover.pointMark = pointMark;
    }
    popover.box.hidden = false;
    var rect = mark.getBoundingClientRect();
    var width = Math.min(360, document.documentElement.clientWidth - 16);
    var left = Math.max(8, Math.min(rect.left, document.documentElement.clientWidth - width - 8));
    popover.box.style.width = width + 'px';
    popover.box.style.left = (left + window.scrollX) + 'px';
    popover.box.style.top = (rect.bottom + window.scrollY + 6) + 'px';
  }

  function hidePopover() {
    if (popover) {
      popover.box.hidden = true;
      popover.claimId = null;
      popover.pointMark = null;
      window.clearTimeout(popover.switchTimer);
    }
  }

  function scheduleHide() {
    if (!popover) return;
    window.clearTimeout(popover.hideTimer);
    popover.hideTimer = window.setTimeout(hidePopover, 300);
  }

  function markFrom(event) {
    var target = event.target;
    return target && target.closest ? target.closest('mark.fdx-mark') : null;
  }

  document.addEventListener('mouseover', function (event) {
    var mark = markFrom(event);
    if (!mark) return;
    // Leaving a nested mark for the mark around it, perhaps on the way to
    // the popover: the outer claim takes over only if the pointer stays.
    if (popover && !popover.box.hidden && popover.pointMark && popover.pointMark !== mark &&
        mark.contains(popover.pointMark)) {
      window.clearTimeout(popover.switchTimer);
      popover.switchTimer = window.setTimeout(function () { showPopover(mark); }, 300);
      return;
    }
    showPopover(mark);
  });
  document.addEventListener('mouseout', function (event) {
    if (markFrom(event)) scheduleHide();
  });
  document.addEventListener('focusin', function (event) {
    var mark = markFrom(event);
    if (mark) showPopover(mark);
  });
  document.addEventListener('click', function (event) {
    var mark = markFrom(event);
    if (mark) { showPopover(mark); return; }
    if (popover && !popover.host.contains(event.target)) hidePopover();
  });
  document.addEventListener('keydown', function (event) {
    var mark = markFrom(event);
    if (mark && (event.key === 'Enter' || event.key === ' ')) { event.preventDefault(); showPopover(mark); }
    if (event.key === 'Escape') hidePopover();
  });

  // The toolbar panel asks to show a claim.
  chrome.runtime.onMessage.addListener(function (message, sender, sendResponse) {
    // The popup's Retry after "service unreachable" (nothing is marked yet).
    if (message.type === 'retry') {
      if (!observer) start();
      sendResponse({ ok: true });
      return;
    }
    if (message.type === 'show-claim') {
      var entry = placed.get(message.id);
      if (entry) {
        entry.marks[0].scrollIntoView({ block: 'center' });
        entry.marks[0].focus();
        showPopover(entry.marks[0]);
      }
    }
  });

  var POPOVER_CSS = [
    ':host { all: initial; }',
    '.popover { position: absolute; z-index: 2147483647; box-sizing: border-box; max-width: calc(100vw - 16px);',
    '  background: #fff; color: #1d1d1f; border: 1px solid #999; border-radius: 6px; padding: 10px 12px;',
    '  box-shadow: 0 4px 16px rgba(0,0,0,.2); font: 14px/1.45 system-ui, sans-serif; text-align: left; }',
    '.popover[hidden] { display: none; }',
    '.verdict { margin: 0 0 6px; font-size: 15px; }',
    vocabulary.verdicts.map(function (verdict) {
      return '.' + verdict + ' { color: ' + vocabulary.verdictColour(verdict) + '; }';
    }).join(' '),
    '.label { color: #1d1d1f; }',
    '.correction { margin: 0 0 8px; padding: 4px 8px; background: #f1f3f4; border-left: 3px solid #5f6368; }',
    '.corrected, .previous { margin: 0; }',
    '.previous { color: #5f6368; }',
    '.retracted-head { margin: 0 0 4px; font-size: 15px; color: #3c4043; }',
    '.reason { margin: 0 0 6px; font-weight: 600; }',
    '.was { margin: 0 0 6px; color: #5f6368; }',
    '.was strong, .was .label, .was .icon { text-decoration: line-through; color: #5f6368; }',
    '.note { margin: 0 0 6px; color: #5f6368; font-style: italic; }',
    '.rationale p { margin: 0 0 6px; }',
    '.sources-title { margin: 8px 0 2px; font-weight: 600; }',
    '.sources { margin: 0; padding-left: 18px; }',
    '.sources li { margin-bottom: 4px; overflow-wrap: anywhere; }',
    'a { color: #1a0dab; }',
    '.details { color: #5f6368; }',
    'q { display: block; color: #3c4043; font-style: italic; }',
    '.more { margin: 8px 0 0; font-weight: 600; }',
    '.footer { margin: 8px 0 0; color: #5f6368; font-size: 12px; }',
    '.also { margin: 8px 0 0; border-top: 1px solid #ddd; padding-top: 6px; }',
    '.also-title { margin: 0 0 4px; font-weight: 600; }',
    '.also-claim { display: block; width: 100%; margin: 0 0 4px; padding: 3px 6px; text-align: left;',
    '  font: inherit; color: #1d1d1f; background: #fff; border: 1px solid #ccc; border-left: 4px solid #5f6368;',
    '  border-radius: 3px; cursor: pointer; overflow-wrap: anywhere; }',
    '.also-claim:focus-visible { outline: 3px solid #1a73e8; }',
    vocabulary.verdicts.map(function (verdict) {
      return '.also-claim.' + verdict + ' { border-left-color: ' + vocabulary.verdictColour(verdict) + '; }';
    }).join(' '),
  ].join('\n');

  // -- start -------------------------------------------------------------------

  /**
   * The page's URLs (pageurls.js): the worker hashes them; they leave the
   * browser only as a few hex digits of a hash.
   */
  var pageUrls = globalThis.FactPageUrls.pageUrls;

  function start() {
    var message = pageUrls();
    message.type = 'fetch-highlights';
    chrome.runtime.sendMessage(message).then(function (data) {
      // The worker has recorded "service unreachable" for this tab; an empty
      // report would turn it into "no checked claims".
      if (data && data.unreachable) return;
      if (!data || data.error || !data.claims) { claims = []; report(); return; }
      claims = data.claims;
      article = data.article;
      if (!claims.length) { report(); return; }
      observer = new MutationObserver(onMutations);
      anchorPending();
      observe();
    }).catch(function () { /* the worker did not answer: stay quiet */ });
  }

  start();
})();
