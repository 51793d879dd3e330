// Drives ThreadLab's web page in Debian's Chromium, headless, over the DevTools protocol (node's
// own WebSocket: no package). Shared by the browser test and the web benchmark.
//   const page = await ChromiumPage.open(pageDir);   // serves pageDir, starts Chromium
//   await page.navigate('?bench=16'); await page.line(/.../, 30, 'what'); await page.click('Add session');
//   await page.close();                               // stops every process it started
// A console error, an uncaught exception or a browser error fails every wait at once; a timeout
// only guards against a hang.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

export class Failure extends Error {}

export function guard(promise, seconds, what) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Failure(`no ${what} after ${seconds} s`)), seconds * 1000);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

class DevTools {
  constructor(url) { this.url = url; this.next = 1; this.pending = new Map(); this.listeners = new Set(); }
  open() {
    return new Promise((resolve, reject) => {
      this.socket = new WebSocket(this.url);
      this.socket.onopen = () => resolve();
      this.socket.onerror = () => reject(new Failure(`cannot connect to ${this.url}`));
      this.socket.onmessage = (event) => {
        const message = JSON.parse(event.data);
        if (message.id !== undefined) {
          const waiting = this.pending.get(message.id);
          this.pending.delete(message.id);
          if (message.error) waiting?.reject(new Failure(`${waiting.method}: ${JSON.stringify(message.error)}`));
          else waiting?.resolve(message.result);
        } else {
          for (const listener of [...this.listeners]) listener(message);
        }
      };
    });
  }
  send(method, params = {}) {
    const id = this.next++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject, method });
      this.socket.send(JSON.stringify({ id, method, params }));
    });
  }
  close() { try { this.socket?.close(); } catch {} }
}

export class ChromiumPage {
  constructor() {
    this.children = [];
    this.profileDir = null;
    this.lines = [];
    this.waiters = new Set();
    this.expectedErrors = [];  // console errors a test provokes on purpose (expectError)
    this.failed = new Promise((_, reject) => { this.fail = reject; });
    this.failed.catch(() => {});
  }

  /// isolationHeaders false: served as a static host that cannot set headers serves it (the page
  /// gets them from its service worker, after one reload).
  static async open(pageDir, { width = 1280, height = 720, isolationHeaders = true } = {}) {
    const page = new ChromiumPage();
    try {
      await page.start(pageDir, width, height, isolationHeaders);
    } catch (error) {
      await page.close();
      throw error;
    }
    return page;
  }

  startProcess(name, command, args, readyPattern) {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    this.children.push(child);
    let output = '';
    return new Promise((resolve, reject) => {
      child.on('error', (error) => reject(new Failure(`${name} could not start: ${error.message}`)));
      child.on('exit', (code) => reject(new Failure(`${name} ended early (exit ${code}): ${output.slice(-1500)}`)));
      const look = (data) => {
        output += data;
        const match = output.match(readyPattern);
        if (match) resolve(match[1]);
      };
      child.stdout.on('data', look);
      child.stderr.on('data', look);
    });
  }

