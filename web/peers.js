'use strict';
P2.every(10000, async () => {
  const peers = await P2.get('/api/v1/peers');
  P2.rows('#peers tbody', peers, p => [p.address + ':' + p.port, p.incoming ? 'in' : 'out', p.sub_version + ' (' + p.version + ')',
    P2.ago(p.connected_since_ms), P2.num(p.shares_received), P2.num(p.shares_sent), P2.num(p.bytes_received), P2.num(p.bytes_sent)], 'no peers connected');
  const bans = await P2.get('/api/v1/bans');
  P2.rows('#bans tbody', bans, b => [b.ip, String(b.score), new Date(b.until_s * 1000).toLocaleString(), b.reason], 'no bans');
});
