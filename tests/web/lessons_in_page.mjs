// Every built-in lesson, run in the page (headless Chromium) and natively (threadlab --headless),
// at the lesson's own pace: each prints which choice its run showed, and the two must agree, on
// the usual answer. A few minutes (the lessons' own length, twice), so not in the test command:
//   node --experimental-websocket tests/web/lessons_in_page.mjs PAGE_DIR THREADLAB_EXE
// Prints one line per lesson and exits 1 when any lesson's page run differs from its native run
// or shows something else than the usual answer.
import { execFileSync } from 'node:child_process';
import { ChromiumPage, Failure } from './chromium_page.mjs';

const [pageDir, exe] = process.argv.slice(2);
if (!pageDir || !exe) {
  console.error('usage: lessons_in_page.mjs PAGE_DIR THREADLAB_EXE');
  process.exit(2);
}
const lessons = execFileSync(exe, ['--list-lessons']).toString().trim().split('\n').map((line) => line.split(/\s+/)[0]);

/// "b)" or "none" from a verdict ("..., which matches b), the usual answer"), and whether usual.
function choiceOf(text) {
  const match = text.match(/which matches ([a-z])\)/);
  return { choice: match ? match[1] : 'none', usual: /the usual answer[.]?$|, the usual answer/.test(text) && !/not the usual/.test(text) };
}

// Natively first, all of them: a page left open draws frames all the time, which would slow the
// compute lessons' native runs.
const nativeResults = new Map();
for (const lesson of lessons) {
  const native = execFileSync(exe, ['--headless', '--lesson', lesson]).toString();
  nativeResults.set(lesson, native.match(/Result:\s+(.*)/)?.[1] ?? '(no result)');
}

let failed = 0;
const page = await ChromiumPage.open(pageDir);
try {
  for (const lesson of lessons) {
    const nativeResult = nativeResults.get(lesson);
    await page.navigate(`?lesson=${lesson}&run=1`);
    const ended = await page.line(/Lesson ended: /, 180, `the end of ${lesson} in the page`);
    const pageResult = ended.replace(/.*Lesson ended: /, '');
    const inPage = choiceOf(pageResult);
    const natively = choiceOf(nativeResult);
    const agree = inPage.choice === natively.choice && inPage.usual && natively.usual;
    if (!agree) failed++;
    console.log(`${agree ? 'same' : 'DIFFERENT'}  ${lesson.padEnd(24)} page: ${pageResult}\n${' '.repeat(32)}native: ${nativeResult}`);
  }
} catch (error) {
  console.error(`lessons_in_page FAILED: ${error instanceof Failure ? error.message : error.stack}`);
  failed++;
} finally {
  await page.close();
}
console.log(failed ? `${failed} lesson(s) differ` : `all ${lessons.length} lessons show the same, usual answer in the page and natively`);
process.exit(failed ? 1 : 0);
