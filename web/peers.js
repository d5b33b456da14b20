'use strict';
P2.every(10000, async () => {
  const peers = await P2.get('/api/v1/peers');
  P2.rows('#peers tbody', peers, p => [p.address + ':' + p.port, p.incoming ? 'in' : 'out', p.sub_version + ' (' + p.version + ')',
    P2.ago(p.connected_since_ms), String(p.shares_received), String(p.shares_sent), String(p.bytes_received), String(p.bytes_sent)]);
  const bans = await P2.get('/api/v1/bans');
  P2.rows('#bans tbody', bans, b => [b.ip, String(b.score), new Date(b.until_s * 1000).toLocaleString(), b.reason]);
});
