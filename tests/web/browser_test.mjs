// The browser test of the web build (chromium_page.mjs drives the page):
//  1. the page loads, is cross-origin isolated (threads) and draws its first frame, with no
//     console error and no uncaught exception;
//  2. a real mouse click on "Add session" adds a session (its runner logs "Waiting for a task");
//  3. a real mouse click on the first card's "Click me" runs the seed's callback on the event
//     pool, and the log shows "Finished processing 1st click.";
//  4. a screenshot shows the dashboard (not a blank canvas: the test measures its contrast);
//  5. More… → Export trace hands the browser a download: a Chrome trace with the click's span;
//  6. More… → Open trace… opens the browser's file dialog; the exported trace chosen there is
//     replayed (with its spans), and Back to live returns to the sessions;
//  7. a file that is not a trace, dropped on the page, is refused with its name in the console
//     (and the status line), and the page stays live;
//  8. presenter mode (F2) is remembered by the browser: the next visit opens in it, larger;
//  9. a page zoomed to twice the pixel density (devicePixelRatio 2) is drawn at twice the
//     resolution, its type the same size on the screen;
// 10. the pool-of-two lesson, run from the address at a quarter of the time (2 s callbacks last
//     0.5 s), has its two clicks overlap: the second starts before the first finishes, and both
//     end about 0.5 s after the first began (one after the other would take 1 s);
// 11. served as a static host that cannot set headers serves it (no COOP/COEP), the page installs
//     its service worker (headers.js), reloads once, and draws its first frame cross-origin
//     isolated through it, with no console error (before the reload threadlab.js does not run).
//   node --experimental-websocket tests/web/browser_test.mjs PAGE_DIR SCREENSHOT.png
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ChromiumPage, Failure } from './chromium_page.mjs';

const [pageDir, screenshotPath] = process.argv.slice(2);
if (!pageDir || !screenshotPath) {
  console.error('usage: browser_test.mjs PAGE_DIR SCREENSHOT.png');
  process.exit(2);
}
const started = performance.now();
const say = (text) => console.log(`[${((performance.now() - started) / 1000).toFixed(2)} s] ${text}`);

