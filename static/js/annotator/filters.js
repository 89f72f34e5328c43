/*
 * The sidebar's verdict and status filters. They only hide cards already on
 * the page, so they are re-applied whenever the claim list is redrawn.
 */
const filterVerdict = document.getElementById('filter-verdict');
const filterStatus = document.getElementById('filter-status');

export function applyFilters() {
  const verdict = filterVerdict.value;
  const status = filterStatus.value;
  document.querySelectorAll('#claim-list .claim-card').forEach((card) => {
    const show = (!verdict || card.dataset.verdict === verdict) &&
                 (!status || card.dataset.status === status);
    card.hidden = !show;
  });
}

export function initFilters() {
  filterVerdict.addEventListener('change', applyFilters);
  filterStatus.addEventListener('change', applyFilters);
}
