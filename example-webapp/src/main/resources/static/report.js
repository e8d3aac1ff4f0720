'use strict';

// The cache stampede panel: the report API under /api/report and, when exposed, /actuator/cacheregenerations.
// Plain browser JavaScript, no build step; errors land in window.demoErrors like the rest of the page's.
(() => {
    const READERS = 200;
    const POLL_MS = 1000;
    const $ = (id) => document.getElementById(id);

    async function call(method, path) {
        const response = await fetch(path, {method, headers: {Accept: 'application/json'}});
        let json = null;
        try {
            json = await response.json();
        } catch (ignored) {
            // Not JSON: the status says enough.
        }
        return {status: response.status, json};
    }

    function showRegenerations(count) {
        if (typeof count === 'number') {
            $('report-regenerations').textContent = String(count);
        }
    }

    function setResult(text, state, delta) {
        const result = $('report-result');
        result.textContent = text;
        result.dataset.state = state;
        if (delta !== undefined) {
            result.dataset.regenerations = String(delta);
        }
        result.className = state === 'error' ? 'bad' : state === 'done' ? 'good' : '';
    }

    async function withButtons(action) {
        const buttons = document.querySelectorAll('#report-panel button');
        buttons.forEach((b) => (b.disabled = true));
        try {
            await action();
        } catch (e) {
            setResult('Request failed: ' + e, 'error');
        } finally {
            buttons.forEach((b) => (b.disabled = false));
        }
    }

    async function readers() {
        setResult('Sending ' + READERS + ' readers\u2026', 'running');
        const response = await call('POST', '/api/report/readers?count=' + READERS);
        if (response.status !== 200 || !response.json) {
            setResult('HTTP ' + response.status, 'error');
            return;
        }
        const burst = response.json;
        const r = burst.readers;
        showRegenerations(burst.regenerations);
        setResult(r.ok + ' of ' + r.readers + ' readers answered (p50 ' + r.p50Ms + ' ms, p99 ' + r.p99Ms
            + ' ms, max ' + r.maxMs + ' ms); regenerations during the burst: ' + burst.regenerationsDuringBurst + '.',
        r.failed === 0 ? 'done' : 'error', burst.regenerationsDuringBurst);
    }

    async function flush() {
        const response = await call('POST', '/api/report/flush');
        showRegenerations(response.json && response.json.regenerations);
        setResult('Report flushed: the next readers find no copy.', 'flushed');
    }

    async function expire() {
        const response = await call('POST', '/api/report/expire');
        showRegenerations(response.json && response.json.regenerations);
        setResult('Report expired: the next readers get the stale copy while one regenerates it.', 'expired');
    }

    // In flight and waiting now, from the library's endpoint when it is exposed; nothing when it is not.
    async function poll() {
        try {
            const stats = await call('GET', '/api/report/stats');
            showRegenerations(stats.json && stats.json.regenerations);
            const response = await call('GET', '/actuator/cacheregenerations');
            const data = response.json;
            if (response.status !== 200 || !data) {
                return;
            }
            const inFlight = Array.isArray(data.inFlight) ? data.inFlight.filter((f) => f.cache === 'report') : [];
            $('report-in-flight').textContent = String(inFlight.length);
            const waiting = data.waitingNow && typeof data.waitingNow.report === 'number' ? data.waitingNow.report : 0;
            $('report-waiting').textContent = String(waiting);
        } catch (ignored) {
            // The next poll tries again.
        }
    }

    $('report-readers').addEventListener('click', () => withButtons(readers));
    $('report-flush').addEventListener('click', () => withButtons(flush));
    $('report-expire').addEventListener('click', () => withButtons(expire));
    poll();
    setInterval(poll, POLL_MS);
})();
