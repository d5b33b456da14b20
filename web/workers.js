'use strict';
let sortKey = 'worker';
let sortDir = 1;
let last = [];

function value(w, key) {
  if (key === 'h24') return w.last_24h.hashrate;
  if (key === 'online') return w.alert ? 'check' : w.online ? 'online' : 'offline';
  return w[key];
}

function render() {
  const sorted = [...last].sort((a, b) => {
    const x = value(a, sortKey), y = value(b, sortKey);
    return (x < y ? -1 : x > y ? 1 : 0) * sortDir;
  });
  P2.rows('#workers tbody', sorted, w => {
    const submits = w.accepted + w.stale + w.rejected;
    const status = w.alert ? P2.el('span', 'check rig', 'badge alerted') : w.online ? 'online' : 'offline';
    if (w.alert) status.title = w.alert;
    return {
      className: w.alert ? 'alerted' : w.online ? 'online' : 'offline',
      cells: [P2.link('worker.html?name=' + encodeURIComponent(w.worker), w.worker), status,
        P2.rate(w.hashrate), P2.rate(w.last_24h.hashrate), P2.num(w.accepted) + ' ' + P2.pct(w.accepted, submits),
        P2.num(w.stale) + ' ' + P2.pct(w.stale, submits), P2.num(w.doa), P2.num(w.rejected) + ' ' + P2.pct(w.rejected, submits),
        P2.num(w.shares), P2.diff(w.difficulty), P2.diff(w.best_difficulty), P2.ago(w.last_share_ms)],
    };
  }, 'no workers yet: point a rig at this node');
}

for (const th of document.querySelectorAll('#workers th')) {
  th.addEventListener('click', () => {
    const key = th.dataset.key;
    sortDir = key === sortKey ? -sortDir : (th.dataset.type === 'text' ? 1 : -1);
    sortKey = key;
    for (const o of document.querySelectorAll('#workers th')) o.removeAttribute('aria-sort');
    th.setAttribute('aria-sort', sortDir > 0 ? 'ascending' : 'descending');
    render();
  });
}

P2.every(10000, async () => {
  last = await P2.get('/api/v1/workers');
  render();
});
