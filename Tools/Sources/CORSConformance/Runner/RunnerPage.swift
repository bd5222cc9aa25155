import CORSJSON
import CORSScenario
import Foundation

/// The page runner: the HTML and script each scenario's page is served as (or, for `file:` pages, written
/// to disk as).
///
/// The page plays the steps one after another: it waits `after` seconds, tells the server which step starts
/// (an image load of `/__corsim/mark`, which no CORS, `connect-src` or mixed-content rule blocks), prints a
/// `[corsim] step` marker on the console, then makes the call with `fetch` or `XMLHttpRequest` and records
/// what script could see. At the end it prints `[corsim] end`, sends the results (`/__corsim/report`) and
/// goes on to the next scenario's page. A sandboxed page plays its steps inside
/// `<iframe sandbox="allow-scripts">`, one `postMessage` per step.
public enum RunnerPage {
  /// The page for a scenario. `file` pages send their marks and reports to the control port, and carry
  /// their CSP in a `<meta>` element.
  public static func html(for scenario: PlannedScenario, settings: HarnessState.PageSettings, file: Bool) -> String {
    // A page with policies (CSP, upgrade-insecure-requests, COEP) would apply them to its own navigation
    // to the next page too (Chromium upgrades it to https); it goes there through a neutral harness page.
    var next = settings.next[scenario.position]
    if let target = next, !scenario.pageHeaders.isEmpty {
      let control = file ? settings.fileControlBase : ""
      next = control + "/__corsim/next?to=" + (target.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")
    }
    let config: JSONValue = .object([
      ("i", .number(Double(scenario.position))),
      ("run", .number(Double(settings.run))),
      ("control", .string(file ? settings.fileControlBase : "")),
      ("next", next.map { .string($0) } ?? .null),
      ("sandboxed", .bool(scenario.sandboxed)),
      ("frame", .string("/__corsim/frame/\(scenario.position)")),
      ("stepTimeout", .number(Double(settings.stepTimeoutMilliseconds))),
      ("steps", .array(scenario.steps)),
    ])
    var head = #"<meta charset="utf-8"><link rel="icon" href="data:,"><title>corsim</title>"#
    if file, let csp = scenario.pageHeaders.first(where: { $0.name == "Content-Security-Policy" }) {
      head += #"<meta http-equiv="Content-Security-Policy" content="\#(attribute(csp.value))">"#
    }
    return """
      <!doctype html><html><head>\(head)</head><body><script>
      const C = \(scriptJSON(config));
      \(player)
      \(conductor)
      </script></body></html>
      """
  }

  /// The neutral page between a page with policies and the next one: it only goes on to `target`.
  public static func relay(to target: String) -> String {
    #"<!doctype html><meta charset="utf-8"><link rel="icon" href="data:,"><script>location.replace("# +
      scriptJSON(.string(target)) + ");</script>"
  }

  /// The sandboxed frame's document: the player, driven by `postMessage`.
  public static let frame = """
    <!doctype html><html><head><meta charset="utf-8"><link rel="icon" href="data:,"></head><body><script>
    \(player)
    addEventListener('message', async (e) => {
      if (e.source !== parent) return;
      let r;
      try { r = await play(e.data); } catch (x) { r = {outcome: 'harness-error', error: describe(x)}; }
      parent.postMessage(r, '*');
    });
    parent.postMessage('corsim-ready', '*');
    </script></body></html>
    """

  /// JSON that is safe inside `<script>`: `<` only occurs in strings, where `\\u003c` means the same.
  static func scriptJSON(_ value: JSONValue) -> String {
    JSONWriter.serialize(value).replacingOccurrences(of: "<", with: "\\u003c")
  }

  static func attribute(_ s: String) -> String {
    s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "\"", with: "&quot;")
      .replacingOccurrences(of: "<", with: "&lt;")
  }

