/**
 * A picture of a batch's report.html as a browser shows it, for the docs:
 *
 *   npx tsx grader/reports/report-screenshot.ts OUT/report.html docs/images/report-html.png
 *
 * Headless Chromium (Debian's `chromium`, or CHROMIUM_PATH) driven by playwright-core,
 * the page opened from its file: report.html fetches nothing, so what is captured is the
 * file alone. The page's full height, 1000 px wide.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';

const CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/lib/chromium/chromium', '/usr/bin/google-chrome'];

export async function screenshotReport(html: string, png: string): Promise<void> {
  const executablePath = process.env.CHROMIUM_PATH ?? CANDIDATES.find((path) => existsSync(path));
  if (!executablePath) throw new Error('Chromium is not installed (apt-get install chromium, or set CHROMIUM_PATH).');
  // Root (CI) cannot use Chromium's sandbox; the page is a local file without script.
  const browser = await chromium.launch({ executablePath, headless: true, args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] });
  try {
    const page = await browser.newPage({ viewport: { width: 1000, height: 800 } });
    const requests: string[] = [];
    page.on('request', (request) => requests.push(request.url()));
    await page.goto(pathToFileURL(resolve(html)).href, { waitUntil: 'load' });
    const fetched = requests.filter((url) => !url.startsWith('file:'));
    if (fetched.length > 0) throw new Error(`report.html fetched ${fetched.join(', ')}: it must be self-contained.`);
    await page.screenshot({ path: png, fullPage: true });
  } finally {
    await browser.close();
  }
}

const [html, png] = process.argv.slice(2);
if (html && png) {
  screenshotReport(html, png).then(
    () => console.log(`Wrote ${png}`),
    (error: unknown) => {
      console.error(error instanceof Error ? error.message : String(error));
      process.exitCode = 1;
    },
  );
}
