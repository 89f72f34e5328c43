/*
 * Fact-checker mode, in the page: a selection as a W3C TextQuoteSelector
 * over the page's visible text (FactAnchoring.textOf, the text the readers'
 * extension anchors in), and the page's HTML as the checker sees it,
 * bounded. Exposes `FactSelection`.
 */
(function (root) {
  'use strict';

  var anchoring = root.FactAnchoring;
  var CONTEXT_LENGTH = 32;  // annotations.models.CONTEXT_LENGTH
  var MAX_EXACT = 10000;
  // Elements that carry no article text: left out of the HTML sent.
  var DROPPED = 'script, style, noscript, template, iframe, object, embed, [data-fdx-host]';

  function isOurs(element) {
    return element.hasAttribute && element.hasAttribute('data-fdx-host');
  }

  /** The offset in textOf's text of a range boundary. */
  function offsetOf(info, container, offset, atEnd) {
    for (var i = 0; i < info.nodes.length; i++) {
      if (info.nodes[i].node === container) return info.nodes[i].start + Math.min(offset, container.data.length);
    }
    // A boundary between elements: the next text node after it (a start),
    // or the end of the last one before it (an end).
    var probe = document.createRange();
    probe.setStart(container, offset);
    var found = null;
    for (var j = 0; j < info.nodes.length; j++) {
      var before = probe.comparePoint(info.nodes[j].node, 0) < 0;
      if (atEnd && before) found = info.nodes[j].end;
      if (!atEnd && !before) { found = info.nodes[j].start; break; }
    }
    return found;
  }

  /** Don't cut a surrogate pair in two. */
  function safeSlice(text, start, end) {
    if (start > 0 && /[\uDC00-\uDFFF]/.test(text.charAt(start))) start--;
    if (end < text.length && /[\uDC00-\uDFFF]/.test(text.charAt(end))) end++;
    return text.slice(Math.max(0, start), end);
  }

  /** { exact, prefix, suffix } of `range`, or null for an empty or oversized one. */
  function selectorOf(range) {
    var info = anchoring.textOf(document.body, isOurs);
    var start = offsetOf(info, range.startContainer, range.startOffset, false);
    var end = offsetOf(info, range.endContainer, range.endOffset, true);
    if (start === null || end === null || end <= start) return null;
    var text = info.text;
    while (start < end && /\s/.test(text.charAt(start))) start++;
    while (end > start && /\s/.test(text.charAt(end - 1))) end--;
    if (end <= start || end - start > MAX_EXACT) return null;
    return {
      exact: text.slice(start, end),
      prefix: safeSlice(text, start - CONTEXT_LENGTH, start),
      suffix: safeSlice(text, end, end + CONTEXT_LENGTH),
    };
  }

  /** The page's DOM as HTML, without scripts, frames or the extension's own elements. */
  function pageHtml() {
    var copy = document.documentElement.cloneNode(true);
    copy.querySelectorAll(DROPPED).forEach(function (element) { element.remove(); });
    return '<!doctype html>\n' + copy.outerHTML;
  }

  root.FactSelection = { selectorOf: selectorOf, pageHtml: pageHtml };
})(globalThis);
