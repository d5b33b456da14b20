'use strict';
P2.every(15000, async () => {
  const sum = await P2.get('/api/v1/blocks/summary');
  document.getElementById('block-summary').textContent = `${sum.accepted} accepted by bitcoind, ${sum.rejected} rejected, `
    + `${sum.not_delivered} not delivered, ${sum.pending} being delivered; ${sum.not_submitted} further solutions on a parent `
    + 'that already had a block of ours were not sent (counted, not listed).';
  const found = await P2.get('/api/v1/blocks');
  P2.rows('#found-blocks tbody', found, b => ({
    className: b.verdict === 'accepted' ? 'accepted' : b.verdict === 'pending' ? '' : 'rejected',
    cells: [new Date(b.time_ms).toLocaleString(), String(b.height), P2.short(b.hash), b.finder, P2.btc(b.reward_sat), b.verdict],
  }), 'no blocks found by this node yet');
  const s = await P2.get('/api/v1/status');
  P2.rows('#recent-blocks tbody', s.recent_blocks, b => ({
    className: b.bitcoind === 'in_chain' ? '' : 'offline',
    cells: [new Date(b.ts * 1000).toLocaleString(), String(b.number), P2.short(b.hash), P2.short(b.share), P2.blockStatus(b.bitcoind)],
  }), 'no blocks within the sharechain');
});
