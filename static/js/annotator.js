/*
 * The article page for fact-checkers and editors: select text to record a
 * claim, click a highlight to edit, publish or delete it, keyboard
 * shortcuts, history, and stale-edit handling (412) that never loses typing.
 *
 * Highlights and the claim list are drawn by the server's templates; after
 * every change this script fetches the page's fragment and swaps it in.
 * User strings are only ever set with textContent or form values here.
 */
(function () {
  'use strict';

  var root = document.getElementById('annotator');
  if (!root) return;

  var csrfToken = document.querySelector('meta[name="csrf-token"]').content;
  var role = document.body.dataset.role;
  var RANK = { anonymous: -1, reader: 0, factchecker: 1, editor: 2, admin: 3 };
  var canEdit = RANK[role] >= RANK.factchecker;
  var canPublish = RANK[role] >= RANK.editor;
  var anchoring = window.FactAnchoring;

  var panel = document.getElementById('claim-panel');
  var form = document.getElementById('claim-form');
  var citationRows = document.getElementById('citation-rows');
  var citationTemplate = document.getElementById('citation-template');

  // What the panel is showing: a new span, or an existing claim with the
  // ETag it was loaded at.
  var state = { mode: null, span: null, claim: null, etag: null };

  // -- API ---------------------------------------------------------------

  function api(method, url, body, extraHeaders) {
    var headers = { Accept: 'application/json', 'X-CSRFToken': csrfToken };
    Object.assign(headers, extraHeaders || {});
    var options = { method: method, headers: headers, credentials: 'same-origin' };
    if (body !== undefined) {
      options.body = JSON.stringify(body);
      headers['Content-Type'] = 'application/json';
    }
    return fetch(url, options).then(function (response) {
      var result = { status: response.status, ok: response.ok, etag: response.headers.get('ETag'), data: null };
      if (response.status === 204) return result;
      return response.json().then(function (data) {
        result.data = data;
        return result;
      }, function () { return result; });
    });
  }

  function errorText(result) {
    var error = result.data && result.data.error;
    if (!error) return 'The server answered ' + result.status + '.';
    return (error.field ? error.field + ': ' : '') + error.message;
  }

  // -- refreshing the server-rendered parts --------------------------------

  function refresh() {
    return fetch(root.dataset.fragmentUrl, { credentials: 'same-origin' })
      .then(function (response) { return response.text(); })
      .then(function (html) {
        var doc = new DOMParser().parseFromString(html, 'text/html');
        document.getElementById('article-body').replaceChildren.apply(
          document.getElementById('article-body'),
          Array.from(doc.getElementById('fragment-body').childNodes));
        document.getElementById('claim-list').replaceChildren.apply(
          document.getElementById('claim-list'),
          Array.from(doc.getElementById('fragment-claims').childNodes));
        applyFilters();
      });
  }

  // -- sidebar filters -----------------------------------------------------

  var filterVerdict = document.getElementById('filter-verdict');
  var filterStatus = document.getElementById('filter-status');

  function applyFilters() {
    var verdict = filterVerdict.value;
    var status = filterStatus.value;
    document.querySelectorAll('#claim-list .claim-card').forEach(function (card) {
      var show = (!verdict || card.dataset.verdict === verdict) &&
                 (!status || card.dataset.status === status);
      card.hidden = !show;
    });
  }
  filterVerdict.addEventListener('change', applyFilters);
  filterStatus.addEventListener('change', applyFilters);

  if (!canEdit) return;

  // -- selection -> passage span in code points -----------------------------

  function passageOf(node) {
    var element = node.nodeType === Node.ELEMENT_NODE ? node : node.parentElement;
    return element && element.closest('#passages .passage');
  }

  /** The selected span as {passageId, start, end, exact}, offsets in code points. */
  function selectedSpan() {
    var selection = window.getSelection();
    if (!selection.rangeCount || selection.isCollapsed) return null;
    var range = selection.getRangeAt(0);
    var passage = passageOf(range.startContainer);
    if (!passage || passage !== passageOf(range.endContainer)) {
      return { error: 'Select text inside a single passage.' };
    }
    var before = document.createRange();
    before.selectNodeContents(passage);
    before.setEnd(range.startContainer, range.startOffset);
    var text = passage.textContent;
    var startUnits = before.toString().length;
    var endUnits = startUnits + range.toString().length;
    // Leave out spaces picked up at either edge of the selection.
    while (startUnits < endUnits && /\s/.test(text[startUnits])) startUnits++;
    while (endUnits > startUnits && /\s/.test(text[endUnits - 1])) endUnits--;
    if (startUnits === endUnits) return null;
    return {
      passageId: Number(passage.dataset.passageId),
      start: anchoring.utf16ToCodePoints(text, startUnits),
      end: anchoring.utf16ToCodePoints(text, endUnits),
      exact: text.slice(startUnits, endUnits),
    };
  }

  // -- the panel's form -----------------------------------------------------

  function addCitationRow(citation) {
    var row = citationTemplate.content.firstElementChild.cloneNode(true);
    var n = citationRows.children.length + 1;
    row.querySelector('legend').textContent = 'Source ' + n;
    row.querySelectorAll('input, textarea, select').forEach(function (input) {
      input.id = 'citation-' + n + '-' + input.name;
      if (citation && citation[input.name] != null) input.value = citation[input.name];
    });
    if (citation && citation.id) row.dataset.citationId = citation.id;
    row.querySelector('.remove-citation').addEventListener('click', function () {
      row.remove();
    });
    citationRows.appendChild(row);
    return row;
  }

  function readCitations() {
    return Array.from(citationRows.children).map(function (row) {
      var citation = { id: row.dataset.citationId ? Number(row.dataset.citationId) : null };
      row.querySelectorAll('input, textarea, select').forEach(function (input) {
        citation[input.name] = input.value.trim();
      });
      return citation;
    });
  }

  function readForm() {
    var checked = form.querySelector('input[name="verdict"]:checked');
    return {
      verdict: checked ? checked.value : null,
      label: form.elements.label.value.trim(),
      rationale: form.elements.rationale.value.trim(),
      citations: readCitations(),
    };
  }

  function fillForm(values) {
    form.querySelectorAll('input[name="verdict"]').forEach(function (radio) {
      radio.checked = radio.value === values.verdict;
    });
    form.elements.label.value = values.label || '';
    form.elements.rationale.value = values.rationale || '';
    citationRows.replaceChildren();
    (values.citations || []).forEach(addCitationRow);
  }

  function setVerdict(verdict) {
    var radio = form.querySelector('input[name="verdict"][value="' + verdict + '"]');
    if (radio) radio.checked = true;
  }

  function say(message) { document.getElementById('panel-status').textContent = message || ''; }
  function fail(message) { document.getElementById('panel-error').textContent = message || ''; }

  function showButtons() {
    var existing = state.mode === 'edit';
    var published = existing && state.claim.status === 'published';
    document.getElementById('publish-claim').hidden = !(existing && canPublish && !published);
    document.getElementById('unpublish-claim').hidden = !(existing && canPublish && published);
    document.getElementById('delete-claim').hidden = !(existing && canPublish);
    document.getElementById('confirm-delete').hidden = true;
    document.getElementById('show-history').hidden = !existing;
  }

  function openPanel() {
    fail('');
    say('');
    document.getElementById('conflict').hidden = true;
    document.getElementById('history').hidden = true;
    showButtons();
    if (!panel.open) panel.showModal();
  }

  function openNew(span) {
    state = { mode: 'new', span: span, claim: null, etag: null };
    document.getElementById('panel-title').textContent = 'New claim';
    document.getElementById('panel-meta').textContent = 'Draft: an editor publishes it.';
    document.getElementById('panel-quote').textContent = span.exact;
    fillForm({ verdict: null, citations: [] });
    openPanel();
    form.querySelector('input[name="verdict"]').focus();
  }

  function showClaim(claim, etag) {
    state = { mode: 'edit', span: null, claim: claim, etag: etag };
    document.getElementById('panel-title').textContent = 'Claim ' + claim.id;
    document.getElementById('panel-meta').textContent =
      claim.status + ' · version ' + claim.version +
      (claim.anchor_state === 'orphaned' ? ' · orphaned: its text is gone from the article' : '');
    document.getElementById('panel-quote').textContent = claim.exact;
    fillForm(claim);
    openPanel();
  }

  function openExisting(claimId) {
    return api('GET', '/api/v1/claims/' + claimId).then(function (result) {
      if (!result.ok) {
        // Gone meanwhile (deleted by someone else): say so, and redraw.
        var hint = document.getElementById('select-hint');
        if (hint) hint.textContent = errorText(result);
        return refresh();
      }
      showClaim(result.data, result.etag);
      // The checked radio, as Tab would reach it (a selector list would
      // match the first radio in document order instead).
      (form.querySelector('input[name="verdict"]:checked') ||
       form.querySelector('input[name="verdict"]')).focus();
    });
  }

  function closePanel() {
    if (panel.open) panel.close();
  }

  // -- saving ----------------------------------------------------------------

  function citationBody(citation) {
    var body = {};
    ['url', 'title', 'publisher', 'excerpt', 'archive_url', 'stance'].forEach(function (name) {
      if (citation[name]) body[name] = citation[name];
    });
    if (!citation.archive_url) body.archive_url = null;
    return body;
  }

  function sameCitation(a, b) {
    return ['url', 'title', 'publisher', 'excerpt', 'archive_url', 'stance'].every(function (name) {
      return (a[name] || '') === (b[name] || '');
    });
  }

  function createClaim(values) {
    var body = {
      passage_id: state.span.passageId, start: state.span.start, end: state.span.end,
      exact: state.span.exact, verdict: values.verdict, label: values.label,
      rationale: values.rationale,
      citations: values.citations.map(citationBody).map(function (c) {
        if (c.archive_url === null) delete c.archive_url;
        return c;
      }),
    };
    return api('POST', '/api/v1/claims', body).then(function (result) {
      if (!result.ok) { fail(errorText(result)); return; }
      showClaim(result.data, result.etag);
      say('Saved as draft.');
      return refresh();
    });
  }

  /**
   * Apply the form to an existing claim as a chain of requests, each sent
   * with the ETag the previous one returned. A 412 anywhere stops the chain
   * and shows what changed, with the form left as the user typed it.
   */
  function updateClaim(values) {
    var claim = state.claim;
    var steps = [];
    var changes = {};
    ['verdict', 'label', 'rationale'].forEach(function (name) {
      if ((values[name] || '') !== (claim[name] || '')) changes[name] = values[name];
    });
    if (Object.keys(changes).length) {
      steps.push(function () {
        return api('PATCH', '/api/v1/claims/' + claim.id, changes, { 'If-Match': state.etag });
      });
    }
    var kept = {};
    values.citations.forEach(function (citation) {
      if (citation.id) {
        kept[citation.id] = true;
        var before = claim.citations.find(function (c) { return c.id === citation.id; });
        if (before && !sameCitation(before, citation)) {
          steps.push(function () {
            return api('PATCH', '/api/v1/citations/' + citation.id, citationBody(citation),
                       { 'If-Match': state.etag });
          });
        }
      } else {
        steps.push(function () {
          var body = citationBody(citation);
          if (body.archive_url === null) delete body.archive_url;
          return api('POST', '/api/v1/claims/' + claim.id + '/citations', body,
                     { 'If-Match': state.etag });
        });
      }
    });
    claim.citations.forEach(function (citation) {
      if (!kept[citation.id]) {
        steps.push(function () {
          return api('DELETE', '/api/v1/citations/' + citation.id, undefined,
                     { 'If-Match': state.etag });
        });
      }
    });
    if (!steps.length) { say('Nothing to save.'); return Promise.resolve(); }

    var chain = Promise.resolve(true);
    steps.forEach(function (step) {
      chain = chain.then(function (go) {
        if (!go) return false;
        return step().then(function (result) {
          if (result.status === 412) { showConflict(result.data.current, result.etag, values); return false; }
          if (!result.ok) { fail(errorText(result)); return false; }
          if (result.etag) state.etag = result.etag;
          return true;
        });
      });
    });
    return chain.then(function (done) {
      // Reload the claim as saved; keep the form as typed if a step failed.
      return api('GET', '/api/v1/claims/' + claim.id).then(function (result) {
        if (!result.ok) return;
        if (done) {
          showClaim(result.data, result.etag);
          say('Saved.');
        } else if (!document.getElementById('conflict').hidden) {
          // Conflict shown: leave the user's values in the form.
        } else {
          state.claim = result.data;
          state.etag = result.etag;
        }
        return refresh();
      });
    });
  }

  function save() {
    fail('');
    var values = readForm();
    if (!values.verdict) { fail('verdict: choose verified, denied or unverified'); return; }
    var missingUrl = values.citations.findIndex(function (c) { return !c.url; });
    if (missingUrl >= 0) { fail('Source ' + (missingUrl + 1) + ': a URL is required'); return; }
    var button = document.getElementById('save-claim');
    button.disabled = true;
    var work = state.mode === 'new' ? createClaim(values) : updateClaim(values);
    work.catch(function () { fail('Could not reach the server; nothing was lost, try again.'); })
      .finally(function () { button.disabled = false; });
  }

  // -- 412: show what changed, reload or re-apply -----------------------------

  function showConflict(current, currentEtag, mine) {
    var rows = document.getElementById('conflict-rows');
    rows.replaceChildren();
    function row(name, theirs, yours) {
      var tr = document.createElement('tr');
      [name, theirs, yours].forEach(function (value, i) {
        var cell = document.createElement(i === 0 ? 'th' : 'td');
        if (i === 0) cell.scope = 'row';
        cell.textContent = value;
        tr.appendChild(cell);
      });
      if (theirs !== yours) tr.className = 'changed';
      rows.appendChild(tr);
    }
    row('verdict', current.verdict, mine.verdict || '');
    row('label', current.label, mine.label);
    row('rationale', current.rationale, mine.rationale);
    row('sources', current.citations.map(function (c) { return c.url; }).join('\n'),
        mine.citations.map(function (c) { return c.url; }).join('\n'));
    row('status', current.status, state.claim.status);
    document.getElementById('conflict').hidden = false;
    state.pending = { current: current, etag: currentEtag };
    document.getElementById('conflict-reapply').focus();
  }

  document.getElementById('conflict-reload').addEventListener('click', function () {
    showClaim(state.pending.current, state.pending.etag);
    say('Loaded the saved version.');
  });

  document.getElementById('conflict-reapply').addEventListener('click', function () {
    // Keep what the user typed and apply it to the claim as it is now. Only
    // what they changed since loading (state.claim) is theirs to re-apply:
    // fields and sources they left alone take the other person's edits
    // rather than reverting them.
    var mine = readForm();
    var base = state.claim;
    var current = state.pending.current;
    function byId(list, id) { return list.find(function (c) { return c.id === id; }); }
    ['verdict', 'label', 'rationale'].forEach(function (name) {
      if ((mine[name] || '') === (base[name] || '')) mine[name] = current[name];
    });
    mine.citations = mine.citations.filter(function (citation) {
      if (!citation.id) return true;
      var loaded = byId(base.citations, citation.id);
      var now = byId(current.citations, citation.id);
      var untouched = loaded && sameCitation(loaded, citation);
      if (!now) {
        if (untouched) return false;  // removed meanwhile, not edited here
        citation.id = null;  // removed meanwhile but edited here: add it again
      } else if (untouched) {
        Object.assign(citation, now);
      }
      return true;
    });
    current.citations.forEach(function (citation) {
      if (!byId(base.citations, citation.id)) mine.citations.push(Object.assign({}, citation));
    });
    state.claim = current;
    state.etag = state.pending.etag;
    document.getElementById('conflict').hidden = true;
    fillForm(mine);
    updateClaim(mine);
  });

  // -- publish, delete, history ---------------------------------------------

  function setStatus(action) {
    return api('POST', '/api/v1/claims/' + state.claim.id + '/' + action, undefined,
               { 'If-Match': state.etag }).then(function (result) {
      if (result.status === 412) { showConflict(result.data.current, result.etag, readForm()); return; }
      if (!result.ok) { fail(errorText(result)); return; }
      showClaim(result.data, result.etag);
      say(action === 'publish' ? 'Published.' : 'Back to draft.');
      return refresh();
    });
  }

  document.getElementById('publish-claim').addEventListener('click', function () { setStatus('publish'); });
  document.getElementById('unpublish-claim').addEventListener('click', function () { setStatus('unpublish'); });

  document.getElementById('delete-claim').addEventListener('click', function () {
    // A second, explicit button rather than a browser confirm() dialog.
    document.getElementById('confirm-delete').hidden = false;
    document.getElementById('confirm-delete').focus();
  });

  document.getElementById('confirm-delete').addEventListener('click', function () {
    api('DELETE', '/api/v1/claims/' + state.claim.id, undefined, { 'If-Match': state.etag })
      .then(function (result) {
        if (result.status === 412) { showConflict(result.data.current, result.etag, readForm()); return; }
        if (!result.ok) { fail(errorText(result)); return; }
        closePanel();
        return refresh();
      });
  });

  var HISTORY_FIELDS = ['verdict', 'label', 'rationale', 'status', 'anchor_state'];

  function describeChange(entry) {
    var before = entry.before || {};
    var after = entry.after || {};
    var parts = [];
    HISTORY_FIELDS.forEach(function (name) {
      if (entry.before && entry.after && before[name] !== after[name]) {
        parts.push(name + ': ' + (before[name] || '—') + ' → ' + (after[name] || '—'));
      }
    });
    var count = function (c) { return (c && c.citations) ? c.citations.length : 0; };
    if (entry.before && entry.after && count(before) !== count(after)) {
      parts.push('sources: ' + count(before) + ' → ' + count(after));
    } else if (entry.before && entry.after && JSON.stringify(before.citations) !== JSON.stringify(after.citations)) {
      parts.push('sources edited');
    }
    return parts.join('; ');
  }

  document.getElementById('show-history').addEventListener('click', function () {
    api('GET', '/api/v1/claims/' + state.claim.id + '/history').then(function (result) {
      if (!result.ok) { fail(errorText(result)); return; }
      var list = document.getElementById('history-entries');
      list.replaceChildren();
      result.data.entries.forEach(function (entry) {
        var item = document.createElement('li');
        var time = document.createElement('time');
        time.dateTime = entry.at;
        time.textContent = entry.at.slice(0, 19).replace('T', ' ') + ' UTC';
        var who = document.createElement('strong');
        who.textContent = ' ' + entry.actor + ' ';
        var what = document.createElement('span');
        what.textContent = entry.action;
        item.append(time, who, what);
        var detail = describeChange(entry);
        if (detail) {
          var small = document.createElement('div');
          small.className = 'history-detail';
          small.textContent = detail;
          item.appendChild(small);
        }
        list.appendChild(item);
      });
      var section = document.getElementById('history');
      section.hidden = false;
      section.scrollIntoView({ block: 'nearest' });
    });
  });

  // -- wiring ---------------------------------------------------------------

  form.addEventListener('submit', function (event) {
    event.preventDefault();
    save();
  });
  document.getElementById('panel-close').addEventListener('click', closePanel);
  document.getElementById('add-citation').addEventListener('click', function () {
    addCitationRow(null).querySelector('input').focus();
  });

  function openFromSelection() {
    var span = selectedSpan();
    if (!span) return false;
    if (span.error) { document.getElementById('select-hint').textContent = span.error; return false; }
    openNew(span);
    return true;
  }

  // Selecting with the mouse opens the panel when the button is released.
  document.getElementById('article-body').addEventListener('mouseup', function (event) {
    if (event.target.closest('a.claim') && window.getSelection().isCollapsed) return;
    window.setTimeout(openFromSelection, 0);
  });

  // Clicks on highlights and "Open claim" buttons, including after refresh.
  document.addEventListener('click', function (event) {
    var target = event.target.closest('a.claim[data-claim-id], button.open-claim');
    if (!target || panel.contains(target)) return;
    if (target.matches('a.claim') && !window.getSelection().isCollapsed) return;
    event.preventDefault();
    openExisting(target.dataset.claimId);
  });

  function typingIn(element) {
    return element && (element.matches('textarea, select, [contenteditable]') ||
      (element.matches('input') && !/^(radio|checkbox|button|submit)$/.test(element.type)));
  }

  function moveToClaim(step) {
    var highlights = Array.from(document.querySelectorAll('#passages a.claim'));
    if (!highlights.length) return;
    var index = highlights.indexOf(document.activeElement);
    var next = highlights[(index + step + highlights.length) % highlights.length];
    if (index === -1 && step < 0) next = highlights[highlights.length - 1];
    next.focus();
    next.scrollIntoView({ block: 'center' });
  }

  document.addEventListener('keydown', function (event) {
    if (event.defaultPrevented || event.altKey || event.metaKey) return;
    if (panel.open) {
      if (event.ctrlKey && (event.key === 'Enter' || event.key === 's')) {
        event.preventDefault();
        save();
        return;
      }
      if (event.ctrlKey || typingIn(event.target)) return;
      var verdicts = { v: 'verified', d: 'denied', u: 'unverified' };
      if (verdicts[event.key]) {
        event.preventDefault();
        setVerdict(verdicts[event.key]);
      }
      return;
    }
    if (event.ctrlKey || typingIn(event.target)) return;
    if (event.key === 'n' || event.key === 'j') { event.preventDefault(); moveToClaim(1); }
    else if (event.key === 'p' || event.key === 'k') { event.preventDefault(); moveToClaim(-1); }
    else if (event.key === 'c') { if (openFromSelection()) event.preventDefault(); }
  });
})();
