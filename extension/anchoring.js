/*
 * Anchoring: find a claim's quote in a page that may have changed since the
 * article was imported. Shared by the annotator UI and the browser extension
 * (plain script, no build step; exposes `FactAnchoring`).
 *
 * A claim arrives as a W3C TextQuoteSelector (exact, prefix, suffix) plus an
 * optional position hint. The result is one of three states:
 *   - "anchored": the exact quote (after whitespace normalisation);
 *   - "anchored-with-changes": a near match whose differences are small
 *     edits inside words (typo fixes, punctuation), never added, removed or
 *     reworded words;
 *   - "orphaned": gone, rewritten, or ambiguous.
 * Candidates are scored on quote, prefix, suffix and position. The best must
 * reach MIN_SCORE and beat the runner-up by MARGIN: a highlight on the wrong
 * sentence is worse than none, so when in doubt the claim is orphaned.
 *
 * Offsets: the store counts Unicode code points (the W3C rule); JavaScript
 * strings count UTF-16 units. Results carry both.
 */
(function (root) {
  'use strict';

  var WEIGHTS = { quote: 0.5, prefix: 0.2, suffix: 0.2, position: 0.1 };
  var MIN_SCORE = 0.5;
  var MARGIN = 0.05;
  // Fuzzy matching only for quotes at least this long.
  var MIN_FUZZY_LENGTH = 10;
  // Places tried with a full alignment per quote, and how often a piece of
  // the quote may occur before it says nothing about where the quote is.
  var MAX_FUZZY_CANDIDATES = 8;
  var MAX_PIECE_HITS = 500;

  // -- code points and UTF-16 ---------------------------------------------

  /** UTF-16 offset in `text` -> code point offset. */
  function utf16ToCodePoints(text, utf16Offset) {
    var count = 0;
    for (var i = 0; i < Math.min(utf16Offset, text.length); count++) {
      i += text.codePointAt(i) > 0xffff ? 2 : 1;
    }
    return count;
  }

  /** Code point offset in `text` -> UTF-16 offset. */
  function codePointsToUtf16(text, codePointOffset) {
    var units = 0;
    for (var n = 0; n < codePointOffset && units < text.length; n++) {
      units += text.codePointAt(units) > 0xffff ? 2 : 1;
    }
    return units;
  }

  function codePointLength(text) {
    return utf16ToCodePoints(text, text.length);
  }

  // -- normalisation ---------------------------------------------------------

  /**
   * Whitespace runs collapsed to one space, the way the store keeps text.
   * `map[i]` is the index in `text` of normalised character i (and
   * `map[length]` the end), so matches map back onto the original.
   */
  function normalize(text) {
    var out = [];
    var map = new Uint32Array(text.length + 1);
    var length = 0;
    var runs = /\s+/g;
    var last = 0;
    var match;
    while ((match = runs.exec(text)) !== null) {
      for (var i = last; i < match.index; i++) map[length++] = i;
      map[length++] = match.index;
      out.push(text.slice(last, match.index), ' ');
      last = match.index + match[0].length;
    }
    for (i = last; i < text.length; i++) map[length++] = i;
    out.push(text.slice(last));
    map[length] = text.length;
    return { text: out.join(''), map: map.subarray(0, length + 1) };
  }

  function collapse(text) {
    return (text || '').replace(/\s+/g, ' ');
  }

  // -- edit distance -----------------------------------------------------------

  /**
   * Edit distance, with an early exit above `limit` (returns limit + 1).
   * With `transpositions`, swapping two neighbouring letters counts as one
   * edit (optimal string alignment), as typing mistakes do.
   */
  function editDistance(a, b, limit, transpositions) {
    if (limit === undefined) limit = Math.max(a.length, b.length);
    if (Math.abs(a.length - b.length) > limit) return limit + 1;
    var before = new Array(b.length + 1);
    var previous = new Array(b.length + 1);
    var current = new Array(b.length + 1);
    for (var j = 0; j <= b.length; j++) previous[j] = j;
    for (var i = 1; i <= a.length; i++) {
      current[0] = i;
      var rowMin = current[0];
      for (j = 1; j <= b.length; j++) {
        var cost = a[i - 1] === b[j - 1] ? 0 : 1;
        current[j] = Math.min(previous[j - 1] + cost, previous[j] + 1, current[j - 1] + 1);
        if (transpositions && i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
          current[j] = Math.min(current[j], before[j - 2] + 1);
        }
        if (current[j] < rowMin) rowMin = current[j];
      }
      if (rowMin > limit) return limit + 1;
      var swap = before; before = previous; previous = current; current = swap;
    }
    return previous[b.length];
  }

  /** 1 for identical, 0 for nothing in common; null when there is nothing to compare. */
  function similarity(expected, actual) {
    if (!expected) return null;
    var distance = editDistance(expected, actual, expected.length);
    return Math.max(0, 1 - distance / expected.length);
  }

  /**
   * Best approximate occurrence of `pattern` in `text[from, to)`: the
   * substring with the fewest edits (Sellers' algorithm), as
   * {start, end, errors}.
   */
  function bestMatchIn(text, from, to, pattern) {
    var m = pattern.length;
    var width = to - from;
    // cost[j] and origin[j]: edits and start column of the best alignment of
    // pattern[0, i) ending at text column j.
    var cost = new Array(width + 1);
    var origin = new Array(width + 1);
    for (var j = 0; j <= width; j++) { cost[j] = 0; origin[j] = j; }
    for (var i = 1; i <= m; i++) {
      var diagCost = cost[0];
      var diagOrigin = origin[0];
      cost[0] = i;
      origin[0] = 0;
      for (j = 1; j <= width; j++) {
        var upCost = cost[j];
        var upOrigin = origin[j];
        var best = diagCost + (pattern[i - 1] === text[from + j - 1] ? 0 : 1);
        var bestOrigin = diagOrigin;
        if (upCost + 1 < best) { best = upCost + 1; bestOrigin = upOrigin; }
        if (cost[j - 1] + 1 < best) { best = cost[j - 1] + 1; bestOrigin = origin[j - 1]; }
        diagCost = upCost;
        diagOrigin = upOrigin;
        cost[j] = best;
        origin[j] = bestOrigin;
      }
    }
    var bestEnd = 0;
    for (j = 1; j <= width; j++) if (cost[j] < cost[bestEnd]) bestEnd = j;
    return { start: from + origin[bestEnd], end: from + bestEnd, errors: cost[bestEnd] };
  }

  /**
   * Near matches of `pattern` with at most `maxErrors` edits. By the
   * pigeonhole principle one of maxErrors + 1 pieces of the pattern occurs
   * unchanged in any such match, so exact hits of the pieces seed the search;
   * places where many pieces line up are tried first, and only the most
   * promising few get the full alignment.
   */
  var GRAM = 8;

  /**
   * Where `piece` occurs in the page. Pieces of GRAM characters or more are
   * looked up in an index of the page's GRAM-grams, built once per page on
   * the first fuzzy search (a whole-text scan per piece dominated the cost);
   * shorter ones are scanned for.
   */
  function occurrences(page, piece, limit) {
    var text = page.text;
    var hits = [];
    if (piece.length < GRAM) {
      for (var at = text.indexOf(piece); at !== -1 && hits.length <= limit;
           at = text.indexOf(piece, at + 1)) {
        hits.push(at);
      }
      return hits;
    }
    if (!page.grams) {
      page.grams = new Map();
      for (var i = 0; i + GRAM <= text.length; i++) {
        var gram = text.substr(i, GRAM);
        var list = page.grams.get(gram);
        if (list) list.push(i); else page.grams.set(gram, [i]);
      }
    }
    var starts = page.grams.get(piece.substr(0, GRAM)) || [];
    for (var n = 0; n < starts.length && hits.length <= limit; n++) {
      if (text.startsWith(piece, starts[n])) hits.push(starts[n]);
    }
    return hits;
  }

  function fuzzyCandidates(page, pattern, maxErrors) {
    var text = page.text;
    var pieces = maxErrors + 1;
    var pieceLength = Math.floor(pattern.length / pieces);
    var band = maxErrors + 1;
    var buckets = new Map();
    for (var p = 0; p < pieces; p++) {
      var offset = p * pieceLength;
      var piece = pattern.substr(offset, pieceLength);
      var hits = occurrences(page, piece, MAX_PIECE_HITS);
      if (hits.length > MAX_PIECE_HITS) continue;  // too common to tell anything
      hits.forEach(function (hit) {
        var diagonal = hit - offset;
        var key = Math.floor(diagonal / band);
        var bucket = buckets.get(key);
        if (!bucket) buckets.set(key, bucket = { diagonal: diagonal, hits: 0 });
        bucket.hits++;
      });
    }
    var ranked = Array.from(buckets.values()).sort(function (a, b) { return b.hits - a.hits; });
    // A place where few pieces line up compared with the best is not worth
    // a full alignment.
    var enough = ranked.length ? Math.max(1, Math.ceil(ranked[0].hits / 2)) : 1;
    var promising = ranked.filter(function (b) { return b.hits >= enough; })
      .slice(0, MAX_FUZZY_CANDIDATES);
    var found = [];
    var taken = {};
    promising.forEach(function (bucket) {
      var from = Math.max(0, bucket.diagonal - band);
      var to = Math.min(text.length, bucket.diagonal + pattern.length + band);
      var match = bestMatchIn(text, from, to, pattern);
      var key = match.start + ':' + match.end;
      if (match.errors <= maxErrors && !taken[key]) {
        taken[key] = true;
        found.push(match);
      }
    });
    return found;
  }

  /**
   * True when `found` differs from `expected` only by small edits inside
   * words: the same number of words, at most one word in five changed, and
   * each changed word by at most a third of its letters (at least one; a
   * swap of two neighbouring letters counts as one).
   * "goverment" -> "government" passes; "grown" -> "shrunk", or an added
   * "not", does not.
   */
  function onlySmallEdits(expected, found) {
    var a = expected.trim().split(' ');
    var b = found.trim().split(' ');
    if (a.length !== b.length) return false;
    var changed = 0;
    for (var i = 0; i < a.length; i++) {
      if (a[i] === b[i]) continue;
      // A changed number is a changed fact, however small the edit.
      if (a[i].replace(/\D/g, '') !== b[i].replace(/\D/g, '')) return false;
      changed++;
      var allowed = Math.max(1, Math.floor(Math.max(a[i].length, b[i].length) / 3));
      if (editDistance(a[i], b[i], allowed, true) > allowed) return false;
    }
    return changed <= Math.max(1, Math.floor(a.length / 5));
  }

  // -- anchoring -------------------------------------------------------------

  function scoreCandidate(page, candidate, quote, prefix, suffix, hint) {
    var parts = { quote: 1 - candidate.errors / Math.max(quote.length, 1) };
    parts.prefix = similarity(prefix, page.text.slice(Math.max(0, candidate.start - prefix.length), candidate.start));
    parts.suffix = similarity(suffix, page.text.slice(candidate.end, candidate.end + suffix.length));
    parts.position = hint === null ? null :
      Math.max(0, 1 - Math.abs(candidate.start / Math.max(page.text.length, 1) - hint) * 2);
    // Missing context counts as neutral, not as a mismatch.
    var score = 0;
    Object.keys(WEIGHTS).forEach(function (name) {
      score += WEIGHTS[name] * (parts[name] === null ? 0.5 : parts[name]);
    });
    return score;
  }

  /**
   * Anchor one selector in already-normalised page text (see `prepare`).
   * selector: {exact, prefix, suffix, position?: {start}, textLength?}.
   */
  function anchorNormalized(page, selector) {
    var quote = collapse(selector.exact);
    var prefix = collapse(selector.prefix);
    var suffix = collapse(selector.suffix);
    // Context is compared next to the quote, so only the near end matters.
    var hint = null;
    if (selector.position && selector.textLength) {
      hint = Math.min(1, Math.max(0, selector.position.start / selector.textLength));
    }
    if (!quote.trim()) return { state: 'orphaned', reason: 'empty quote' };

    var candidates = [];
    var at = page.text.indexOf(quote);
    while (at !== -1) {
      candidates.push({ start: at, end: at + quote.length, errors: 0 });
      at = page.text.indexOf(quote, at + 1);
    }
    var exact = candidates.length > 0;
    if (!exact && quote.length >= MIN_FUZZY_LENGTH) {
      var maxErrors = Math.max(2, Math.floor(quote.length / 10));
      candidates = fuzzyCandidates(page, quote, maxErrors).filter(function (c) {
        return onlySmallEdits(quote, page.text.slice(c.start, c.end));
      });
    }
    if (!candidates.length) return { state: 'orphaned', reason: 'quote not found' };

    candidates.forEach(function (c) { c.score = scoreCandidate(page, c, quote, prefix, suffix, hint); });
    candidates.sort(function (a, b) { return b.score - a.score; });
    var best = candidates[0];
    if (best.score < MIN_SCORE) return { state: 'orphaned', reason: 'too different', score: best.score };
    if (candidates.length > 1 && best.score - candidates[1].score < MARGIN) {
      return { state: 'orphaned', reason: 'ambiguous', score: best.score };
    }
    var start = page.map[best.start];
    var end = page.map[best.end - 1] + 1;
    return {
      state: best.errors === 0 ? 'anchored' : 'anchored-with-changes',
      start: start,
      end: end,
      text: page.original.slice(start, end),
      score: best.score,
      errors: best.errors,
      startCodePoint: page.codePoints ? page.codePoints[start] : start,
      endCodePoint: page.codePoints ? page.codePoints[end] : end,
    };
  }

  /**
   * Normalise a page's text once for many anchorings. `codePoints[i]` is the
   * code point offset of UTF-16 offset i (only built when the text has
   * characters outside the BMP; otherwise the two are equal).
   */
  function prepare(text) {
    var normalized = normalize(text);
    var codePoints = null;
    if (/[\uD800-\uDBFF]/.test(text)) {
      codePoints = new Uint32Array(text.length + 1);
      for (var i = 0, n = 0; i <= text.length; i++) {
        codePoints[i] = n;
        var unit = text.charCodeAt(i);
        // The low half of a pair adds nothing: the pair is one code point.
        if (!(unit >= 0xdc00 && unit <= 0xdfff && i > 0 &&
              text.charCodeAt(i - 1) >= 0xd800 && text.charCodeAt(i - 1) <= 0xdbff)) n++;
      }
    }
    return { original: text, text: normalized.text, map: normalized.map, codePoints: codePoints };
  }

  /** Anchor one selector in `text`: {state, start, end (UTF-16), startCodePoint, ...}. */
  function anchor(text, selector) {
    return anchorNormalized(prepare(text), selector);
  }

  /** Anchor many selectors against the same text. */
  function anchorAll(text, selectors) {
    var page = prepare(text);
    return selectors.map(function (selector) { return anchorNormalized(page, selector); });
  }

  // -- the DOM -----------------------------------------------------------------

  var SKIPPED = { SCRIPT: 1, STYLE: 1, NOSCRIPT: 1, TEMPLATE: 1, TEXTAREA: 1, SELECT: 1,
                  OPTION: 1, IFRAME: 1, OBJECT: 1, SVG: 1, CANVAS: 1, HEAD: 1 };
  var INLINE = { A: 1, ABBR: 1, B: 1, BDI: 1, BDO: 1, CITE: 1, CODE: 1, DATA: 1, DFN: 1,
                 EM: 1, FONT: 1, I: 1, KBD: 1, MARK: 1, Q: 1, S: 1, SAMP: 1, SMALL: 1,
                 SPAN: 1, STRONG: 1, SUB: 1, SUP: 1, TIME: 1, U: 1, VAR: 1, WBR: 1,
                 DEL: 1, INS: 1, LABEL: 1 };

  function isHidden(element, cache) {
    if (cache.has(element)) return cache.get(element);
    var hidden = element.hidden === true;
    var view = element.ownerDocument.defaultView;
    if (!hidden && view) {
      var style = view.getComputedStyle(element);
      hidden = style.display === 'none' || style.visibility === 'hidden';
    }
    cache.set(element, hidden);
    return hidden;
  }

  function blockOf(node) {
    var element = node.parentElement;
    while (element && INLINE[element.tagName]) element = element.parentElement;
    return element;
  }

  /**
   * The visible text under `rootElement`, with a newline between blocks (so
   * "end.</p><p>Start" reads "end. Start"), and the text nodes behind it.
   * Skips script, style, form controls and hidden elements.
   */
  function textOf(rootElement, ignore) {
    var doc = rootElement.ownerDocument;
    var hiddenCache = new Map();
    var walker = doc.createTreeWalker(rootElement, 5 /* NodeFilter.SHOW_ELEMENT | SHOW_TEXT */, {
      acceptNode: function (node) {
        // Of the elements only <br> is kept: "last<br>year" reads "last year".
        if (node.nodeType === 1 && node.tagName.toUpperCase() !== 'BR') return 3; // SKIP
        for (var el = node.parentElement; el && el !== rootElement.parentElement; el = el.parentElement) {
          if (SKIPPED[el.tagName.toUpperCase()] || (ignore && ignore(el))) return 2; // REJECT
        }
        for (el = node.parentElement; el && el !== rootElement.parentElement; el = el.parentElement) {
          if (isHidden(el, hiddenCache)) return 2;
        }
        return 1; // ACCEPT
      },
    });
    var parts = [];
    var nodes = [];
    var length = 0;
    var lastBlock = null;
    for (var node = walker.nextNode(); node; node = walker.nextNode()) {
      if (node.nodeType === 1) {
        if (length) { parts.push('\n'); length += 1; }
        continue;
      }
      var block = blockOf(node);
      if (lastBlock !== null && block !== lastBlock) {
        parts.push('\n');
        length += 1;
      }
      lastBlock = block;
      nodes.push({ node: node, start: length, end: length + node.data.length });
      parts.push(node.data);
      length += node.data.length;
    }
    return { text: parts.join(''), nodes: nodes };
  }

  /**
   * Wrap text[start, end) of a `textOf` result in elements made by
   * `makeWrapper()`, one per text node crossed. Returns the wrappers.
   */
  function wrapRange(textInfo, start, end, makeWrapper) {
    var wrappers = [];
    var nodes = [];
    textInfo.nodes.forEach(function (entry) {
      if (entry.end <= start || entry.start >= end) { nodes.push(entry); return; }
      var from = Math.max(start, entry.start) - entry.start;
      var to = Math.min(end, entry.end) - entry.start;
      if (!entry.node.data.slice(from, to).trim()) { nodes.push(entry); return; }
      // Split the text node into before / target / after; keep every piece
      // in the index so later wraps on the same page still line up.
      var target = entry.node;
      if (from > 0) {
        nodes.push({ node: target, start: entry.start, end: entry.start + from });
        target = target.splitText(from);
      }
      var after = to < entry.end - entry.start ? target.splitText(to - from) : null;
      var wrapper = makeWrapper();
      target.parentNode.insertBefore(wrapper, target);
      wrapper.appendChild(target);
      wrappers.push(wrapper);
      nodes.push({ node: target, start: entry.start + from, end: entry.start + to });
      if (after) nodes.push({ node: after, start: entry.start + to, end: entry.end });
    });
    textInfo.nodes = nodes;
    return wrappers;
  }

  // Only what the annotator, the content script, the tests and the bench
  // use; the helpers above stay private.
  root.FactAnchoring = {
    utf16ToCodePoints: utf16ToCodePoints,
    codePointsToUtf16: codePointsToUtf16,
    codePointLength: codePointLength,
    anchor: anchor,
    anchorAll: anchorAll,
    textOf: textOf,
    wrapRange: wrapRange,
    MIN_SCORE: MIN_SCORE,
  };
})(globalThis);
