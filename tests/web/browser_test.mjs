// The browser test of the web build (chromium_page.mjs drives the page):
//  1. the page loads, is cross-origin isolated (threads) and draws its first frame, with no
//     console error and no uncaught exception;
//  2. a real mouse click on "Add session" adds a session (its runner logs "Waiting for a task");
//  3. a real mouse click on the first card's "Click me" runs the seed's callback on the event
//     pool, and the log shows "Finished processing 1st click.";
//  4. a screenshot shows the dashboard (not a blank canvas: the test measures its contrast);
//  5. More… → Export trace hands the browser a download: a Chrome trace with the click's span;
//  6. the pool-of-two lesson, run from the address at a quarter of the time (2 s callbacks last
//     0.5 s), has its two clicks overlap: the second starts before the first finishes, and both
//     end about 0.5 s after the first began (one after the other would take 1 s).
//   node --experimental-websocket tests/web/browser_test.mjs PAGE_DIR SCREENSHOT.png
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
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

let page;
try {
  page = await ChromiumPage.open(pageDir);
  await run(page);
  await page.close();
  console.log(`browser test passed in ${((performance.now() - started) / 1000).toFixed(1)} s`);
} catch (error) {
  console.error(`browser test FAILED: ${error instanceof Failure ? error.message : error.stack}`);
  if (page) console.error(`the page's last lines:\n${page.lines.slice(-15).join('\n')}`);
  await page?.close();
  process.exit(1);
}
