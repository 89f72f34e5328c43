/*
 * Rebuilds a rationale's HTML from an allow-list before it is shown. The
 * service already cleans it with bleach; the extension does not rely on
 * that, because it writes into other people's pages.
 */
(function (root) {
  'use strict';

  var ALLOWED = { P: 1, EM: 1, STRONG: 1, A: 1, UL: 1, OL: 1, LI: 1, BLOCKQUOTE: 1, CODE: 1, BR: 1 };

  function safeHref(href) {
    try {
      var url = new URL(href);
      return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : null;
    } catch (error) {
      return null;
    }
  }

  function copyInto(source, target, doc) {
    source.childNodes.forEach(function (node) {
      if (node.nodeType === 3) {
        target.appendChild(doc.createTextNode(node.data));
      } else if (node.nodeType === 1) {
        if (!ALLOWED[node.tagName]) {
          // Unknown elements keep their text; script-like ones lose everything.
          if (!/^(SCRIPT|STYLE|TEMPLATE|NOSCRIPT|IFRAME|OBJECT|SVG|MATH)$/i.test(node.tagName)) {
            copyInto(node, target, doc);
          }
          return;
        }
        var copy = doc.createElement(node.tagName.toLowerCase());
        if (node.tagName === 'A') {
          var href = safeHref(node.getAttribute('href') || '');
          if (href) {
            copy.href = href;
            copy.target = '_blank';
            copy.rel = 'noopener noreferrer nofollow';
          }
        }
        copyInto(node, copy, doc);
        target.appendChild(copy);
      }
    });
  }

  /** A DocumentFragment of `doc` holding only allowed markup from `html`. */
  function rationaleFragment(html, doc) {
    var parsed = new DOMParser().parseFromString('<body>' + (html || ''), 'text/html');
    var fragment = doc.createDocumentFragment();
    copyInto(parsed.body, fragment, doc);
    return fragment;
  }

  root.FactSanitize = { rationaleFragment: rationaleFragment, safeHref: safeHref };
})(globalThis);
