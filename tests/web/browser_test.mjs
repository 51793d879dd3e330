// The browser test of the web build: serves the built page (scripts/serve-web.py), starts Debian's
// Chromium headless and drives it over the DevTools protocol (node's own WebSocket, no package):
//  1. the page loads, is cross-origin isolated (threads) and draws its first frame, with no
//     console error and no uncaught exception;
//  2. a real mouse click on "Add session" adds a session (its runner logs "Waiting for a task");
//  3. a real mouse click on the first card's "Click me" runs the seed's callback on the event
//     pool, and the log shows "Finished processing 1st click.";
//  4. a screenshot shows the dashboard (not a blank canvas: the test measures its contrast).
// Every wait is on an event of the page; a timeout only guards against a hang. Every process it
// started is stopped, whatever happens.
//   node --experimental-websocket tests/web/browser_test.mjs PAGE_DIR SCREENSHOT.png
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const [pageDir, screenshotPath] = process.argv.slice(2);
if (!pageDir || !screenshotPath) {
  console.error('usage: browser_test.mjs PAGE_DIR SCREENSHOT.png');
  process.exit(2);
}
const repo = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const started = performance.now();
const elapsed = () => ((performance.now() - started) / 1000).toFixed(2);
const say = (text) => console.log(`[${elapsed()} s] ${text}`);
class Failure extends Error {}
const children = [];
let profileDir = null;

function guard(promise, seconds, what) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Failure(`no ${what} after ${seconds} s`)), seconds * 1000);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

