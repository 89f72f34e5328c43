/*
 * The URLs a page goes by: its own, its <link rel="canonical"> and its
 * og:url (a syndicated copy or a page with tracking in its path names the
 * published article there). Shared by the readers' content script (whose
 * worker only hashes them) and the fact-checker's (whose worker sends them
 * to the checker's service). Exposes `FactPageUrls`.
 */
(function (root) {
  'use strict';

  var MAX_URL_LENGTH = 2048;  // what the service accepts (annotations.urls)

  /** `value` resolved against the page, if it is an http(s) URL of sane length. */
  function httpUrl(value) {
    if (!value || value.length > MAX_URL_LENGTH) return null;
    try {
      var url = new URL(value, document.baseURI);
      return (url.protocol === 'http:' || url.protocol === 'https:') && url.href.length <= MAX_URL_LENGTH
        ? url.href : null;
    } catch (error) {
      return null;
    }
  }

  function pageUrls() {
    var canonical = document.querySelector('link[rel~="canonical" i][href]');
    var og = document.querySelector('meta[property="og:url" i][content]');
    return {
      url: location.href,
      canonical: canonical ? httpUrl(canonical.getAttribute('href')) : null,
      ogUrl: og ? httpUrl(og.getAttribute('content')) : null,
    };
  }

  root.FactPageUrls = { pageUrls: pageUrls, MAX_URL_LENGTH: MAX_URL_LENGTH };
})(globalThis);
