'use strict';
let chart = null;

function recentBlocks(list) {
  P2.rows('#recent-blocks tbody', list, b => ({
    className: b.bitcoind === 'in_chain' ? '' : 'offline',
    cells: [new Date(b.ts * 1000).toLocaleString(), String(b.number), P2.short(b.hash), P2.short(b.share), P2.blockStatus(b.bitcoind)],
  }), 'no blocks within the sharechain');
}

P2.every(10000, async () => {
  const s = await P2.get('/api/v1/status');
  const b = s.bitcoind;
  P2.set('bitcoind-state', b.rpc_connected ? 'connected' + (b.p2p_connected ? ' (RPC + P2P)' : ' (RPC only)') : 'not connected');
  P2.set('bitcoind-height', b.height >= 0 ? b.height : '–');
  P2.set('chain-height', s.sharechain.height);
  P2.set('best-share', P2.short(s.sharechain.best_share));
  document.getElementById('tls-card').hidden = !s.worker_tls;
  if (s.worker_tls) {
    P2.set('tls-port', s.worker_tls.port);
    P2.set('tls-fingerprint', s.worker_tls.fingerprint_sha256);
  }
  P2.set('peers-in', s.peers.incoming);
  P2.set('peers-out', s.peers.outgoing);
  P2.set('pool-rate', P2.rate(s.pool.hashrate));
  P2.set('pool-stale', (100 * s.pool.stale_prop).toFixed(1) + ' %');
  P2.set('local-rate', P2.rate(s.local.hashrate));
  P2.set('workers-online', P2.num(s.local.workers_online) + (s.local.workers_online === 1 ? ' worker' : ' workers') + ' online');
  P2.set('time-share', P2.duration(s.local.expected_time_to_share_s));
  P2.set('time-block-pool', P2.duration(s.pool.expected_time_to_block_s));
  P2.set('time-block-local', P2.duration(s.local.expected_time_to_block_s));
  const odds = s.local.payout_odds || {};
  P2.set('odds-prob', odds.probability_paid_by_next_block === undefined ? '–' : (100 * odds.probability_paid_by_next_block).toFixed(1) + ' %');
  P2.set('odds-expected', odds.expected_shares_in_window === undefined ? '–' : odds.expected_shares_in_window.toFixed(2) + ' shares');
  P2.set('odds-window', P2.duration(odds.pplns_window_s));
  P2.set('block-value', s.pool.block_value_sat === undefined ? '–' : P2.btc(s.pool.block_value_sat));
  P2.set('share-diff', P2.diff(s.pool.min_difficulty));
  P2.set('shares-total', s.local_shares.total);
  P2.set('shares-orphan', s.local_shares.orphan);
  P2.set('shares-dead', s.local_shares.dead);
  document.getElementById('warnings').replaceChildren(...s.warnings.map(w => P2.el('li', w)));
  P2.rows('#payouts tbody', s.payouts, p => ({
    className: p.node ? 'mine' : '',
    cells: [p.donation ? p.address + ' (donation to the P2Pool author; unassigned coinbase too)' : p.node ? p.address + ' (this node)' : p.address,
      P2.btc(p.amount_sat), (100 * p.fraction).toFixed(2) + ' %'],
  }), 'no block template yet');
  recentBlocks(s.recent_blocks.slice(0, 10)); // all of them on the Blocks page
  const h = await P2.get('/api/v1/history?range=24h');
  chart = P2.chart(document.getElementById('chart'), h.points, chart);
});