async function run(page) {
  const navigated = performance.now();
  await page.navigate();
  const first = await page.line(/threadlab: first frame drawn/, 60, 'first frame');
  say(`${first} (${((performance.now() - navigated) / 1000).toFixed(2)} s by the test's clock)`);
  if (!(await page.evaluate('crossOriginIsolated'))) throw new Failure('the page is not cross-origin isolated: no threads');
  await page.line(/threadlab log: .* #4 Waiting for a task/, 30, 'the fourth runner waiting for a task');

  await page.click('Add session');
  await page.line(/threadlab log: .* #5 Waiting for a task/, 30, 'a fifth session');
  await page.click('Click me', 0);
  say(`seen: ${await page.line(/threadlab log: .* #1 Finished processing 1st click\./, 30, '"Finished processing 1st click."')}`);

  writeFileSync(screenshotPath, await page.screenshot());
  const contrast = Number(execFileSync('convert', [screenshotPath, '-colorspace', 'Gray', '-format', '%[fx:standard_deviation]', 'info:']).toString());
  say(`screenshot ${screenshotPath}: grey-level standard deviation ${contrast.toFixed(3)}`);
  if (!(contrast > 0.05)) throw new Failure(`the screenshot looks blank (standard deviation ${contrast})`);

  // What the page hands the browser to download: the link it clicks (its name and its content).
  await page.evaluate(`(globalThis.offered = new Promise((offer) => document.addEventListener('click', (event) => {
      if (event.target.download) offer(fetch(event.target.href).then((response) => response.text())
        .then((text) => ({ name: event.target.download, text })));
    }, true)), true)`);
  await page.click('More...');
  await page.click('Export trace');
  const offered = await page.evaluate('globalThis.offered');
  const trace = JSON.parse(offered.text);
  const clicks = trace.traceEvents.filter((event) => event.ph === 'X' && /click/.test(event.name));
  say(`Export trace: the browser was offered ${offered.name}, ${offered.text.length} bytes, ${trace.traceEvents.length} events, ${clicks.length} click span(s)`);
  if (!/^threadlab-trace-.*\.json$/.test(offered.name) || clicks.length < 1) {
    throw new Failure(`Export trace offered ${offered.name} with ${clicks.length} click spans`);
  }

  // Every span but the submits, which the reader folds into the spans they started.
  await replay(page, offered, trace.traceEvents.filter((event) => event.ph === 'X' && event.cat !== 'submit').length);
  await remembersPresenter(page);
  await followsPixelRatio(page);

  await page.navigate('?lesson=pool-of-two&run=1&time-scale=0.25');
  const at = (text) => Number(text.match(/\+([0-9.]+) s/)[1]);
  const firstStarted = at(await page.line(/#1 Button clicked for the 1st time/, 60, 'the lesson\'s first click'));
  const secondStarted = at(await page.line(/#1 Button clicked for the 2nd time/, 30, 'the lesson\'s second click'));
  const firstFinished = at(await page.line(/#1 Finished processing 1st click\./, 30, 'the first click to finish'));
  const secondFinished = at(await page.line(/#1 Finished processing 2nd click\./, 30, 'the second click to finish'));
  const span = Math.max(firstFinished, secondFinished) - firstStarted;
  say(`pool-of-two: clicks started at +${firstStarted} s and +${secondStarted} s, finished at +${firstFinished} s and +${secondFinished} s: ${span.toFixed(3)} s in all`);
  if (!(secondStarted < firstFinished)) throw new Failure('pool-of-two: the second click did not start before the first finished');
  if (!(span < 0.8)) throw new Failure(`pool-of-two: the two 0.5 s clicks took ${span.toFixed(3)} s, as if one after the other`);
}

const files = mkdtempSync(join(tmpdir(), 'threadlab-browser-test-'));

async function replay(page, offered, spansInFile) {
  const tracePath = join(files, offered.name);
  writeFileSync(tracePath, offered.text);
  await page.send('Page.setInterceptFileChooserDialog', { enabled: true });
  // The More… menu is still open after Export trace.
  if (!(await page.itemRect('Open trace...'))) await page.click('More...');
  const chooser = page.event('Page.fileChooserOpened', 30);
  await page.click('Open trace...');
  const { backendNodeId } = await chooser;
  await page.send('DOM.setFileInputFiles', { files: [tracePath], backendNodeId });
  const replaying = await page.line(/threadlab: replaying .*: \d+ spans/, 30, 'the chosen trace replayed');
  const spans = Number(replaying.match(/: (\d+) spans/)[1]);
  say(`Open trace: ${replaying}`);
  if (!replaying.includes(offered.name) || spans !== spansInFile || spans < 1) {
    throw new Failure(`the replay of ${offered.name} has ${spans} spans (the file has ${spansInFile})`);
  }
  writeFileSync(screenshotPath.replace(/\.png$/, '-replay.png'), await page.screenshot());
  await page.click('Back to live');
  if (!(await page.itemRect('Add session'))) throw new Failure('Back to live: no "Add session" drawn');

  const badPath = join(files, 'not-a-trace.json');
  writeFileSync(badPath, '{ "traceEvents": [ this is not JSON');
  page.expectError(/threadlab: replay: not-a-trace\.json:/);
  const data = { items: [], files: [badPath], dragOperationsMask: 1 };
  for (const type of ['dragEnter', 'dragOver', 'drop']) {
    await page.send('Input.dispatchDragEvent', { type, x: 640, y: 400, data });
  }
  say(`dropped a bad file: ${await page.line(/threadlab: replay: not-a-trace\.json:/, 30, 'the dropped file refused')}`);
  if (!(await page.itemRect('Add session'))) throw new Failure('after a bad file: the page is not live');
}

async function remembersPresenter(page) {
  const normal = await page.itemRect('Add session');
  await page.key('F2', 113);
  await page.until(`localStorage.getItem('threadlab.presenter') === '1'`, 'F2 remembered in local storage');
  await page.navigate();
  await page.line(/threadlab: first frame drawn/, 60, 'first frame of the second visit');
  const presenter = await page.itemRect('Add session');
  say(`presenter mode remembered: "Add session" ${normal.h} px high, on the next visit ${presenter.h} px`);
  if (!(presenter.h > normal.h * 1.15)) throw new Failure('the next visit did not open in presenter mode');
  await page.key('F2', 113);
  await page.until(`localStorage.getItem('threadlab.presenter') === '0'`, 'F2 off remembered in local storage');
}

async function followsPixelRatio(page) {
  const before = await page.itemRect('Add session');
  await page.send('Emulation.setDeviceMetricsOverride', { width: 1280, height: 720, deviceScaleFactor: 2, mobile: false });
  await page.until('Module.canvas.width === 2560', 'the drawing buffer at devicePixelRatio 2');
  const after = await page.itemRect('Add session');
  say(`devicePixelRatio 1 -> 2: canvas ${await page.evaluate('Module.canvas.width')} px wide, "Add session" ${before.h} -> ${after.h} CSS px high`);
  await page.send('Emulation.setDeviceMetricsOverride', { width: 1280, height: 720, deviceScaleFactor: 1, mobile: false });
  if (!(Math.abs(after.h - before.h) < before.h * 0.15)) throw new Failure('at devicePixelRatio 2 the type changed size on the screen');
  await page.until('Module.canvas.width === 1280', 'the drawing buffer back at devicePixelRatio 1');
}

async function servedWithoutHeaders(page) {
  const navigated = performance.now();
  await page.navigate();
  await page.line(/threadlab: first frame drawn/, 60, 'first frame through the service worker');
  const seconds = ((performance.now() - navigated) / 1000).toFixed(2);
  if (!(await page.evaluate('crossOriginIsolated'))) throw new Failure('without headers: the page is not cross-origin isolated');
  const worker = await page.evaluate('navigator.serviceWorker.controller && navigator.serviceWorker.controller.scriptURL');
  if (!/headers\.js$/.test(worker || '')) throw new Failure(`without headers: the page is not controlled by headers.js (${worker})`);
  say(`served without headers: isolated through ${worker}, first frame ${seconds} s after navigation (one reload)`);
}

let page;
try {
  page = await ChromiumPage.open(pageDir);
  await run(page);
  await page.close();
  page = await ChromiumPage.open(pageDir, { isolationHeaders: false });
  await servedWithoutHeaders(page);
  await page.close();
  rmSync(files, { recursive: true, force: true });
  console.log(`browser test passed in ${((performance.now() - started) / 1000).toFixed(1)} s`);
} catch (error) {
  console.error(`browser test FAILED: ${error instanceof Failure ? error.message : error.stack}`);
  if (page) console.error(`the page's last lines:\n${page.lines.slice(-15).join('\n')}`);
  await page?.close();
  rmSync(files, { recursive: true, force: true });
  process.exit(1);
}
