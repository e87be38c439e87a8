import { existsSync } from 'node:fs';
import { chromium, type Browser, type BrowserContext } from 'playwright-core';
import { policyFromEnv } from '../../grader/student-sandbox.ts';

/**
 * Headless Chromium for checks that grade what a browser does (lab 11): Debian's
 * `chromium` package, driven by playwright-core through its executable path (nothing
 * is downloaded). One browser per check file, launched once (`warmUpBrowser()` in a
 * beforeAll, or on first use) and closed after the file (`closeBrowser()` in an afterAll);
 * each check gets a fresh browser context (its own cookies and cache) and pages.
 */
const CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/lib/chromium/chromium', '/usr/bin/google-chrome'];

/** CHROMIUM_PATH, or the first of the usual install paths that exists. */
export function chromiumPath(): string | undefined {
  const fromEnv = process.env.CHROMIUM_PATH;
  if (fromEnv) return existsSync(fromEnv) ? fromEnv : undefined;
  return CANDIDATES.find((path) => existsSync(path));
}

/** For `check({ unavailable })`: why a browser check cannot be graded here, if it cannot. */
export function chromiumMissing(): string | undefined {
  return chromiumPath() ? undefined : 'Chromium is not installed (apt-get install chromium, or set CHROMIUM_PATH)';
}

/**
 * For browser checks that visit a web app the student's code serves: besides Chromium, the
 * browser must reach that app. Batch grading as root runs the student's process in a
 * network namespace of its own (grader/student-sandbox.ts), whose loopback the browser
 * cannot reach, so such checks are not gradable there (the rest of the lab is).
 */
export function studentAppUnreachable(): string | undefined {
  if (policyFromEnv(process.env).isolateNetwork) {
    return "the student's process has a network namespace of its own (batch grading as root), so the browser cannot reach the web app it serves";
  }
  return chromiumMissing();
}

let launched: Promise<Browser> | undefined;

function browser(): Promise<Browser> {
  launched ??= chromium.launch({
    executablePath: chromiumPath(),
    headless: true,
    // Root (CI) cannot use Chromium's sandbox; the pages are the lab's own, on loopback.
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
  });
  return launched;
}

/** Closes the file's browser (from an afterAll). */
export async function closeBrowser(): Promise<void> {
  const running = launched;
  launched = undefined;
  if (running) await (await running).close();
}

/** Launches the file's browser ahead (from a beforeAll), so the first check does not pay for it. */
export async function warmUpBrowser(): Promise<void> {
  if (chromiumPath()) await browser();
}

/** A fresh context for one check; close it when the check ends. */
export async function browserContext(): Promise<BrowserContext> {
  return (await browser()).newContext();
}
