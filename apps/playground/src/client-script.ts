/**
 * The browser side, served at /assets/playground.js: live expiry countdowns, the live event log (Server-Sent
 * Events) and busy buttons. It builds nodes with textContent only, so nothing from the server is parsed as HTML.
 */
export const CLIENT_SCRIPT = `
'use strict';
(function () {
  function duration(ms) {
    var s = Math.max(0, Math.floor(ms / 1000));
    var d = Math.floor(s / 86400), h = Math.floor((s % 86400) / 3600), m = Math.floor((s % 3600) / 60), r = s % 60;
    var pad = function (n) { return String(n).padStart(2, '0'); };
    if (d > 0) return d + 'd ' + h + 'h';
    if (h > 0) return h + 'h ' + pad(m) + 'm';
    if (m > 0) return m + 'm ' + pad(r) + 's';
    return r + 's';
  }
  function tick() {
    var now = Date.now();
    document.querySelectorAll('[data-expires-at]').forEach(function (el) {
      var at = Number(el.getAttribute('data-expires-at'));
      if (!at) return;
      var left = at - now;
      el.textContent = left > 0 ? 'in ' + duration(left) : 'expired ' + duration(-left) + ' ago';
      el.classList.toggle('is-expired', left <= 0);
      el.classList.toggle('is-soon', left > 0 && left < 120000);
    });
  }
  tick();
  setInterval(tick, 1000);

  document.querySelectorAll('form').forEach(function (form) {
    form.addEventListener('submit', function (event) {
      var button = event.submitter || form.querySelector('button');
      if (button) button.setAttribute('aria-busy', 'true');
      document.body.setAttribute('data-submitting', 'true');
    });
  });

  function setField(name, value) {
    document.querySelectorAll('[data-field="' + name + '"]').forEach(function (el) { el.textContent = value; });
  }
  function applyView(view) {
    setField('refreshes', String(view.refreshes));
    if (!view.signedIn) return;
    setField('access-token', view.accessToken || '');
    setField('header', view.header || '');
    setField('refresh-token', view.hasRefreshToken ? 'present' : 'none');
    document.querySelectorAll('[data-field="expires"]').forEach(function (el) {
      if (view.expiresAt) el.setAttribute('data-expires-at', String(view.expiresAt));
      else { el.removeAttribute('data-expires-at'); el.textContent = 'never'; el.className = 'countdown'; }
    });
    tick();
  }
  function entryNode(entry) {
    var li = document.createElement('li');
    li.className = 'log-item is-new log-' + entry.level + ' from-' + entry.source;
    li.setAttribute('data-event', entry.event);
    var line = document.createElement('div');
    line.className = 'log-line';
    var tag = document.createElement('span');
    tag.className = 'tag';
    tag.textContent = entry.event;
    var time = document.createElement('time');
    time.dateTime = new Date(entry.at).toISOString();
    time.textContent = new Date(entry.at).toLocaleTimeString('en-GB', { hour12: false });
    line.append(tag, time);
    var p = document.createElement('p');
    p.textContent = entry.summary;
    li.append(line, p);
    if (entry.details.length > 0) {
      var dl = document.createElement('dl');
      dl.className = 'log-details';
      entry.details.forEach(function (pair) {
        var div = document.createElement('div');
        var dt = document.createElement('dt');
        dt.textContent = pair[0];
        var dd = document.createElement('dd');
        dd.textContent = pair[1];
        div.append(dt, dd);
        dl.append(div);
      });
      li.append(dl);
    }
    return li;
  }

  var log = document.getElementById('event-log');
  if (!log || !window.EventSource) return;
  var vendor = log.getAttribute('data-vendor');
  var lastId = Number(log.getAttribute('data-last-id') || '0');
  var signedIn = document.body.getAttribute('data-signed-in') === 'true';
  var live = document.getElementById('live');
  var source = new EventSource('/' + vendor + '/events?after=' + lastId);
  source.addEventListener('open', function () { if (live) live.classList.add('is-live'); });
  source.addEventListener('error', function () { if (live) live.classList.remove('is-live'); });
  source.addEventListener('log', function (message) {
    var data = JSON.parse(message.data);
    if (data.entry.id <= lastId) return;
    lastId = data.entry.id;
    var empty = document.getElementById('event-log-empty');
    if (empty) empty.remove();
    log.prepend(entryNode(data.entry));
    applyView(data.view);
    // A change made elsewhere (another tab, a background refresh that failed): offer a reload rather than
    // pulling the page from under the user, and never while one of our own forms is on its way.
    if (data.view.signedIn !== signedIn && document.body.getAttribute('data-submitting') !== 'true') {
      var stale = document.getElementById('stale');
      if (stale) stale.classList.add('is-visible');
    }
  });
})();
`;
