/*
 * Anchoring helpers shared by the annotator UI and the browser extension.
 *
 * The store counts offsets in Unicode code points (the W3C rule);
 * JavaScript strings count UTF-16 code units, so an emoji outside the Basic
 * Multilingual Plane is one code point but two units. Every offset that
 * crosses between the two goes through these functions.
 */
(function (root) {
  'use strict';

  /** UTF-16 offset in `text` -> code point offset. */
  function utf16ToCodePoints(text, utf16Offset) {
    // String iteration walks code points; a surrogate pair cut in half by
    // the offset counts as the one code point it starts.
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

  /** Length of `text` in code points. */
  function codePointLength(text) {
    return utf16ToCodePoints(text, text.length);
  }

  root.FactAnchoring = Object.assign(root.FactAnchoring || {}, {
    utf16ToCodePoints: utf16ToCodePoints,
    codePointsToUtf16: codePointsToUtf16,
    codePointLength: codePointLength,
  });
})(typeof self !== 'undefined' ? self : this);
