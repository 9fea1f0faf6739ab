// Shared by the pages' scripts: strings, the token kept in this tab, the API client and a
// DOM builder that only ever sets text (never HTML), so no value can become markup.
(function () {
  'use strict';
  const strings = window.ct_strings || {};
  const token_key = 'coldtrace.token';
  const ct = (window.ct = {});

  ct.lang = document.documentElement.lang === 'en' ? 'en' : 'zh';

  // A string by key, with {name} placeholders filled from `vars`.
  ct.t = function (key, vars) {
    const s = Object.prototype.hasOwnProperty.call(strings, key) ? strings[key] : key;
    if (!vars) return s;
    return s.replace(/\{(\w+)\}/g, (m, k) => (k in vars ? String(vars[k]) : m));
  };

  // The token lives in sessionStorage: per tab, gone when it closes, never sent as a cookie.
  ct.token = () => sessionStorage.getItem(token_key);
  ct.set_token = (t) => sessionStorage.setItem(token_key, t);
  ct.clear_token = () => {
    sessionStorage.removeItem(token_key);
    ct.me_cache = null;
  };

  class api_error extends Error {
    constructor(status, code, message) {
      super(message);
      this.status = status;
      this.code = code;
    }
  }
  ct.api_error = api_error;

  // A fresh Idempotency-Key: 128 random bits in hex (crypto.getRandomValues works over plain
  // HTTP too, where randomUUID does not).
  ct.new_key = () => Array.from(crypto.getRandomValues(new Uint8Array(16)),
    (b) => b.toString(16).padStart(2, '0')).join('');

  // Calls the JSON API in the page's language (its errors come back in it); throws api_error
  // with the API's message for a 4xx/5xx, and a TypeError (from fetch) when the network is
  // down. `key` sends an Idempotency-Key, so a write sent twice happens once.
  ct.api = async function (method, path, body, key) {
    const headers = { Accept: 'application/json', 'Accept-Language': ct.lang === 'en' ? 'en' : 'zh-CN' };
    const token = ct.token();
    if (token) headers.Authorization = 'Bearer ' + token;
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    if (key) headers['Idempotency-Key'] = key;
    const res = await fetch(path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      cache: 'no-store',
      credentials: 'omit',
    });
    let data = null;
    const type = res.headers.get('Content-Type') || '';
    if (type.includes('json')) data = await res.json();
    if (!res.ok) {
      const e = (data && data.error) || {};
      throw new api_error(res.status, e.code || String(res.status), e.message || res.statusText);
    }
    return data;
  };

  // A code's label (its QR) as an object URL for an <img>: labels are served only to a unit
  // that may print them, so the request carries the token. Throws api_error like ct.api.
  ct.label_url = async function (code_id, format, px) {
    const headers = { 'Accept-Language': ct.lang === 'en' ? 'en' : 'zh-CN' };
    const token = ct.token();
    if (token) headers.Authorization = 'Bearer ' + token;
    const res = await fetch('/api/v1/codes/' + encodeURIComponent(code_id) + '/label.' + format +
      (px ? '?px=' + px : ''), { headers, credentials: 'omit' });
    if (!res.ok) {
      const data = (res.headers.get('Content-Type') || '').includes('json') ? await res.json() : null;
      const e = (data && data.error) || {};
      throw new api_error(res.status, e.code || String(res.status), e.message || res.statusText);
    }
    return URL.createObjectURL(await res.blob());
  };

  // Who the token belongs to: {account, role, unit: {...}, name}; null without a token.
  ct.me = async function () {
    if (!ct.token()) return null;
    if (!ct.me_cache) ct.me_cache = await ct.api('GET', '/api/v1/me');
    return ct.me_cache;
  };

  // el('p', {class: 'x', text: 'y'}, child, ...): attributes are set as attributes, text as text.
  ct.el = function (tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === undefined || v === null || v === false) continue;
      if (k === 'text') node.textContent = v;
      else if (k.startsWith('on')) node.addEventListener(k.slice(2), v);
      else node.setAttribute(k, v === true ? '' : String(v));
    }
    for (const c of children) {
      if (c === null || c === undefined) continue;
      node.append(c instanceof Node ? c : document.createTextNode(String(c)));
    }
    return node;
  };

  ct.kg = function (grams) {
    const kg = grams / 1000;
    return (Number.isInteger(kg) ? String(kg) : kg.toFixed(3).replace(/0+$/, '')) + ' kg';
  };

  // Times from the API are UTC (…Z); people read them in China Standard Time.
  const cst = (iso) => new Date(new Date(iso).getTime() + 8 * 3600 * 1000).toISOString();
  ct.day = (iso) => (iso ? cst(iso).slice(0, 10) : '');
  ct.minute = (iso) => (iso ? cst(iso).slice(0, 16).replace('T', ' ') : '');
  // A datetime-local input's value, taken as China time, as the API's RFC 3339 time.
  ct.from_local = (value) => (value.length === 16 ? value + ':00' : value) + '+08:00';
  ct.local_now = () => cst(new Date().toISOString()).slice(0, 19);

  // Shows a message in a live region; `tone` is ok, warn or bad.
  ct.say = function (node, text, tone) {
    if (!node) return;
    node.textContent = text;
    node.dataset.tone = tone || '';
    node.className = node.className.replace(/\btone-\w+/g, '').trim();
    if (tone) node.classList.add('tone-' + tone);
  };

  // The tone of a verdict, as the server's pages colour it.
  ct.tone = (verdict) =>
    verdict === 'valid'
      ? 'ok'
      : ['not_released', 'pending_receipt', 'exhausted'].includes(verdict)
        ? 'warn'
        : 'bad';
})();