function startProcess(name, command, args, readyPattern) {
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  children.push({ name, child });
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

async function stopAll() {
  for (const { child } of children.reverse()) {
    if (child.exitCode !== null || child.signalCode !== null) continue;
    const ended = new Promise((resolve) => child.once('exit', resolve));
    try { process.kill(-child.pid, 'SIGTERM'); } catch {}
    try { await guard(ended, 5, 'exit'); } catch { try { process.kill(-child.pid, 'SIGKILL'); } catch {} }
  }
  if (profileDir) rmSync(profileDir, { recursive: true, force: true });
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

async function main() {
  const pageUrl = await guard(startProcess('server', 'python3', [join(repo, 'scripts', 'serve-web.py'), '0', pageDir],
    /(http:\/\/\S+)/), 15, 'address from the server');
  say(`serving ${pageUrl}`);
  profileDir = mkdtempSync(join(tmpdir(), 'threadlab-chromium-'));
  const browserUrl = await guard(startProcess('chromium', 'chromium', [
    '--headless=new', '--no-sandbox', '--use-angle=swiftshader', '--enable-unsafe-swiftshader',
    '--remote-debugging-port=0', `--user-data-dir=${profileDir}`, '--window-size=1280,720',
    '--no-first-run', '--no-default-browser-check', '--disable-extensions', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', '--mute-audio', 'about:blank'],
    /DevTools listening on (ws:\/\/\S+)/), 60, 'DevTools address from Chromium');
  const port = new URL(browserUrl).port;
  const targets = await (await fetch(`http://127.0.0.1:${port}/json/list`)).json();
  const target = targets.find((candidate) => candidate.type === 'page');
  if (!target) throw new Failure('Chromium has no page to drive');
  const page = new DevTools(target.webSocketDebuggerUrl);
  await guard(page.open(), 10, 'DevTools connection');

  // Everything the page says; an error or exception fails the test at once.
  const lines = [];
  let failPage;
  const pageFailed = new Promise((_, reject) => { failPage = reject; });
  pageFailed.catch(() => {});
  const waiters = new Set();
  page.listeners.add((message) => {
    if (message.method === 'Runtime.consoleAPICalled') {
      const text = message.params.args.map((arg) => arg.value ?? arg.description ?? '').join(' ');
      lines.push(text);
      if (message.params.type === 'error') failPage(new Failure(`console error: ${text}`));
      for (const waiter of [...waiters]) waiter(text);
    } else if (message.method === 'Runtime.exceptionThrown') {
      const details = message.params.exceptionDetails;
      failPage(new Failure(`uncaught exception: ${details.exception?.description ?? details.text}`));
    } else if (message.method === 'Log.entryAdded' && message.params.entry.level === 'error') {
      failPage(new Failure(`browser error: ${message.params.entry.text} ${message.params.entry.url ?? ''}`));
    }
  });
  const line = (pattern, seconds, what) => {
    const seen = lines.find((text) => pattern.test(text));
    const found = seen ? Promise.resolve(seen) : new Promise((resolve) => {
      const waiter = (text) => { if (pattern.test(text)) { waiters.delete(waiter); resolve(text); } };
      waiters.add(waiter);
    });
    return guard(Promise.race([found, pageFailed]), seconds, what);
  };
  const evaluate = async (expression) => {
    const result = await page.send('Runtime.evaluate', { expression, returnByValue: true, awaitPromise: true });
    if (result.exceptionDetails) throw new Failure(`in the page: ${expression}: ${result.exceptionDetails.text}`);
    return result.result.value;
  };
  const click = async (label, index = 0) => {
    // Where the last whole frame drew it, after two more frames: a change just made (a session
    // added) has moved the layout by then.
    await evaluate('new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(() => done(true))))');
    const rect = JSON.parse(await evaluate(`Module.ccall('threadlab_item_rect', 'string', ['string', 'number'], ['${label}', ${index}])`));
    if (!rect) throw new Failure(`the page drew no "${label}" button`);
    const x = rect.x + rect.w / 2;
    const y = rect.y + rect.h / 2;
    await page.send('Input.dispatchMouseEvent', { type: 'mouseMoved', x, y });
    await page.send('Input.dispatchMouseEvent', { type: 'mousePressed', x, y, button: 'left', buttons: 1, clickCount: 1 });
    await page.send('Input.dispatchMouseEvent', { type: 'mouseReleased', x, y, button: 'left', buttons: 0, clickCount: 1 });
    say(`clicked "${label}" at ${x.toFixed(0)},${y.toFixed(0)}`);
  };

  await Promise.all([page.send('Runtime.enable'), page.send('Log.enable'), page.send('Page.enable')]);
  await page.send('Emulation.setDeviceMetricsOverride', { width: 1280, height: 720, deviceScaleFactor: 1, mobile: false });
  const navigated = performance.now();
  const navigation = await page.send('Page.navigate', { url: pageUrl });
  if (navigation.errorText) throw new Failure(`cannot open ${pageUrl}: ${navigation.errorText}`);
  const first = await line(/threadlab: first frame drawn/, 60, 'first frame');
  say(`${first} (${((performance.now() - navigated) / 1000).toFixed(2)} s by the test's clock)`);
  if (!(await evaluate('crossOriginIsolated'))) throw new Failure('the page is not cross-origin isolated: no threads');
  await line(/threadlab log: .* #4 Waiting for a task/, 30, 'the fourth runner waiting for a task');

  await click('Add session');
  await line(/threadlab log: .* #5 Waiting for a task/, 30, 'a fifth session');
  await click('Click me', 0);
  await line(/threadlab log: .* #1 (Processing|Running|Started|Finished)/, 30, 'session #1 taking the click').catch(async (error) => {
    const shot = await page.send('Page.captureScreenshot', { format: 'png' });
    writeFileSync(screenshotPath, Buffer.from(shot.data, 'base64'));
    console.error(lines.slice(-15).join('\n'));
    throw error;
  });
  const finished = await line(/threadlab log: .* #1 Finished processing 1st click\./, 30, '"Finished processing 1st click."');
  say(`seen: ${finished}`);

  const shot = await page.send('Page.captureScreenshot', { format: 'png' });
  writeFileSync(screenshotPath, Buffer.from(shot.data, 'base64'));
  const contrast = Number(execFileSync('convert', [screenshotPath, '-colorspace', 'Gray', '-format', '%[fx:standard_deviation]', 'info:']).toString());
  say(`screenshot ${screenshotPath}: grey-level standard deviation ${contrast.toFixed(3)}`);
  if (!(contrast > 0.05)) throw new Failure(`the screenshot looks blank (standard deviation ${contrast})`);
  page.close();
}

try {
  await main();
  await stopAll();
  console.log(`browser test passed in ${elapsed()} s`);
} catch (error) {
  console.error(`browser test FAILED: ${error instanceof Failure ? error.message : error.stack}`);
  await stopAll();
  process.exit(1);
}