  /// Plays one step object (the oracle's step fields) and resolves to what script could see:
  /// `{outcome, responseType, status, exposedHeaders, error}`. An element load (`"api": "element"`) creates
  /// the element (`<img>`, `<script>`, `<script type=module>`, `<link rel=stylesheet>`, a `FontFace`,
  /// `<audio>`, `<video>`) with its `crossorigin` and `integrity` attributes as given, and resolves on its
  /// event: `error` is `network-error`; `load` (media: `loadeddata`) is `readable` or `opaque` where script can
  /// tell (an image drawn on a canvas, a stylesheet's `cssRules`, the message a classic script's syntax error
  /// reaches `window.onerror` with), `readable` for module scripts (always CORS), and `load` where it cannot
  /// (fonts, media, a script whose body parses).
  static let player = #"""
    function describe(e) { return (e && e.name ? e.name + ': ' + e.message : String(e)); }
    function makeBody(s) {
      if (s.body == null) return undefined;
      switch (s.bodyType || 'string') {
        case 'urlsearchparams': return new URLSearchParams(s.body);
        case 'formdata': { const f = new FormData(); for (const [k, v] of new URLSearchParams(s.body)) f.append(k, v); return f; }
        case 'blob': return new Blob([s.body], {type: s.blobType || ''});
        case 'arraybuffer': return new TextEncoder().encode(s.body).buffer;
        case 'stream': return new ReadableStream({start(c) { c.enqueue(new TextEncoder().encode(s.body)); c.close(); }});
        default: return s.body;
      }
    }
    function names(list) { return [...new Set(list.map((n) => n.toLowerCase()))].sort(); }
    async function playFetch(s) {
      const init = {};
      for (const k of ['method', 'mode', 'credentials', 'redirect', 'cache', 'referrer', 'referrerPolicy',
                       'integrity', 'duplex', 'targetAddressSpace']) {
        if (s[k] != null) init[k] = s[k];
      }
      if (s.headers) init.headers = s.headers;
      if (s.keepalive) init.keepalive = true;
      if (s.window) init.window = window;
      let request;
      try {
        const body = makeBody(s);
        if (body !== undefined) init.body = body;
        request = new Request(s.url, init);
      } catch (e) { return {outcome: 'invalid', error: describe(e)}; }
      let response;
      try { response = await fetch(request); } catch (e) { return {outcome: 'network-error', error: describe(e)}; }
      if (response.type === 'opaque' || response.type === 'opaqueredirect') {
        return {outcome: 'opaque', responseType: response.type, status: response.status, exposedHeaders: null};
      }
      const seen = [];
      for (const [name] of response.headers) seen.push(name);
      let bodyError = null;
      try { await response.arrayBuffer(); } catch (e) { bodyError = describe(e); }
      return {outcome: 'readable', responseType: response.type, status: response.status, exposedHeaders: names(seen),
              bodyError: bodyError};
    }
    function playXHR(s) {
      return new Promise((resolve) => {
        const x = new XMLHttpRequest();
        const readable = () => resolve({outcome: 'readable', responseType: null, status: x.status,
          exposedHeaders: names(x.getAllResponseHeaders().split('\r\n').filter((l) => l.includes(':'))
            .map((l) => l.slice(0, l.indexOf(':')).trim()))});
        const failed = (why) => resolve({outcome: 'network-error', error: why});
        try {
          x.open(s.method == null ? 'GET' : s.method, s.url, !s.sync);
          for (const [n, v] of (s.headers || [])) x.setRequestHeader(n, v);
          if (s.credentials === 'include') x.withCredentials = true;
          if (s.timeout) x.timeout = s.timeout;
          if (s.responseType) x.responseType = s.responseType;
          if (s.uploadListeners) { x.upload.onprogress = () => {}; x.upload.onloadstart = () => {}; }
        } catch (e) { resolve({outcome: 'invalid', error: describe(e)}); return; }
        x.onload = readable;
        x.onerror = () => failed('error event');
        x.ontimeout = () => failed('timeout event');
        x.onabort = () => failed('abort event');
        let body;
        try { body = makeBody(s); } catch (e) { resolve({outcome: 'invalid', error: describe(e)}); return; }
        try { x.send(body === undefined ? null : body); }
        catch (e) {
          if (s.sync && e.name === 'NetworkError') failed(describe(e)); else resolve({outcome: 'invalid', error: describe(e)});
          return;
        }
        if (s.sync) readable();
      });
    }
    // Element loads: the element's load (media: loadeddata) or error event, then what script can see of
    // the resource: 'readable' (CORS-same-origin), 'opaque', or 'load' when nothing tells them apart.
    const probeErrors = [];
    addEventListener('error', (e) => { if (e instanceof ErrorEvent) probeErrors.push(String(e.message)); });
    function settled(el, ok, bad) {
      return new Promise((resolve) => {
        for (const e of ok) el.addEventListener(e, () => resolve(true), {once: true});
        for (const e of bad) el.addEventListener(e, () => resolve(false), {once: true});
      });
    }
    function attributes(el, s) {
      if (s.crossorigin != null) el.setAttribute('crossorigin', s.crossorigin);
      if (s.integrity != null) el.setAttribute('integrity', s.integrity);
    }
    const failedLoad = (e) => ({outcome: 'network-error', error: e || 'error event'});
    // A URL an earlier element step of the page loaded gets a fragment (never sent): a document reuses
    // what it loaded before (the module map, the list of available images) where each step is a load of
    // its own to the simulator.
    const elementURLs = new Set();
    function freshURL(url) {
      if (!/^https?:/i.test(url) || !elementURLs.has(url)) { elementURLs.add(url); return url; }
      return url + (url.includes('#') ? '-' : '#') + 'corsim-' + elementURLs.size + '-' + Math.random().toString(36).slice(2);
    }
    async function playElement(step) {
      const s = Object.assign({}, step, {url: freshURL(step.url)});
      const kind = s.destination === 'script' && s.module ? 'module' : s.destination;
      if (kind === 'image') {
        const img = document.createElement('img');
        attributes(img, s);
        const done = settled(img, ['load'], ['error']);
        img.src = s.url;
        if (!await done) return failedLoad();
        // Drawing an opaque image taints the canvas: getImageData throws SecurityError.
        try {
          const c = document.createElement('canvas');
          c.width = c.height = 1;
          const g = c.getContext('2d');
          g.drawImage(img, 0, 0);
          g.getImageData(0, 0, 1, 1);
          return {outcome: 'readable'};
        } catch (e) {
          return e && e.name === 'SecurityError' ? {outcome: 'opaque'} : {outcome: 'load', error: describe(e)};
        }
      }
      if (kind === 'script' || kind === 'module') {
        const el = document.createElement('script');
        if (kind === 'module') el.type = 'module';
        attributes(el, s);
        const done = settled(el, ['load'], ['error']);
        const before = probeErrors.length;
        el.src = s.url;
        document.head.appendChild(el);
        const ok = await done;
        el.remove();
        if (!ok) return failedLoad();
        // The harness's classic script body does not parse: window.onerror gets the SyntaxError in full for
        // a CORS-same-origin script, "Script error." for an opaque one (muted errors). A scenario's own body
        // that does not parse tells the same way; one that runs tells nothing. (Errors thrown at run time are
        // no probe: Firefox does not mute them, whatwg/html#2440.)
        const seen = probeErrors.slice(before);
        if (seen.some((m) => m === 'Script error.')) return {outcome: 'opaque'};
        if (seen.length) return {outcome: 'readable'};
        return {outcome: 'load'};
      }
      if (kind === 'style') {
        const el = document.createElement('link');
        el.rel = 'stylesheet';
        attributes(el, s);
        const done = settled(el, ['load'], ['error']);
        el.href = s.url;
        document.head.appendChild(el);
        const ok = await done;
        let r = {outcome: 'load'};
        if (!ok) r = failedLoad();
        else if (el.sheet) {
          // An opaque stylesheet's rules cannot be read: cssRules throws SecurityError.
          try { el.sheet.cssRules; r = {outcome: 'readable'}; }
          catch (e) { r = e && e.name === 'SecurityError' ? {outcome: 'opaque'} : {outcome: 'load', error: describe(e)}; }
        }
        el.remove();
        return r;
      }
      if (kind === 'font') {
        // The FontFace API fetches as @font-face does and rejects when the fetch fails or the font does not
        // parse. Whether the font was CORS-same-origin, script cannot see.
        const face = new FontFace('corsim-font-' + Math.random().toString(36).slice(2), 'url(' + JSON.stringify(s.url) + ')');
        try { await face.load(); } catch (e) { return failedLoad(describe(e)); }
        return {outcome: 'load'};
      }
      if (kind === 'audio' || kind === 'video') {
        const el = document.createElement(kind);
        el.muted = true;
        el.preload = 'auto';
        attributes(el, s);
        const done = settled(el, ['loadeddata'], ['error']);
        el.src = s.url;
        document.body.appendChild(el);
        el.load();
        const ok = await done;
        el.removeAttribute('src');
        el.load();
        el.remove();
        return ok ? {outcome: 'load'} : failedLoad();
      }
      return {outcome: 'harness-error', error: 'no element for destination ' + s.destination};
    }
    // new EventSource(url, {withCredentials}): open is 'readable', error 'network-error' with the readyState
    // it left (2 CLOSED: the connection failed; 0 CONNECTING: it would reconnect, so it is closed at once).
    // After an error the step settles 500 ms later: Firefox logs a refused connection again when its channel
    // stops, which the next page's navigation would otherwise cut off.
    function playEventSource(s) {
      return new Promise((resolve) => {
        let es;
        try { es = new EventSource(s.url, {withCredentials: s.credentials === 'include'}); }
        catch (e) { resolve({outcome: 'invalid', error: describe(e)}); return; }
        es.onopen = () => { es.close(); resolve({outcome: 'readable', responseType: null}); };
        es.onerror = () => {
          const state = es.readyState;
          // A failed connection is CLOSED already; close() then would cut Firefox's channel short (and its
          // second line) in a race, where a page that leaves it alone always sees both.
          if (state !== 2) es.close();
          setTimeout(() => resolve({outcome: 'network-error', error: 'error event', readyState: state}), 500);
        };
      });
    }
    // navigator.sendBeacon(url, data): 'sent' when it returns true, 'refused' for false, 'invalid' when it
    // throws. The request leaves after the call returns: the step waits 500 ms for it (and its preflight).
    async function playBeacon(s) {
      let queued;
      try {
        const body = makeBody(s);
        queued = body === undefined ? navigator.sendBeacon(s.url) : navigator.sendBeacon(s.url, body);
      } catch (e) { return {outcome: 'invalid', error: describe(e)}; }
      await new Promise((r) => setTimeout(r, 500));
      return {outcome: queued ? 'sent' : 'refused'};
    }
    // import(url) from this (classic) script: 'readable' when the promise fulfils, 'network-error' when it
    // rejects (a TypeError). A URL seen before gets a fresh fragment: the module map answers a repeat.
    async function playImport(step) {
      const url = freshURL(step.url);
      try { await import(url); return {outcome: 'readable'}; }
      catch (e) { return {outcome: 'network-error', error: describe(e)}; }
    }
    // new Worker(url, {type}) / new SharedWorker(url, {type}): 'invalid' when the constructor throws,
    // 'network-error' on the worker's error event, 'readable' when no error came within 1.5 s (the script runs;
    // the harness serves routes as written, and a worker fires no event on success).
    async function playWorker(step) {
      const url = freshURL(step.url);
      const options = step.workerType ? {type: step.workerType} : undefined;
      let w;
      try {
        w = step.api === 'sharedworker' ? new SharedWorker(url, options) : new Worker(url, options);
      } catch (e) { return {outcome: 'invalid', error: describe(e)}; }
      const failed = await new Promise((resolve) => {
        w.addEventListener('error', () => resolve(true), {once: true});
        setTimeout(() => resolve(false), 1500);
      });
      if (w.terminate) w.terminate(); else if (w.port) w.port.close();
      return failed ? {outcome: 'network-error'} : {outcome: 'readable'};
    }
    // A navigation or a form submission, played in a frame of its own (the runner page must stay): 'readable'
    // when the frame's load event comes (the new document, whatever its status: nothing of it is readable
    // here), 'network-error' when none came within 3 s. The request on the wire is what is compared.
    let frames = 0;
    function playNavigation(s) {
      return new Promise((resolve) => {
        const name = 'corsim-frame-' + (++frames);
        const frame = document.createElement('iframe');
        frame.name = name;
        document.body.appendChild(frame);
        let done = false;
        const finish = (r) => { if (!done) { done = true; setTimeout(() => { frame.remove(); resolve(r); }, 300); } };
        // The frame's first load is its initial about:blank in some engines: listen after it is in the document.
        setTimeout(() => {
          frame.addEventListener('load', () => finish({outcome: 'readable'}));
          setTimeout(() => finish({outcome: 'network-error', error: 'no load event within 3 s'}), 3000);
          if (s.api === 'navigate') { frame.src = s.url; return; }
          const form = document.createElement('form');
          form.method = s.method || 'GET';
          form.action = s.url;
          form.target = name;
          if (s.enctype) form.enctype = s.enctype;
          for (const [k, v] of new URLSearchParams(s.body || '')) {
            const input = document.createElement('input');
            input.type = 'hidden';
            input.name = k;
            input.value = v;
            form.appendChild(input);
          }
          document.body.appendChild(form);
          form.submit();
          form.remove();
        }, 50);
      });
    }
    // new WebSocket(url, protocols): 'readable' on open (then closed), 'network-error' on error or close
    // before open, 'invalid' when the constructor throws. The step settles 500 ms later, for the console line.
    function playWebSocket(s) {
      return new Promise((resolve) => {
        let ws;
        try { ws = s.protocols ? new WebSocket(s.url, s.protocols) : new WebSocket(s.url); }
        catch (e) { resolve({outcome: 'invalid', error: describe(e)}); return; }
        let done = false;
        const finish = (r) => { if (!done) { done = true; setTimeout(() => resolve(r), 500); } };
        ws.onopen = () => { finish({outcome: 'readable'}); ws.close(); };
        ws.onerror = () => finish({outcome: 'network-error', error: 'error event'});
        ws.onclose = () => finish({outcome: 'network-error', error: 'close event'});
        setTimeout(() => finish({outcome: 'network-error', error: 'no open, error or close within 5 s'}), 5000);
      });
    }
    function play(s) {
      return s.api === 'xhr' ? playXHR(s) : s.api === 'element' ? playElement(s)
        : s.api === 'eventsource' ? playEventSource(s) : s.api === 'beacon' ? playBeacon(s)
        : s.api === 'import' ? playImport(s) : s.api === 'worker' || s.api === 'sharedworker' ? playWorker(s)
        : s.api === 'navigate' || s.api === 'form' ? playNavigation(s) : s.api === 'websocket' ? playWebSocket(s)
        : playFetch(s);
    }
    """#

  /// Walks the steps, marks them, reports, and goes on to the next page.
  static let conductor = #"""
    const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
    const say = (text) => console.log('[corsim] ' + text);
    function ping(name, params) {
      return new Promise((resolve) => {
        const img = new Image();
        img.onload = img.onerror = () => resolve();
        const q = Object.entries(params).map(([k, v]) => k + '=' + encodeURIComponent(v)).join('&');
        img.src = C.control + '/__corsim/' + name + '?' + q + '&t=' + Date.now() + '.' + Math.random();
      });
    }
    const timeout = (p, ms, what) => Promise.race([p, sleep(ms).then(() => ({outcome: 'timeout', error: what}))]);
    function framePlayer() {
      return new Promise((resolve) => {
        const f = document.createElement('iframe');
        f.setAttribute('sandbox', 'allow-scripts');
        f.src = C.frame;
        let pending = null;
        addEventListener('message', (e) => {
          if (e.source !== f.contentWindow) return;
          if (e.data === 'corsim-ready') {
            resolve((step) => new Promise((r) => { pending = r; f.contentWindow.postMessage(step, '*'); }));
          } else if (pending) { const p = pending; pending = null; p(e.data); }
        });
        document.body.appendChild(f);
      });
    }
    async function main() {
      const results = [];
      let player = play;
      if (C.sandboxed) {
        player = await timeout(framePlayer(), C.stepTimeout, 'the sandboxed frame did not load');
        if (player.outcome) { results.push(player); player = null; }
      }
      for (let k = 0; player && k < C.steps.length; k++) {
        const s = C.steps[k];
        if (s.after) await sleep(s.after * 1000);
        await ping('mark', {run: C.run, i: C.i, k: k});
        say('step ' + C.i + ' ' + k);
        const t0 = performance.now();
        let r;
        try { r = await timeout(player(s), C.stepTimeout, 'step ' + k + ' did not settle'); }
        catch (e) { r = {outcome: 'harness-error', error: describe(e)}; }
        r.ms = Math.round(performance.now() - t0);
        results.push(r);
      }
      for (const r of results) r.page = location.origin;
      say('end ' + C.i);
      await ping('report', {run: C.run, i: C.i, r: JSON.stringify(results)});
      if (C.next) location.replace(C.next);
    }
    main();
    """#
}
