// Shared helpers of the p2pool4j pages. Everything comes from the node's own /api/v1 (CSP 'self').
'use strict';

const P2 = {
  async get(path) {
    const r = await fetch(path, {cache: 'no-store'});
    if (!r.ok) throw new Error(path + ': HTTP ' + r.status);
    return r.json();
  },

  // Hashes per second with an SI prefix.
  rate(h) {
    if (h === null || h === undefined || !isFinite(h)) return '–';
    const units = ['H/s', 'kH/s', 'MH/s', 'GH/s', 'TH/s', 'PH/s', 'EH/s', 'ZH/s'];
    let i = 0;
    while (Math.abs(h) >= 1000 && i < units.length - 1) { h /= 1000; i++; }
    return h.toFixed(h < 10 ? 2 : 1) + ' ' + units[i];
  },

  duration(s) {
    if (s === null || s === undefined || !isFinite(s)) return '–';
    if (s < 120) return s.toFixed(0) + ' s';
    if (s < 7200) return (s / 60).toFixed(0) + ' min';
    if (s < 172800) return (s / 3600).toFixed(1) + ' h';
    if (s < 3 * 365 * 86400) return (s / 86400).toFixed(1) + ' days';
    return (s / 86400 / 365).toFixed(0) + ' years';
  },

  ago(ms) {
    if (!ms) return 'never';
    return P2.duration((Date.now() - ms) / 1000) + ' ago';
  },

  btc(sat) { return (sat / 1e8).toFixed(8); },

  // What bitcoind says of a block a share claims to be.
  blockStatus(s) {
    return {in_chain: 'in bitcoind\'s chain', stale: 'stale (off bitcoind\'s chain)', unknown: 'unknown to bitcoind'}[s] || 'checking…';
  },

  // A count with thousands separators.
  num(n) { return n === null || n === undefined ? '–' : Number(n).toLocaleString('en-US'); },

  // part/whole as a percentage ("–" when there is no whole).
  pct(part, whole) { return whole > 0 ? '(' + (100 * part / whole).toFixed(part === whole || part === 0 ? 0 : 1) + ' %)' : ''; },

  diff(d) {
    if (!d) return '0';
    if (d >= 1e6 || d < 0.001) return d.toExponential(3);
    return d.toPrecision(4);
  },

  short(hash) { return hash ? hash.slice(0, 8) + '…' + hash.slice(-8) : '–'; },

  el(tag, text, cls) {
    const e = document.createElement(tag);
    if (text !== undefined && text !== null) e.textContent = text;
    if (cls) e.className = cls;
    return e;
  },

  link(href, text) {
    const a = P2.el('a', text);
    a.href = href;
    return a;
  },

  set(id, text) {
    const e = document.getElementById(id);
    if (e) e.textContent = text;
  },

  // Replaces a table body with one row per item; cells are strings or elements. No items: one row saying `empty`.
  rows(tbodySelector, items, cells, empty) {
    const body = document.querySelector(tbodySelector);
    if (items.length === 0 && empty) {
      const td = P2.el('td', empty, 'empty');
      td.colSpan = body.closest('table').querySelectorAll('thead th').length || 1;
      const tr = document.createElement('tr');
      tr.appendChild(td);
      body.replaceChildren(tr);
      return;
    }
    body.replaceChildren(...items.map(it => {
      const tr = document.createElement('tr');
      const out = cells(it);
      if (out.className) { tr.className = out.className; }
      for (const c of out.cells || out) {
        const td = document.createElement('td');
        if (c instanceof Node) td.appendChild(c); else td.textContent = c;
        tr.appendChild(td);
      }
      return tr;
    }));
  },

  // Calls fn now and every `ms`, showing failures in #error instead of throwing.
  every(ms, fn) {
    const run = async () => {
      try {
        await fn();
        P2.set('error', '');
      } catch (e) {
        P2.set('error', 'Cannot reach the node: ' + e.message);
      }
    };
    run();
    setInterval(run, ms);
  },

  // A hashrate chart with a confidence band and the share count behind each point.
  chart(container, points, oldChart) {
    const xs = points.map(p => p.t);
    const data = [xs, points.map(p => p.hashrate), points.map(p => p.low), points.map(p => p.high), points.map(p => p.accepted)];
    const width = Math.max(300, container.clientWidth || 800);
    if (oldChart) oldChart.destroy();
    return new uPlot({
      width, height: 260,
      scales: {x: {time: true}, n: {range: (u, min, max) => [0, Math.max(1, max)]}},
      axes: [{}, {values: (u, v) => v.map(P2.rate), size: 80}, {scale: 'n', side: 1, grid: {show: false}, label: 'shares', size: 60, labelSize: 24, labelGap: 4}],
      series: [
        {},
        {label: 'hashrate', stroke: '#1f6feb', width: 2, value: (u, v) => P2.rate(v)},
        {label: '95% low', stroke: '#9ab', dash: [4, 4], value: (u, v) => P2.rate(v)},
        {label: '95% high', stroke: '#9ab', dash: [4, 4], value: (u, v) => P2.rate(v)},
        {label: 'shares', scale: 'n', stroke: '#c60', width: 1, value: (u, v) => v === null ? '–' : v.toFixed(0)},
      ],
      bands: [{series: [3, 2], fill: 'rgba(31,111,235,0.12)'}],
    }, data, container);
  },
};
