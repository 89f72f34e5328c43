/*
 * Anchoring: find a claim's quote in a page that may have changed since the
 * article was imported. Shared by the annotator UI and the browser extension
 * (plain script, no build step; exposes `FactAnchoring`).
 *
 * The algorithm is specified in docs/anchoring.md; annotations/anchoring.py
 * implements the same specification for re-imports, and both run the cases
 * in tests/fixtures/anchoring_cases.json and must agree on every one.
 *
 * A claim arrives as a W3C TextQuoteSelector (exact, prefix, suffix) plus an
 * optional position hint. The result is one of three states:
 *   - "anchored": the exact quote (after whitespace normalisation);
 *   - "anchored-with-changes": a near match whose differences are small
 *     edits inside words (typo fixes, punctuation), never added, removed,
 *     negated or substituted words, never a changed number;
 *   - "orphaned": gone, rewritten, or ambiguous.
 * Exact and near candidates are scored together on quote, prefix, suffix and
 * position. The best needs evidence from its surroundings (the remembered
 * prefix or suffix, or the paragraph break stored at their edge; more of it
 * for short or repeated quotes and for edited ones), a score of MIN_SCORE and
 * a lead of MARGIN over the runner-up: a highlight on the wrong sentence is
 * worse than none, so when in doubt the claim is orphaned.
 *
 * Offsets: the store counts Unicode code points (the W3C rule); JavaScript
 * strings count UTF-16 units. Results carry both. Internally every astral
 * character is replaced by one private-use character, so lengths and edits
 * count code points, as in Python.
 */
