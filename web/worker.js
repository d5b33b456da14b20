'use strict';
const name = new URLSearchParams(location.search).get('name') || '';
let range = '1h';
let chart = null;

async function refresh() {
  const path = '/api/v1/workers/' + encodeURIComponent(name);
  const r = await fetch(path, {cache: 'no-store'});
  if (r.status === 404) {
    P2.set('worker-status', 'unknown worker');
    return;
  }
  if (!r.ok) throw new Error(path + ': HTTP ' + r.status);
  const w = await r.json();
  P2.set('worker-status', w.online ? 'online' : 'offline');
  document.getElementById('worker-status').className = 'badge ' + (w.online ? 'online' : 'offline');
  const alert = document.getElementById('worker-alert');
  alert.hidden = !w.alert;
  alert.textContent = w.alert || '';
  P2.set('worker-address', w.address || '–');
  P2.set('worker-agent', w.user_agent || 'unknown miner');
  P2.set('worker-connections', w.connections > 0 ? P2.num(w.connections) + (w.connections === 1 ? ' Stratum connection' : ' Stratum connections')
    : w.online ? 'no standing connection now (getwork rigs poll; a Stratum rig has disconnected)' : 'not connected');
  P2.set('worker-hashrate', P2.rate(w.hashrate));
  P2.set('worker-hashrate-24h', P2.rate(w.last_24h.hashrate));
  const submits = w.accepted + w.stale + w.rejected;
  P2.set('counter-accepted', P2.num(w.accepted));
  P2.set('pct-accepted', P2.pct(w.accepted, submits));
  P2.set('counter-stale', P2.num(w.stale));
  P2.set('pct-stale', P2.pct(w.stale, submits));
  P2.set('counter-doa', P2.num(w.doa));
  P2.set('pct-doa', P2.pct(w.doa, w.accepted));
  P2.set('counter-rejected', P2.num(w.rejected));
  P2.set('pct-rejected', P2.pct(w.rejected, submits));
  P2.set('counter-shares', P2.num(w.shares));
  document.getElementById('rejected-reasons').replaceChildren(
    ...Object.entries(w.rejected_by_reason).map(([k, v]) => P2.el('li', k.replace(/_/g, ' ') + ': ' + P2.num(v))));
  P2.set('worker-difficulty', P2.diff(w.difficulty));
  P2.set('worker-share-difficulty', w.share_difficulty ? P2.diff(w.share_difficulty) : '–');
  P2.set('worker-best', P2.diff(w.best_difficulty));
  P2.set('worker-last', P2.ago(w.last_share_ms));
  P2.set('worker-last-submit', P2.ago(w.last_submit_ms));
  const odds = w.payout_odds || {};
  P2.set('odds-share', P2.duration(odds.expected_time_to_share_s));
  P2.set('odds-block', P2.duration(w.pool_expected_time_to_block_s));
  P2.set('odds-prob', odds.probability_paid_by_next_block === undefined ? '–' : (100 * odds.probability_paid_by_next_block).toFixed(1) + ' %');
  P2.set('odds-window', P2.duration(odds.pplns_window_s));
  P2.set('odds-expected', odds.expected_shares_in_window === undefined ? '–' : odds.expected_shares_in_window.toFixed(2) + ' shares');
  if (w.address) {
    const payouts = await P2.get('/current_payouts');
    P2.set('worker-payout', payouts[w.address] === undefined ? '0.00000000' : payouts[w.address].toFixed(8));
    P2.set('worker-payout-address', w.address);
  }
  const c = w.sharechain_shares || {};
  P2.set('worker-chain', `${c.in_chain || 0} in the best chain, ${c.orphan || 0} orphaned, ${c.dead || 0} dead, ${c.pending || 0} pending`);
  const sessions = await P2.get(path + '/sessions');
  P2.rows('#sessions tbody', sessions, x => [x.ip + (x.tls ? ' (TLS)' : ''), x.user_agent || 'unknown', 'for ' + P2.ago(x.connected_ms).replace(' ago', ''),
    P2.diff(x.difficulty), P2.ago(x.last_submit_ms), P2.num(x.accepted), P2.num(x.rejected)], 'no live Stratum session');
  const rejects = await P2.get(path + '/rejects');
  P2.rows('#rejects tbody', rejects, x => [new Date(x.time_ms).toLocaleString(), x.message || x.reason, String(x.code), P2.diff(x.difficulty)],
    'no rejected submits');
  const h = await P2.get(path + '/history?range=' + range);
  chart = P2.chart(document.getElementById('chart'), h.points, chart);
}

P2.set('worker-name', name);
document.title = 'p2pool4j – ' + name;
for (const b of document.querySelectorAll('button[data-range]')) {
  b.addEventListener('click', () => {
    range = b.dataset.range;
    for (const o of document.querySelectorAll('button[data-range]')) {
      o.classList.toggle('active', o === b);
      o.setAttribute('aria-pressed', String(o === b));
    }
    refresh().catch(e => P2.set('error', e.message));
  });
}
P2.every(10000, refresh);
