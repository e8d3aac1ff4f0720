'use strict';

// The demo page: the cart API under /api/cart and a contention panel fed by /actuator/sessionlocks.
// Plain browser JavaScript, no build step.
(() => {
    const PARALLEL = 20;
    const SKUS = ['tea', 'coffee', 'cocoa', 'mate'];
    const POLL_MS = 1000;
    const WINDOW_MS = 60000;

    // Errors of this page, read by the browser test.
    const errors = [];
    window.demoErrors = errors;
    window.addEventListener('error', (e) => errors.push(String(e.message)));
    window.addEventListener('unhandledrejection', (e) => errors.push(String(e.reason)));

    const $ = (id) => document.getElementById(id);

    // Every call sends the session cookie, so that all requests of this page share one session.
    async function api(method, path, body) {
        const init = {method, credentials: 'include', headers: {Accept: 'application/json'}};
        if (body !== undefined) {
            init.headers['Content-Type'] = 'application/json';
            init.body = JSON.stringify(body);
        }
        const response = await fetch(path, init);
        let json = null;
        try {
            json = await response.json();
        } catch (ignored) {
            // Not JSON (e.g. a proxy error page): the status says enough.
        }
        return {status: response.status, json};
    }

    function row(cells, className) {
        const tr = document.createElement('tr');
        if (className) {
            tr.className = className;
        }
        for (const cell of cells) {
            const td = document.createElement('td');
            td.textContent = cell.text;
            if (cell.num) {
                td.className = 'num';
            }
            tr.appendChild(td);
        }
        return tr;
    }

    // The rows, or one row saying there are none.
    function rowsOrNone(body, rows, columns, none) {
        if (rows.length) {
            body.replaceChildren(...rows);
            return;
        }
        const td = document.createElement('td');
        td.colSpan = columns;
        td.className = 'empty';
        td.textContent = none;
        const tr = document.createElement('tr');
        tr.appendChild(td);
        body.replaceChildren(tr);
    }

    function renderCart(cart) {
        if (!cart || !Array.isArray(cart.items)) {
            return;
        }
        const handler = $('handler');
        handler.textContent = cart.sessionHandler;
        handler.className = 'badge ' + (cart.sessionHandler === 'locking' ? 'ok' : 'warn');
        $('cart-count').textContent = String(cart.count);
        const body = $('cart-items').tBodies[0];
        rowsOrNone(body, cart.items.map((item) => row([{text: item.sku}, {text: String(item.qty), num: true}])), 2,
            'empty');
    }

    function setResult(text, state, lost) {
        const result = $('result');
        result.textContent = text;
        result.dataset.state = state;
        result.dataset.lost = String(lost || 0);
        result.className = lost > 0 ? 'bad' : state === 'done' ? 'good' : '';
    }

    function summarize(statuses) {
        const counts = new Map();
        for (const status of statuses) {
            counts.set(status, (counts.get(status) || 0) + 1);
        }
        return [...counts.entries()]
            .sort((a, b) => a[0] - b[0])
            .map(([status, n]) => n + ' \u00d7 ' + (status === 0 ? 'network error' : status))
            .join(', ');
    }

    async function withButtons(action) {
        const buttons = document.querySelectorAll('button');
        buttons.forEach((b) => (b.disabled = true));
        try {
            await action();
        } catch (e) {
            setResult('Request failed: ' + e, 'error', 0);
        } finally {
            buttons.forEach((b) => (b.disabled = false));
        }
    }

    async function addParallel() {
        setResult('Sending ' + PARALLEL + ' requests\u2026', 'running', 0);
        // First a GET: it creates the session, so the 20 POSTs below all carry the same cookie.
        const before = await api('GET', '/api/cart');
        renderCart(before.json);
        const started = performance.now();
        const responses = await Promise.all(
            Array.from({length: PARALLEL}, (_, i) =>
                api('POST', '/api/cart/items', {sku: SKUS[i % SKUS.length], qty: 1}).catch(() => ({status: 0}))));
        const millis = Math.round(performance.now() - started);
        const after = await api('GET', '/api/cart');
        renderCart(after.json);
        const succeeded = responses.filter((r) => r.status === 200).length;
        const added = after.json.count - before.json.count;
        const lost = Math.max(succeeded - added, 0);
        const outcome = lost > 0
            ? lost + ' update' + (lost === 1 ? ' was' : 's were') + ' lost'
            : 'no update was lost';
        setResult(PARALLEL + ' requests in ' + millis + ' ms (' + summarize(responses.map((r) => r.status))
            + '); the cart grew by ' + added + ': ' + outcome + '.', 'done', lost);
    }

    async function addOne() {
        const response = await api('POST', '/api/cart/items', {sku: SKUS[0], qty: 1});
        if (response.status === 200) {
            renderCart(response.json);
            setResult('Added 1 item.', 'done', 0);
        } else {
            setResult('HTTP ' + response.status + ': ' + ((response.json && response.json.message) || ''), 'error', 0);
        }
    }

    async function clearCart() {
        const response = await api('DELETE', '/api/cart');
        renderCart(response.json);
        setResult('Cart emptied.', 'done', 0);
    }

    // ---- Contention panel ------------------------------------------------------------------------------------

    const history = [];

    const isNumber = (value) => typeof value === 'number' && Number.isFinite(value);
    const arrayOr = (value) => (Array.isArray(value) ? value : []);

    // The fields the panel needs, or null when the JSON lacks any of them.
    function readContention(data) {
        if (!data || typeof data !== 'object') {
            return null;
        }
        const {totals, waitTimeMs: wait, now} = data;
        if (!totals || !wait || !now) {
            return null;
        }
        const required = [totals.acquired, totals.failed, wait.p50, wait.p95, wait.p99, wait.max,
            now.heldCount, now.waitingCount];
        if (!required.every(isNumber)) {
            return null;
        }
        return {
            acquired: totals.acquired,
            failed: totals.failed,
            lost: isNumber(totals.lost) ? totals.lost : null,
            failures: totals.failures && typeof totals.failures === 'object' ? totals.failures : {},
            wait: {p50: wait.p50, p95: wait.p95, p99: wait.p99, max: wait.max},
            heldCount: now.heldCount,
            waitingCount: now.waitingCount,
            held: arrayOr(now.held),
            waiting: arrayOr(now.waiting),
            recentFailures: arrayOr(data.recentFailures),
            configuration: data.configuration && typeof data.configuration === 'object' ? data.configuration : null,
        };
    }

    const ms = (value) => (isNumber(value) ? String(Math.round(value * 10) / 10) : '?');
    const text = (value) => (value === undefined || value === null ? '' : String(value));

    function renderContention(data, status) {
        const panel = $('contention');
        const view = readContention(data);
        if (!view) {
            panel.dataset.state = 'unavailable';
            $('contention-status').textContent = 'contention panel unavailable'
                + (status === 404 ? ': /actuator/sessionlocks not found'
                    : status && status !== 200 ? ': HTTP ' + status
                        : data ? ': the endpoint\u2019s answer lacks fields this page needs' : '');
            $('contention-body').hidden = true;
            return;
        }
        panel.dataset.state = 'available';
        $('contention-status').textContent = '';
        $('contention-body').hidden = false;

        $('waiting-now').textContent = String(view.waitingCount);
        $('held-now').textContent = String(view.heldCount);
        $('acquired').textContent = String(view.acquired);
        $('failed').textContent = String(view.failed);
        $('lost').textContent = view.lost === null ? '?' : String(view.lost);
        for (const p of ['p50', 'p95', 'p99', 'max']) {
            $('wait-' + p).textContent = ms(view.wait[p]);
        }

        const reasons = Object.entries(view.failures).filter(([, n]) => isNumber(n) && n > 0);
        $('failure-reasons').textContent = reasons.length
            ? reasons.map(([reason, n]) => reason + ': ' + n).join(', ') : 'none';

        const nowRows = [
            ...view.held.map((h) => ['held', h]),
            ...view.waiting.map((w) => ['waiting', w]),
        ].map(([state, entry]) => row([{text: state}, {text: text(entry.session)},
            {text: text(entry.method) + ' ' + text(entry.path)}, {text: text(entry.forMs), num: true}], state));
        rowsOrNone($('now-table').tBodies[0], nowRows, 4, 'no lock held or awaited right now');

        const failureRows = view.recentFailures.slice(0, 10).map((f) => row([{text: text(f.time)},
            {text: text(f.session)}, {text: text(f.method) + ' ' + text(f.path)}, {text: text(f.reason)},
            {text: text(f.waitedMs), num: true}]));
        rowsOrNone($('failures-table').tBodies[0], failureRows, 5, 'none recently');

        const c = view.configuration;
        $('lock-config').textContent = c
            ? 'handler ' + text(c.handler) + ', backend ' + text(c.backend) + ', retry delay ' + text(c.retryDelayMs)
                + ' ms (' + text(c.backoff) + '), timeout ' + text(c.timeoutMs) + ' ms, lock TTL ' + text(c.lockTtlMs)
                + ' ms, renewal ' + (c.renew ? 'on' : 'off') + ', on timeout: ' + text(c.onTimeout)
                + ', max waiters per session ' + text(c.maxWaitersPerSession)
            : '';

        const t = Date.now();
        history.push({t, p50: view.wait.p50, p95: view.wait.p95, max: view.wait.max});
        while (history.length && history[0].t < t - WINDOW_MS) {
            history.shift();
        }
        drawChart(t);
    }

    function drawChart(t) {
        const svg = $('wait-chart');
        const width = 600;
        const height = 150;
        const left = 40;
        const bottom = 20;
        const top = 10;
        const peak = Math.max(10, ...history.map((h) => h.max));
        const x = (time) => left + ((time - (t - WINDOW_MS)) / WINDOW_MS) * (width - left - 5);
        const y = (value) => height - bottom - (value / peak) * (height - bottom - top);
        const line = (key) => history.map((h) => x(h.t).toFixed(1) + ',' + y(h[key]).toFixed(1)).join(' ');
        svg.innerHTML = ''
            + '<line class="axis" x1="' + left + '" y1="' + (height - bottom) + '" x2="' + width + '" y2="'
            + (height - bottom) + '"/>'
            + '<line class="axis" x1="' + left + '" y1="' + top + '" x2="' + left + '" y2="' + (height - bottom) + '"/>'
            + '<text x="' + (left - 4) + '" y="' + (top + 8) + '" text-anchor="end">' + Math.round(peak) + '</text>'
            + '<text x="' + (left - 4) + '" y="' + (height - bottom) + '" text-anchor="end">0</text>'
            + '<text x="' + left + '" y="' + (height - 4) + '">\u221260 s</text>'
            + '<text x="' + width + '" y="' + (height - 4) + '" text-anchor="end">now</text>'
            + ['p50', 'p95', 'max'].map((key) => '<polyline class="' + key + '" points="' + line(key) + '"/>').join('');
    }

    async function poll() {
        let data = null;
        let status = 0;
        try {
            const response = await fetch('/actuator/sessionlocks', {
                credentials: 'include',
                headers: {Accept: 'application/json'},
            });
            status = response.status;
            if (response.ok) {
                data = await response.json();
            }
        } catch (ignored) {
            // Down or not JSON: shown as unavailable.
        }
        renderContention(data, status);
    }

    // For the browser test and for curious readers of the console.
    window.SessionLockPanel = {read: readContention, render: renderContention};

    $('add-parallel').addEventListener('click', () => withButtons(addParallel));
    $('add-one').addEventListener('click', () => withButtons(addOne));
    $('clear').addEventListener('click', () => withButtons(clearCart));

    api('GET', '/api/cart').then((r) => renderCart(r.json)).catch((e) => setResult('Cannot load the cart: ' + e,
        'error', 0));
    poll();
    setInterval(poll, POLL_MS);
})();