  async start(pageDir, width, height, isolationHeaders) {
    const serverArgs = [join(repo, 'scripts', 'serve-web.py'), ...(isolationHeaders ? [] : ['--without-headers']), '0', pageDir];
    this.url = await guard(this.startProcess('the server', 'python3', serverArgs, /(http:\/\/\S+)/), 15,
      'address from the server');
    this.profileDir = mkdtempSync(join(tmpdir(), 'threadlab-chromium-'));
    const browserUrl = await guard(this.startProcess('Chromium', 'chromium', [
      '--headless=new', '--no-sandbox', '--use-angle=swiftshader', '--enable-unsafe-swiftshader',
      '--remote-debugging-port=0', `--user-data-dir=${this.profileDir}`, `--window-size=${width},${height}`,
      '--no-first-run', '--no-default-browser-check', '--disable-extensions', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--mute-audio', 'about:blank'],
      /DevTools listening on (ws:\/\/\S+)/), 60, 'DevTools address from Chromium');
    const port = new URL(browserUrl).port;
    const targets = await (await fetch(`http://127.0.0.1:${port}/json/list`)).json();
    const target = targets.find((candidate) => candidate.type === 'page');
    if (!target) throw new Failure('Chromium has no page to drive');
    this.devtools = new DevTools(target.webSocketDebuggerUrl);
    await guard(this.devtools.open(), 10, 'DevTools connection');
    this.devtools.listeners.add((message) => this.observe(message));
    await Promise.all([this.devtools.send('Runtime.enable'), this.devtools.send('Log.enable'), this.devtools.send('Page.enable')]);
    await this.devtools.send('Emulation.setDeviceMetricsOverride', { width, height, deviceScaleFactor: 1, mobile: false });
  }

  observe(message) {
    if (message.method === 'Runtime.consoleAPICalled') {
      const text = message.params.args.map((arg) => arg.value ?? arg.description ?? '').join(' ');
      this.lines.push(text);
      if (message.params.type === 'error' && !this.expectedErrors.some((pattern) => pattern.test(text))) {
        this.fail(new Failure(`console error: ${text}`));
      }
      for (const waiter of [...this.waiters]) waiter(text);
    } else if (message.method === 'Runtime.exceptionThrown') {
      const details = message.params.exceptionDetails;
      this.fail(new Failure(`uncaught exception: ${details.exception?.description ?? details.text}`));
    } else if (message.method === 'Log.entryAdded' && message.params.entry.level === 'error') {
      this.fail(new Failure(`browser error: ${message.params.entry.text} ${message.params.entry.url ?? ''}`));
    }
  }

  /// Opens the page (with `query`, e.g. '?bench=16'); resolves when the navigation is under way.
  async navigate(query = '') {
    this.lines = [];
    const navigation = await this.devtools.send('Page.navigate', { url: this.url + query });
    if (navigation.errorText) throw new Failure(`cannot open ${this.url}${query}: ${navigation.errorText}`);
  }

  /// The first console line (since the navigation) that matches `pattern`.
  line(pattern, seconds, what) {
    const seen = this.lines.find((text) => pattern.test(text));
    const found = seen ? Promise.resolve(seen) : new Promise((resolve) => {
      const waiter = (text) => { if (pattern.test(text)) { this.waiters.delete(waiter); resolve(text); } };
      this.waiters.add(waiter);
    });
    return guard(Promise.race([found, this.failed]), seconds, what);
  }

  /// Console errors matching `pattern` are what the test provoked: they are lines, not failures.
  expectError(pattern) { this.expectedErrors.push(pattern); }

  /// Sends a DevTools protocol command.
  send(method, params = {}) { return this.devtools.send(method, params); }

  /// The next DevTools event named `method` (its parameters).
  event(method, seconds) {
    return guard(new Promise((resolve) => {
      const listener = (message) => {
        if (message.method === method) { this.devtools.listeners.delete(listener); resolve(message.params); }
      };
      this.devtools.listeners.add(listener);
    }), seconds, method);
  }

  /// Where the page drew the `index`-th item labelled `label` in its last whole frame (CSS pixels:
  /// {x, y, w, h}), waiting two frames at the least and 60 at the most; null when it drew none.
  async itemRect(label, index = 0) {
    // Two frames on at the least: a change just made (a session added) has moved the layout by
    // then. Something just opened (a popup) is drawn a few frames later: the page is asked again
    // each frame, for at most 60 of them.
    return JSON.parse(await this.evaluate(`new Promise((done) => {
        let frames = 0;
        const look = () => {
          const found = ++frames > 2 &&
            Module.ccall('threadlab_item_rect', 'string', ['string', 'number'], [${JSON.stringify(label)}, ${index}]);
          if ((found && found !== 'null') || frames > 60) done(found || 'null'); else requestAnimationFrame(look);
        };
        requestAnimationFrame(look);
      })`));
  }

  async evaluate(expression) {
    const result = await this.devtools.send('Runtime.evaluate', { expression, returnByValue: true, awaitPromise: true });
    if (result.exceptionDetails) throw new Failure(`in the page: ${expression}: ${result.exceptionDetails.text}`);
    return result.result.value;
  }

  /// A real mouse click on the `index`-th item labelled `label`, where the page drew it.
  async click(label, index = 0) {
    const rect = await this.itemRect(label, index);
    if (!rect) throw new Failure(`the page drew no "${label}" in 60 frames`);
    const x = rect.x + rect.w / 2;
    const y = rect.y + rect.h / 2;
    await this.devtools.send('Input.dispatchMouseEvent', { type: 'mouseMoved', x, y });
    await this.devtools.send('Input.dispatchMouseEvent', { type: 'mousePressed', x, y, button: 'left', buttons: 1, clickCount: 1 });
    await this.devtools.send('Input.dispatchMouseEvent', { type: 'mouseReleased', x, y, button: 'left', buttons: 0, clickCount: 1 });
    return { x, y };
  }

  /// A key pressed and released (`key` as the DOM names it, `keyCode` its virtual key code).
  async key(key, keyCode) {
    for (const type of ['keyDown', 'keyUp']) {
      await this.devtools.send('Input.dispatchKeyEvent', { type, key, code: key, windowsVirtualKeyCode: keyCode, nativeVirtualKeyCode: keyCode });
    }
  }

  /// Waits (at most `frames` animation frames) until `expression` is true in the page.
  async until(expression, what, frames = 120) {
    const met = await this.evaluate(`new Promise((done) => {
        let frames = 0;
        const look = () => { if (${expression}) done(true); else if (++frames > ${frames}) done(false); else requestAnimationFrame(look); };
        look();
      })`);
    if (!met) throw new Failure(`${what}: not after ${frames} frames`);
  }

  async screenshot() {
    const shot = await this.devtools.send('Page.captureScreenshot', { format: 'png' });
    return Buffer.from(shot.data, 'base64');
  }

  async close() {
    this.devtools?.close();
    for (const child of this.children.reverse()) {
      if (child.exitCode !== null || child.signalCode !== null) continue;
      const ended = new Promise((resolve) => child.once('exit', resolve));
      try { process.kill(-child.pid, 'SIGTERM'); } catch {}
      try { await guard(ended, 5, 'exit'); } catch { try { process.kill(-child.pid, 'SIGKILL'); } catch {} }
    }
    if (this.profileDir) rmSync(this.profileDir, { recursive: true, force: true });
  }
}
