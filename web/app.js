// Fills the workers table from the node's JSON API; refreshes every 5 s. No external scripts (CSP 'self').
async function refresh() {
  const r = await fetch('/api/v1/workers');
  if (!r.ok) return;
  const workers = await r.json();
  const body = document.querySelector('#workers tbody');
  body.replaceChildren(...workers.map(w => {
    const tr = document.createElement('tr');
    for (const v of [w.worker, (w.hashrate / 1e6).toFixed(2) + ' MH/s', w.accepted, w.stale, w.rejected, w.shares, w.blocks]) {
      const td = document.createElement('td');
      td.textContent = v;
      tr.appendChild(td);
    }
    return tr;
  }));
}
refresh();
setInterval(refresh, 5000);
