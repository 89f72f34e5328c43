/*
 * The shared vocabulary: verdicts with the word, icon and colour people see,
 * source stances, roles in rank order, claim statuses. One classic script
 * (it sets `FactVocabulary`) for the extension's content script, popup and
 * service worker, and for the annotator, which is served it as
 * static/js/vocabulary.js, a link to this file.
 *
 * DATA is annotations.models.vocabulary_for_js() as JSON: the Python side is
 * the source. tests/test_vocabulary.py fails when the two differ, and
 * `.venv/bin/python tests/test_vocabulary.py --write` rewrites DATA.
 * The stylesheets repeat the colours (CSS cannot read this file).
 */
(function (root) {
  'use strict';

  const DATA = {
    "verdicts": ["verified", "denied", "unverified"],
    "verdictDisplay": {
      "verified": {"word": "Verified", "icon": "✔", "colour": "#1b7f3b"},
      "denied": {"word": "False", "icon": "✘", "colour": "#b3261e"},
      "unverified": {"word": "Unverified", "icon": "?", "colour": "#a86200"}
    },
    "stances": ["supports", "refutes", "context"],
    "roles": ["reader", "factchecker", "editor", "admin"],
    "statuses": ["draft", "in_review", "changes_requested", "published", "retracted"],
    "statusWords": {
      "draft": "draft",
      "in_review": "in review",
      "changes_requested": "changes requested",
      "published": "published",
      "retracted": "retracted"
    },
    "revisionWords": {
      "draft": "revision in draft",
      "in_review": "revision in review",
      "changes_requested": "revision: changes requested"
    },
    "transitions": {
      "submit": {"from": ["draft", "changes_requested"], "to": "in_review", "role": "factchecker", "text": null, "needsPublication": false, "label": "Submit for review"},
      "withdraw": {"from": ["in_review"], "to": "draft", "role": "factchecker", "text": null, "needsPublication": false, "label": "Withdraw from review"},
      "request_changes": {"from": ["in_review"], "to": "changes_requested", "role": "editor", "text": "note", "needsPublication": false, "label": "Request changes"},
      "approve": {"from": ["in_review"], "to": "published", "role": "editor", "text": null, "needsPublication": false, "label": "Approve and publish"},
      "retract": {"from": ["draft", "in_review", "changes_requested", "published"], "to": "retracted", "role": "editor", "text": "reason", "needsPublication": true, "label": "Retract"}
    }
  };

  function deepFreeze(value) {
    Object.values(value).forEach((inner) => {
      if (inner && typeof inner === 'object') deepFreeze(inner);
    });
    return Object.freeze(value);
  }

  // Own keys only, so that a verdict named like an Object method is unknown.
  const display = (verdict) =>
    (Object.prototype.hasOwnProperty.call(DATA.verdictDisplay, verdict) ? DATA.verdictDisplay[verdict] : {});

  root.FactVocabulary = deepFreeze(Object.assign({}, DATA, {
    /** True when `role` ranks at or above `minimum`; an unknown role (anonymous) never does. */
    roleAtLeast: (role, minimum) => {
      const rank = DATA.roles.indexOf(role);
      return rank >= 0 && rank >= DATA.roles.indexOf(minimum);
    },
    /** The word readers see: "False" for denied. */
    verdictWord: (verdict) => display(verdict).word,
    /** The non-colour cue: ✔ ✘ ? */
    verdictIcon: (verdict) => display(verdict).icon,
    verdictColour: (verdict) => display(verdict).colour,
    /**
     * The label to show beside the verdict's word, or '' when there is none
     * or it only repeats that word ("False" beside False: compared trimmed
     * and regardless of case), so a reader never sees "False · False".
     */
    labelBeside: (verdict, label) => {
      const text = (label || '').trim();
      const word = display(verdict).word || '';
      return text.toLowerCase() === word.toLowerCase() ? '' : text;
    },
  }));
})(globalThis);
