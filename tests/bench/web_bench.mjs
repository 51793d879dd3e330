// The web build's benchmark rows (scripts/bench.sh): the time from navigation to the first drawn
// frame, and at 16 and 64 busy sessions (threadlab.html?bench=N, the load of threadlab --bench-ui)
// the time to build the dashboard's frame (what --bench-ui measures natively) and the whole frame
// with its WebGL calls, in headless Chromium on SwiftShader's software WebGL.
//   node --experimental-websocket tests/bench/web_bench.mjs PAGE_DIR
import { ChromiumPage, Failure } from '../web/chromium_page.mjs';

const [pageDir] = process.argv.slice(2);
if (!pageDir) {
  console.error('usage: web_bench.mjs PAGE_DIR');
  process.exit(2);
}
const row = (what, value) => console.log(`| ${what.padEnd(58)} | ${value.padEnd(44)} |`);

let page;
try {
  page = await ChromiumPage.open(pageDir);
  const firsts = [];
  for (let run = 0; run < 3; ++run) {
    const navigated = performance.now();
    await page.navigate(`?run=${run}`);
    await page.line(/threadlab: first frame drawn/, 60, 'first frame');
    firsts.push((performance.now() - navigated) / 1000);
  }
  firsts.sort((a, b) => a - b);
  row('web: navigation to first frame (Chromium, 3 loads)', `median ${firsts[1].toFixed(2)} s (${firsts[0].toFixed(2)}–${firsts[2].toFixed(2)})`);
  for (const sessions of [16, 64]) {
    await page.navigate(`?bench=${sessions}`);
    const line = await page.line(/threadlab bench:/, 180, `the benchmark's line at ${sessions} sessions`);
    const [dashboard, withWebGL] = line.replace(/.*frames: dashboard /, '').split('; with WebGL ');
    row(`web: ${sessions} busy sessions: dashboard's frame`, dashboard);
    row(`web: ${sessions} busy sessions: frame with WebGL calls`, withWebGL);
  }
  await page.close();
} catch (error) {
  console.error(`web benchmark FAILED: ${error instanceof Failure ? error.message : error.stack}`);
  await page?.close();
  process.exit(1);
}
