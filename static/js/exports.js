// The exports page: a filter the table cannot be made with is explained in
// the page, next to the form, instead of the browser showing the API's JSON
// error. The date range is checked here; every other filter by asking the
// API how many claims match (cheap) before the download starts.

const form = document.getElementById('export-form');
const since = document.getElementById('export-since');
const until = document.getElementById('export-until');
const errorBox = document.getElementById('export-error');
const countUrl = form.dataset.countUrl;
let confirmed = null; // the button whose download was checked, about to go

function labelOf(field) {
  const input = form.elements[field];
  const label = input && input.labels && input.labels[0];
  const text = label ? label.textContent.trim() : field;
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function clearError() {
  errorBox.hidden = true;
  errorBox.textContent = '';
  form.querySelectorAll('[aria-invalid]').forEach((el) => el.removeAttribute('aria-invalid'));
}

function showError(message, field) {
  errorBox.textContent = message;
  errorBox.hidden = false;
  const input = field && form.elements[field];
  if (input && input.focus) {
    input.setAttribute('aria-invalid', 'true');
    input.focus();
  }
}

function rangeError() {
  if (since.value && until.value && since.value > until.value) {
    return `The date range ends (${until.value}) before it starts (${since.value}):`
      + ' pick an end on or after the start.';
  }
  return null;
}

function query() {
  const params = new URLSearchParams();
  new FormData(form).forEach((value, key) => { if (value !== '') params.append(key, value); });
  return params;
}

async function check() {
  const range = rangeError();
  if (range) return { message: range, field: 'until' };
  let response;
  try {
    response = await fetch(`${countUrl}?${query()}`, { headers: { Accept: 'application/json' } });
  } catch (error) {
    return { message: 'The service could not be reached; try again.' };
  }
  if (response.ok) return null;
  let detail = {};
  try { detail = (await response.json()).error || {}; } catch (error) { /* not JSON */ }
  const field = detail.field && form.elements[detail.field] ? detail.field : null;
  const message = detail.message || `The export was refused (${response.status}).`;
  return { message: field ? `${labelOf(field)}: ${message}` : message, field };
}

form.addEventListener('submit', async (event) => {
  const button = event.submitter;
  if (confirmed && confirmed === button) {
    confirmed = null; // checked: the browser downloads it as usual
    return;
  }
  event.preventDefault();
  clearError();
  const problem = await check();
  if (problem) {
    showError(problem.message, problem.field);
    return;
  }
  confirmed = button;
  form.requestSubmit(button);
});

[since, until].forEach((input) => input.addEventListener('input', () => {
  if (!rangeError() && !errorBox.hidden && until.getAttribute('aria-invalid')) clearError();
}));
form.addEventListener('change', () => {
  if (!errorBox.hidden && !rangeError() && !until.getAttribute('aria-invalid')) clearError();
});