(function (root) {
  'use strict';

  var WEIGHTS = { quote: 0.5, prefix: 0.2, suffix: 0.2, position: 0.1 };
  var MIN_SCORE = 0.5;
  var MARGIN = 0.05;
  // Near-match search for quotes at least this long (code points).
  var MIN_FUZZY_LENGTH = 4;
  // Places tried with a full alignment per quote, how often a piece of the
  // quote may occur before it says nothing about where the quote is, and
  // how many exact occurrences are scored one by one.
  var MAX_FUZZY_CANDIDATES = 8;
  var MAX_PIECE_HITS = 500;
  var MAX_OCCURRENCES = 1000;
  // Context agreement (0..1 per side) a placement needs; see docs/anchoring.md.
  var BREAK_AGREEMENT = 0.7;
  var WEAK_EVIDENCE = 0.5;
  var STRONG_EVIDENCE = 0.75;
  var BOTH_SIDES = 0.5;
  var FULL_AGREEMENT = 0.85;
  var BOTH_SIDES_FULL = 0.6;
  // A quote at least this long, found once, verbatim, is "distinctive".
  var DISTINCTIVE_LENGTH = 20;

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

  // The same characters as WHITESPACE in annotations/anchoring.py.
  var WORD = /[\p{L}\p{N}\p{M}]/u;

  // Per UTF-16 unit: 0 not looked up yet, 1 a word character, 2 not.
  var WORD_UNITS = new Uint8Array(65536);

  function isWord(ch) {
    if (ch === undefined || ch === ' ') return false;
    if (ch.length !== 1) return WORD.test(ch);
    var code = ch.charCodeAt(0);
    if (WORD_UNITS[code] === 0) WORD_UNITS[code] = WORD.test(ch) ? 1 : 2;
    return WORD_UNITS[code] === 1;
  }

  /** One private-use character per astral character, per page. */
  function astralMapper(text) {
    var taken = {};
    var used = text.match(/[\ue000-\uf8ff]/g) || [];
    used.forEach(function (ch) { taken[ch] = true; });
    var codes = new Map();
    var next = 0xe000;
    return function (pair) {
      var ch = codes.get(pair);
      if (ch === undefined) {
        while (taken[String.fromCharCode(next)] && next < 0xf8ff) next++;
        ch = String.fromCharCode(next++);
        codes.set(pair, ch);
      }
      return ch;
    };
  }

  function isSpaceCode(c) {
    if (c > 32 && c < 0xa0) return false;
    return c === 32 || (c >= 9 && c <= 13) || c === 0xa0 || c === 0x1680 ||
      (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 || c === 0x202f ||
      c === 0x205f || c === 0x3000 || c === 0xfeff;
  }

  function isBreakCode(c) {
    return c === 10 || c === 13 || c === 0x2028 || c === 0x2029;
  }

  /**
   * Whitespace runs collapsed to one space, astral characters to one unit.
   * `map[i]` is the UTF-16 index in `text` of normalised character i and
   * `breaks[i]` is 1 when character i stands for a run with a line break.
   */
  var SPACE_RUNS = /[\t\n\v\f\r \u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff]+/g;
  var LINE_BREAK = /[\n\r\u2028\u2029]/;

  function normalize(text, astral, withMap) {
    if (!/[\ud800-\udbff]/.test(text)) return normalizeBmp(text, withMap);
    var n = text.length;
    var out = [];
    var map = withMap ? new Uint32Array(n + 1) : null;
    var breaks = withMap ? new Uint8Array(n + 1) : null;
    var length = 0;
    var chunk = 0;   // start of the characters not yet copied to `out`
    for (var i = 0; i < n; i++) {
      var c = text.charCodeAt(i);
      if (isSpaceCode(c)) {
        if (i > chunk) out.push(text.slice(chunk, i));
        var brk = false;
        var j = i;
        for (; j < n && isSpaceCode(text.charCodeAt(j)); j++) if (isBreakCode(text.charCodeAt(j))) brk = true;
        out.push(' ');
        if (withMap) { map[length] = i; if (brk) breaks[length] = 1; }
        length++;
        chunk = j;
        i = j - 1;
      } else if (c >= 0xd800 && c <= 0xdbff && i + 1 < n &&
                 text.charCodeAt(i + 1) >= 0xdc00 && text.charCodeAt(i + 1) <= 0xdfff) {
        if (i > chunk) out.push(text.slice(chunk, i));
        out.push(astral(text.substr(i, 2)));
        if (withMap) map[length] = i;
        length++;
        i++;
        chunk = i + 1;
      } else {
        if (withMap) map[length] = i;
        length++;
      }
    }
    if (n > chunk) out.push(text.slice(chunk, n));
    if (withMap) map[length] = n;
    return { text: out.join(''), map: withMap ? map.subarray(0, length + 1) : null,
             breaks: breaks };
  }

  // Whitespace runs that are not a single space: the only ones that move
  // offsets or can hold a line break.
  var CHANGED_RUNS =
    /(?: ?[\t\n\v\f\r\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff]|  )[\t\n\v\f\r \u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff]*/g;

  /**
   * `normalize` for text without astral characters. Instead of a map per
   * character, `runs` lists the whitespace runs that are not a single space
   * (`at`: normalised index, `from`/`to`: the run in `text`); everything
   * between them maps one to one (see `originalIndex`).
   */
  function normalizeBmp(text, withMap) {
    if (!withMap) return { text: text.replace(SPACE_RUNS, ' '), map: null, breaks: null };
    var at = [];
    var from = [];
    var to = [];
    var out = [];
    var last = 0;
    var removed = 0;
    var run;
    var breakAt = [];
    CHANGED_RUNS.lastIndex = 0;
    while ((run = CHANGED_RUNS.exec(text)) !== null) {
      var end = run.index + run[0].length;
      at.push(run.index - removed);
      from.push(run.index);
      to.push(end);
      if (LINE_BREAK.test(run[0])) breakAt.push(run.index - removed);
      out.push(text.slice(last, run.index), ' ');
      removed += run[0].length - 1;
      last = end;
    }
    out.push(text.slice(last));
    var normalized = out.join('');
    var breaks = new Uint8Array(normalized.length + 1);
    for (var i = 0; i < breakAt.length; i++) breaks[breakAt[i]] = 1;
    return { text: normalized, map: null, breaks: breaks, runs: { at: at, from: from, to: to } };
  }

  /** UTF-16 index in the page's original text of normalised index `k`. */
  function originalIndex(page, k) {
    if (page.map) return page.map[k];
    var at = page.runs.at;
    // The last changed run at or before k.
    var lo = 0;
    var hi = at.length;
    while (lo < hi) {
      var mid = (lo + hi) >> 1;
      if (at[mid] <= k) lo = mid + 1; else hi = mid;
    }
    var r = lo - 1;
    if (r < 0) return k;
    if (at[r] === k) return page.runs.from[r];
    return page.runs.to[r] + (k - at[r] - 1);
  }

  // -- edit distance -----------------------------------------------------------

  /**
   * Edit distance, with an early exit above `limit` (returns limit + 1).
   * With `transpositions`, swapping two neighbouring letters counts as one
   * edit (optimal string alignment), as typing mistakes do.
   */
  function editDistance(a, b, limit, transpositions) {
    var m = a.length;
    var n = b.length;
    if (limit === undefined) limit = Math.max(m, n);
    if (Math.abs(m - n) > limit) return limit + 1;
    if (!transpositions) {
      // A common beginning or end changes no distance: only the middle is
      // compared (identical context, the usual case, costs one comparison).
      if (a === b) return 0;
      var head = 0;
      while (head < m && head < n && a.charCodeAt(head) === b.charCodeAt(head)) head++;
      var tail = 0;
      while (tail < m - head && tail < n - head &&
             a.charCodeAt(m - 1 - tail) === b.charCodeAt(n - 1 - tail)) tail++;
      if (head || tail) {
        a = a.slice(head, m - tail);
        b = b.slice(head, n - tail);
        m = a.length;
        n = b.length;
      }
    }
    if (ROWS[0].length <= n) growRows(n + 1);
    // Three rows of the table, typed and reused between calls; characters
    // are compared as UTF-16 codes (the same as comparing one-unit strings).
    var before = ROWS[0];
    var previous = ROWS[1];
    var current = ROWS[2];
    for (var j = 0; j <= n; j++) previous[j] = j;
    for (var i = 1; i <= m; i++) {
      var ai = a.charCodeAt(i - 1);
      var ap = i > 1 ? a.charCodeAt(i - 2) : -1;
      current[0] = i;
      var rowMin = i;
      var left = i;
      for (j = 1; j <= n; j++) {
        var bj = b.charCodeAt(j - 1);
        var value = previous[j - 1] + (ai === bj ? 0 : 1);
        if (previous[j] + 1 < value) value = previous[j] + 1;
        if (left + 1 < value) value = left + 1;
        if (transpositions && i > 1 && j > 1 && ai === b.charCodeAt(j - 2) && ap === bj &&
            before[j - 2] + 1 < value) {
          value = before[j - 2] + 1;
        }
        current[j] = value;
        left = value;
        if (value < rowMin) rowMin = value;
      }
      if (rowMin > limit) return limit + 1;
      var swap = before; before = previous; previous = current; current = swap;
    }
    return previous[n];
  }

  var ROWS = [new Int32Array(64), new Int32Array(64), new Int32Array(64)];

  function growRows(size) {
    ROWS = [new Int32Array(size * 2), new Int32Array(size * 2), new Int32Array(size * 2)];
  }

  /** 1 for identical, 0 for nothing in common. */
  function similarity(expected, actual) {
    var distance = editDistance(expected, actual, expected.length);
    return Math.max(0, 1 - distance / expected.length);
  }

  /**
   * Best approximate occurrence of `pattern` in `text[from, to)` with at
   * most `maxErrors` edits: the substring with the fewest edits (Sellers'
   * algorithm), as {start, end, errors}; the first such end wins a tie, and
   * of equal ways to reach a cell the diagonal, then the step down the
   * pattern, then the step along the text. Errors above `maxErrors` when
   * there is none.
   *
   * Only cells that can lie on an alignment within `maxErrors` are computed,
   * column by column (one text character at a time): not those below the
   * last row within `maxErrors` in the previous column plus one (Ukkonen's
   * cut-off: a cell never costs less than its upper-left neighbour), nor
   * those too far right of their row to reach the pattern's end before the
   * window's. Left-out cells count as unreachable; every computed cost is
   * then at least the full table's, and the cells of the full table's best
   * alignment (when within `maxErrors`) get the same cost and origin, so
   * the result is the full table's.
   */
  function bestMatchIn(text, from, to, pattern, maxErrors) {
    var m = pattern.length;
    var width = to - from;
    // The last diagonal (column - row) from which the pattern's end can
    // still be reached within maxErrors before the window's end.
    var lastDiagonal = width - m + maxErrors;
    if (MATCH_COST.length <= m) {
      MATCH_COST = new Int32Array(2 * (m + 1));
      MATCH_ORIGIN = new Int32Array(2 * (m + 1));
    }
    var cost = MATCH_COST;      // cost[i]: pattern[0, i) against text ending at the column
    var origin = MATCH_ORIGIN;  // where in the window that alignment starts
    for (var i = 0; i <= m; i++) { cost[i] = i; origin[i] = 0; }
    var top = m;                          // last row computed in the previous column
    var last = Math.min(m, maxErrors);    // its last row within maxErrors
    var bestCost = m <= maxErrors ? m : maxErrors + 1;
    var bestEnd = 0;
    var bestOrigin = 0;
    for (var j = 1; j <= width; j++) {
      var code = text.charCodeAt(from + j - 1);
      var rows = last < m ? last + 1 : m;
      var first = j - lastDiagonal;       // rows above it cannot finish in time
      if (first > rows) break;            // nor can any later column's
      var diagCost, diagOrigin, upCost, upOrigin;
      if (first <= 0) {
        diagCost = cost[0];
        diagOrigin = origin[0];
        cost[0] = 0;
        origin[0] = j;
        upCost = 0;
        upOrigin = j;
        first = 1;
      } else {
        diagCost = cost[first - 1];
        diagOrigin = origin[first - 1];
        upCost = UNREACHED;
        upOrigin = 0;
      }
      for (i = first; i <= rows; i++) {
        var leftCost = i <= top ? cost[i] : UNREACHED;
        var leftOrigin = origin[i];
        var best = diagCost + (pattern.charCodeAt(i - 1) === code ? 0 : 1);
        var bestFrom = diagOrigin;
        if (upCost + 1 < best) { best = upCost + 1; bestFrom = upOrigin; }
        if (leftCost + 1 < best) { best = leftCost + 1; bestFrom = leftOrigin; }
        diagCost = leftCost;
        diagOrigin = leftOrigin;
        cost[i] = best;
        origin[i] = bestFrom;
        upCost = best;
        upOrigin = bestFrom;
      }
      top = rows;
      last = rows;
      while (last >= first && cost[last] > maxErrors) last--;
      if (last < first && first > 1) last = first - 1;  // nothing within: the next column breaks
      if (top === m && cost[m] < bestCost) {
        bestCost = cost[m];
        bestEnd = j;
        bestOrigin = origin[m];
      }
    }
    return { start: from + bestOrigin, end: from + bestEnd, errors: bestCost };
  }

  var UNREACHED = 1 << 29;
  var MATCH_COST = new Int32Array(512);
  var MATCH_ORIGIN = new Int32Array(512);

  // -- finding candidates ------------------------------------------------------------

  // The page index: the GRAM characters at every STEP-th position, by hash.
  // Any string of at least GRAM + STEP - 1 characters has one of its
  // GRAM-grams on an indexed position wherever it occurs.
  var GRAM = 5;
  var STEP = 2;
  var MIN_INDEXED = GRAM + STEP - 1;
  var HASH_BITS = 17;
  var HASH_MASK = (1 << HASH_BITS) - 1;

  /** Hash bucket of text[at, at + GRAM) (exact arithmetic: codes < 2^16). */
  function bucketAt(text, at) {
    var h = ((((text.charCodeAt(at) * 31 + text.charCodeAt(at + 1)) * 31 +
               text.charCodeAt(at + 2)) * 31 + text.charCodeAt(at + 3)) * 31 +
             text.charCodeAt(at + 4)) | 0;
    return (h ^ (h >>> HASH_BITS)) & HASH_MASK;
  }

  /**
   * Every start of `piece` in the page, ascending; when there are more than
   * `limit`, some list longer than `limit` (the caller then ignores it).
   * Pieces of MIN_INDEXED characters or more are looked up in the page
   * index (built once per page on first use); shorter ones are scanned for.
   */
  function occurrences(page, piece, limit) {
    var text = page.text;
    var hits = [];
    if (piece.length < MIN_INDEXED) {
      for (var at = text.indexOf(piece); at !== -1 && hits.length <= limit;
           at = text.indexOf(piece, at + 1)) {
        hits.push(at);
      }
      return hits;
    }
    if (!page.heads) buildIndex(page);
    // An occurrence at q has its gram at offset k indexed when q + k is a
    // multiple of STEP: for each residue, the piece's rarest gram with an
    // offset of that residue leads to all occurrences starting there.
    for (var residue = 0; residue < STEP; residue++) {
      var best = -1;
      var offset = 0;
      for (var k = residue; k + GRAM <= piece.length; k += STEP) {
        var bucket = bucketAt(piece, k);
        if (best === -1 || page.counts[bucket] < page.counts[best]) { best = bucket; offset = k; }
      }
      for (var p = page.heads[best]; p !== -1 && hits.length <= limit; p = page.next[p / STEP]) {
        if (p >= offset && text.startsWith(piece, p - offset)) hits.push(p - offset);
      }
    }
    return hits.length > limit ? hits : hits.sort(function (x, y) { return x - y; });
  }

  /**
   * Chains of the indexed positions by bucket (`heads`, `next` per indexed
   * position, descending) and each bucket's size (`counts`).
   */
  function buildIndex(page) {
    var text = page.text;
    var heads = new Int32Array(1 << HASH_BITS).fill(-1);
    var counts = new Int32Array(1 << HASH_BITS);
    var next = new Int32Array(Math.floor(text.length / STEP) + 1);
    for (var i = 0; i + GRAM <= text.length; i += STEP) {
      var bucket = bucketAt(text, i);
      next[i / STEP] = heads[bucket];
      heads[bucket] = i;
      counts[bucket]++;
    }
    page.heads = heads;
    page.next = next;
    page.counts = counts;
  }

  /**
   * Exact occurrences of the quote, ascending; null when too many to score.
   * Once the page index exists (a near-match search built it), it finds them
   * without scanning the whole page.
   */
  function exactCandidates(page, quote) {
    var text = page.text;
    var found = [];
    if (page.heads && quote.length >= MIN_INDEXED) {
      var hits = occurrences(page, quote, MAX_OCCURRENCES);
      if (hits.length > MAX_OCCURRENCES) return null;
      for (var i = 0; i < hits.length; i++) {
        found.push({ start: hits[i], end: hits[i] + quote.length, errors: 0 });
      }
      return found;
    }
    for (var at = text.indexOf(quote); at !== -1; at = text.indexOf(quote, at + 1)) {
      if (found.length === MAX_OCCURRENCES) return null;
      found.push({ start: at, end: at + quote.length, errors: 0 });
    }
    return found;
  }

  function maxErrorsFor(length) {
    if (length < 6) return 1;
    return Math.min(12, Math.max(2, Math.floor(length / 8)));
  }

  /**
   * Near matches of `pattern` with at most `maxErrors` edits. By the
   * pigeonhole principle one of maxErrors + 1 pieces of the pattern occurs
   * unchanged in any such match, so exact hits of the pieces seed the search;
   * places where many pieces line up are tried first, places an exact
   * occurrence already covers are skipped, and only the most promising few
   * get the full alignment.
   */
  function fuzzyCandidates(page, pattern, maxErrors, exact) {
    var text = page.text;
    var pieces = maxErrors + 1;
    var pieceLength = Math.floor(pattern.length / pieces);
    var band = maxErrors + 1;
    // Each hit's diagonal (where the pattern would start); sorted, the hits
    // of one band of diagonals (a "bucket") stand together.
    var diagonals = [];
    for (var p = 0; p < pieces; p++) {
      var offset = p * pieceLength;
      var hits = occurrences(page, pattern.substr(offset, pieceLength), MAX_PIECE_HITS);
      if (hits.length > MAX_PIECE_HITS) continue;  // too common to tell anything
      for (var h = 0; h < hits.length; h++) diagonals.push(hits[h] - offset);
    }
    var sorted = Int32Array.from(diagonals).sort();
    var buckets = [];  // {diagonal: the bucket's smallest, hits}
    var top = 0;
    for (var i = 0; i < sorted.length;) {
      var key = Math.floor(sorted[i] / band);
      var j = i + 1;
      while (j < sorted.length && Math.floor(sorted[j] / band) === key) j++;
      buckets.push({ diagonal: sorted[i], hits: j - i });
      if (j - i > top) top = j - i;
      i = j;
    }
    // A place where few pieces line up compared with the best is not worth
    // a full alignment; nor is one an exact occurrence already covers.
    var enough = Math.max(1, Math.ceil(top / 2));
    var ranked = buckets.filter(function (b) {
      return b.hits >= enough &&
        !exact.some(function (c) { return Math.abs(c.start - b.diagonal) <= band; });
    }).sort(function (a, b) { return b.hits - a.hits || a.diagonal - b.diagonal; });
    var found = [];
    var taken = {};
    exact.forEach(function (c) { taken[c.start + ':' + c.end] = true; });
    ranked.slice(0, MAX_FUZZY_CANDIDATES).forEach(function (bucket) {
      var from = Math.max(0, bucket.diagonal - band);
      var to = Math.min(text.length, bucket.diagonal + pattern.length + band);
      var match = bestMatchIn(text, from, to, pattern, maxErrors);
      if (match.errors > maxErrors) return;
      var key = match.start + ':' + match.end;
      if (!taken[key]) { taken[key] = true; found.push(match); }
    });
    return found;
  }

  /**
   * A near match starting or ending inside a word is widened to the whole
   * word when the stored quote is word-aligned there, and loses spaces the
   * quote does not have; its edits are then counted again.
   */
  function alignToWords(text, c, quote, prefix, suffix) {
    var start = c.start;
    var end = c.end;
    var startAligned = !(isWord(prefix[prefix.length - 1]) && isWord(quote[0]));
    var endAligned = !(isWord(suffix[0]) && isWord(quote[quote.length - 1]));
    if (quote[0] !== ' ') while (start < end && text[start] === ' ') start++;
    if (quote[quote.length - 1] !== ' ') while (end > start && text[end - 1] === ' ') end--;
    if (startAligned) while (start > 0 && isWord(text[start - 1]) && isWord(text[start])) start--;
    if (endAligned) while (end < text.length && isWord(text[end]) && isWord(text[end - 1])) end++;
    if (start === c.start && end === c.end) return c;
    return { start: start, end: end, errors: editDistance(quote, text.slice(start, end)) };
  }

  // -- what counts as a small edit ------------------------------------------------------

  var NEGATIONS = { no: 1, not: 1, never: 1, none: 1, nobody: 1, nothing: 1, neither: 1, nor: 1,
                    nowhere: 1, cannot: 1 };

  function core(word) {
    var chars = Array.from(word);
    var a = 0;
    var b = chars.length;
    while (a < b && !isWord(chars[a])) a++;
    while (b > a && !isWord(chars[b - 1])) b--;
    return chars.slice(a, b).join('').toLowerCase();
  }

  function isNegation(word) {
    var w = core(word).replace(/\u2019/g, "'");
    return NEGATIONS[w] === 1 || /n't$/.test(w);
  }

  function sameLetters(a, b) {
    return a.split('').sort().join('') === b.split('').sort().join('');
  }

  /**
   * How many words differ, or -1 when a difference is not a small edit: a
   * word added or removed, a number or a negation changed, a short word
   * (three letters or fewer) changed other than by a swap of two letters,
   * or a longer word changed by more than a third of its letters.
   * "goverment" -> "government" is small; "Nobody" -> "Everybody",
   * "in" -> "on", "3%" -> "5%" and an added "not" are not.
   */
  function changedWords(expected, found) {
    var a = expected.trim().split(' ');
    var b = found.trim().split(' ');
    if (a.length !== b.length) return -1;
    var changed = 0;
    for (var i = 0; i < a.length; i++) {
      if (a[i] === b[i]) continue;
      changed++;
      if (a[i].replace(/\D/g, '') !== b[i].replace(/\D/g, '')) return -1;
      if (isNegation(a[i]) !== isNegation(b[i])) return -1;
      var x = core(a[i]);
      var y = core(b[i]);
      if (x === y) continue;  // case or punctuation only
      if (Math.max(x.length, y.length) <= 3) {
        if (!(x.length === y.length && sameLetters(x, y) && editDistance(x, y, 1, true) === 1)) {
          return -1;
        }
        continue;
      }
      var allowed = Math.max(1, Math.floor(Math.max(x.length, y.length) / 3));
      if (editDistance(x, y, allowed, true) > allowed) return -1;
    }
    return changed;
  }

  // -- anchoring -------------------------------------------------------------

  function atBoundaryBefore(page, at) {
    return at === 0 || (page.text[at - 1] === ' ' && page.breaks[at - 1] === 1);
  }

  function atBoundaryAfter(page, at) {
    return at === page.text.length || (page.text[at] === ' ' && page.breaks[at] === 1);
  }

  /**
   * How well one side's remembered context agrees with the page next to a
   * candidate, 0..1. A paragraph break remembered at the quote's edge (or no
   * context at all: the quote began or ended the article) agrees at least
   * BREAK_AGREEMENT when the candidate stands at a paragraph edge too.
   */
  function sideAgreement(context, contextBreak, window, boundary) {
    var agreement = context.length ? similarity(context, window) : 0;
    if ((contextBreak || !context.length) && boundary) {
      agreement = Math.max(agreement, BREAK_AGREEMENT);
    }
    return agreement;
  }

  function evaluate(page, c, sel) {
    var text = page.text;
    c.prefixAgreement = sideAgreement(sel.prefix, sel.prefixBreak,
      text.slice(Math.max(0, c.start - sel.prefix.length), c.start), atBoundaryBefore(page, c.start));
    c.suffixAgreement = sideAgreement(sel.suffix, sel.suffixBreak,
      text.slice(c.end, c.end + sel.suffix.length), atBoundaryAfter(page, c.end));
    var position = sel.hint === null ? 0.5 :
      Math.max(0, 1 - Math.abs(c.start / Math.max(text.length, 1) - sel.hint) * 2);
    c.score = WEIGHTS.quote * Math.max(0, 1 - c.errors / sel.quote.length) +
      WEIGHTS.prefix * c.prefixAgreement + WEIGHTS.suffix * c.suffixAgreement +
      WEIGHTS.position * position;
    return c;
  }

  /** The selector normalised like the page; null for an empty quote. */
  function prepareSelector(page, selector) {
    var quote = normalize(selector.exact || '', page.astral).text;
    if (!quote.trim()) return null;
    var prefix = selector.prefix || '';
    var suffix = selector.suffix || '';
    var hint = null;
    if (selector.position && selector.textLength) {
      hint = Math.min(1, Math.max(0, selector.position.start / selector.textLength));
    }
    return {
      quote: quote,
      prefix: normalize(prefix, page.astral).text,
      suffix: normalize(suffix, page.astral).text,
      prefixBreak: /[\n\r\u2028\u2029][\t\n\v\f\r \u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff]*$/.test(prefix),
      suffixBreak: /^[\t\n\v\f\r \u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff]*[\n\r\u2028\u2029]/.test(suffix),
      hint: hint,
    };
  }

  function wordAtEnd(text) {
    var at = text.length;
    while (at > 0 && isWord(text[at - 1])) at--;
    return text.slice(at);
  }

  function wordAtStart(text) {
    var at = 0;
    while (at < text.length && isWord(text[at])) at++;
    return text.slice(0, at);
  }

  /** The one place the whole remembered context occurs, for a too frequent quote. */
  function byWholeContext(page, sel) {
    if (!sel.prefix && !sel.suffix) return null;
    var context = sel.prefix + sel.quote + sel.suffix;
    var at = page.text.indexOf(context);
    if (at === -1 || page.text.indexOf(context, at + 1) !== -1) return null;
    at += sel.prefix.length;
    return { start: at, end: at + sel.quote.length, errors: 0, score: 1 };
  }

  /**
   * The decision in normalised page text: {state, start, end, errors, score,
   * reason} with offsets in the normalised text (code points).
   */
  function decide(page, sel) {
    var quote = sel.quote;
    var exact = exactCandidates(page, quote);
    if (exact === null) {
      var whole = byWholeContext(page, sel);
      return whole ? { state: 'anchored', candidate: whole }
                   : { state: 'orphaned', reason: 'ambiguous' };
    }
    var candidates = exact.slice();
    // An exact occurrence whose remembered context agrees on both sides is
    // not beaten by a near match: the near-match search is skipped.
    var settled = exact.some(function (c) {
      evaluate(page, c, sel);
      return (sel.prefix ? c.prefixAgreement >= FULL_AGREEMENT : c.prefixAgreement > 0) &&
        (sel.suffix ? c.suffixAgreement >= FULL_AGREEMENT : c.suffixAgreement > 0);
    });
    if (!settled && quote.length >= MIN_FUZZY_LENGTH) {
      fuzzyCandidates(page, quote, maxErrorsFor(quote.length), exact).forEach(function (c) {
        c = alignToWords(page.text, c, quote, sel.prefix, sel.suffix);
        if (c.errors === 0 && page.text.slice(c.start, c.end) === quote) return;  // already exact
        c.changed = changedWords(quote, page.text.slice(c.start, c.end));
        if (c.changed > 0) candidates.push(c);
      });
    }
    // A word the quote cuts must still be the same word (class 3).
    var cutBefore = isWord(quote[0]) ? wordAtEnd(sel.prefix) : '';
    var cutAfter = isWord(quote[quote.length - 1]) ? wordAtStart(sel.suffix) : '';
    candidates = candidates.filter(function (c) {
      return page.text.slice(Math.max(0, c.start - cutBefore.length), c.start) === cutBefore &&
        page.text.slice(c.end, c.end + cutAfter.length) === cutAfter;
    });
    if (!candidates.length) return { state: 'orphaned', reason: 'quote not found' };
    candidates.forEach(function (c) { evaluate(page, c, sel); });
    candidates.sort(function (a, b) { return b.score - a.score || a.start - b.start; });
    var best = candidates[0];
    if (candidates.length > 1 && best.score - candidates[1].score < MARGIN) {
      return { state: 'orphaned', reason: 'ambiguous', score: best.score };
    }
    var p = best.prefixAgreement;
    var s = best.suffixAgreement;
    var strong = Math.max(p, s) >= STRONG_EVIDENCE || (p >= BOTH_SIDES && s >= BOTH_SIDES);
    var distinctive = candidates.length === 1 && best.errors === 0 &&
      quote.length >= DISTINCTIVE_LENGTH;
    var evidence = distinctive ? Math.max(p, s) >= WEAK_EVIDENCE : strong;
    if (evidence && best.errors > 0) {
      var words = quote.trim().split(' ').length;
      var full = Math.max(p, s) >= FULL_AGREEMENT || (p >= BOTH_SIDES_FULL && s >= BOTH_SIDES_FULL);
      var allowed = full ? Math.max(2, Math.ceil(words / 3)) : Math.max(1, Math.floor(words / 5));
      if (best.changed > allowed) return { state: 'orphaned', reason: 'too many changes', score: best.score };
    }
    if (!evidence) return { state: 'orphaned', reason: 'no context', score: best.score };
    if (best.score < MIN_SCORE) return { state: 'orphaned', reason: 'too different', score: best.score };
    return { state: best.errors === 0 ? 'anchored' : 'anchored-with-changes', candidate: best };
  }

  /**
   * Anchor one selector in a prepared page (see `prepare`).
   * selector: {exact, prefix, suffix, position?: {start}, textLength?}.
   */
  function anchorPrepared(page, selector) {
    var sel = prepareSelector(page, selector);
    if (!sel) return { state: 'orphaned', reason: 'empty quote' };
    var decision = decide(page, sel);
    if (decision.state === 'orphaned') return decision;
    var best = decision.candidate;
    var start = originalIndex(page, best.start);
    var last = originalIndex(page, best.end - 1);
    var end = last + (page.original.charCodeAt(last) >= 0xd800 &&
                      page.original.charCodeAt(last) <= 0xdbff ? 2 : 1);
    return {
      state: decision.state,
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
    var astral = astralMapper(text);
    var normalized = normalize(text, astral, true);
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
    return { original: text, text: normalized.text, map: normalized.map, runs: normalized.runs,
             breaks: normalized.breaks, astral: astral, codePoints: codePoints };
  }

  /** Anchor one selector in `text`: {state, start, end (UTF-16), startCodePoint, ...}. */
  function anchor(text, selector) {
    return anchorPrepared(prepare(text), selector);
  }

  /** Anchor many selectors against the same text. */
  function anchorAll(text, selectors) {
    var page = prepare(text);
    return selectors.map(function (selector) { return anchorPrepared(page, selector); });
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
    var hiddenCache = new Map();
    // An element whose text is left out, with everything inside it.
    function leftOut(element) {
      return SKIPPED[element.tagName.toUpperCase()] || (ignore && ignore(element)) ||
        isHidden(element, hiddenCache);
    }
    var parts = [];
    var nodes = [];
    var length = 0;
    var lastBlock = null;
    // Document order, by hand (a TreeWalker calls a filter on every node and
    // every text node looked at all its ancestors): a left-out element's
    // subtree is skipped as a whole.
    var node = leftOut(rootElement) ? null : rootElement.firstChild;
    while (node) {
      if (node.nodeType === 3) {
        var block = blockOf(node);
        if (lastBlock !== null && block !== lastBlock) {
          parts.push('\n');
          length += 1;
        }
        lastBlock = block;
        nodes.push({ node: node, start: length, end: length + node.data.length });
        parts.push(node.data);
        length += node.data.length;
      } else if (node.nodeType === 1) {
        // Of the elements only <br> is kept: "last<br>year" reads "last year".
        if (node.tagName.toUpperCase() === 'BR') {
          if (length) { parts.push('\n'); length += 1; }
        } else if (node.firstChild && !leftOut(node)) {
          node = node.firstChild;
          continue;
        }
      }
      while (node !== rootElement && !node.nextSibling) node = node.parentNode;
      node = node === rootElement ? null : node.nextSibling;
    }
    return { text: parts.join(''), nodes: nodes };
  }

  /**
   * Wrap text[start, end) of a `textOf` result in elements made by
   * `makeWrapper()`, one per text node crossed. Returns the wrappers.
   */
  function wrapRange(textInfo, start, end, makeWrapper) {
    var wrappers = [];
    var entries = textInfo.nodes;
    // The entries are in text order and do not overlap: the first one that
    // ends after `start` is found by bisection, and only those up to `end`
    // are looked at and replaced.
    var lo = 0;
    var hi = entries.length;
    while (lo < hi) {
      var mid = (lo + hi) >> 1;
      if (entries[mid].end <= start) lo = mid + 1; else hi = mid;
    }
    var first = lo;
    var replaced = [];
    for (var i = first; i < entries.length && entries[i].start < end; i++) {
      var entry = entries[i];
      if (entry.end <= start) { replaced.push(entry); continue; }
      var from = Math.max(start, entry.start) - entry.start;
      var to = Math.min(end, entry.end) - entry.start;
      if (!entry.node.data.slice(from, to).trim()) { replaced.push(entry); continue; }
      // Split the text node into before / target / after; keep every piece
      // in the index so later wraps on the same page still line up.
      var target = entry.node;
      if (from > 0) {
        replaced.push({ node: target, start: entry.start, end: entry.start + from });
        target = target.splitText(from);
      }
      var after = to < entry.end - entry.start ? target.splitText(to - from) : null;
      var wrapper = makeWrapper();
      target.parentNode.insertBefore(wrapper, target);
      wrapper.appendChild(target);
      wrappers.push(wrapper);
      replaced.push({ node: target, start: entry.start + from, end: entry.start + to });
      if (after) replaced.push({ node: after, start: entry.start + to, end: entry.end });
    }
    if (wrappers.length) {
      textInfo.nodes = entries.slice(0, first).concat(replaced, entries.slice(i));
    }
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
    prepare: prepare,
    anchorPrepared: anchorPrepared,
    textOf: textOf,
    wrapRange: wrapRange,
    MIN_SCORE: MIN_SCORE,
    MARGIN: MARGIN,
  };
})(globalThis);
