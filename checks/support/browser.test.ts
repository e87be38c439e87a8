import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { browserContext, chromiumMissing, chromiumPath, closeBrowser, studentAppUnreachable } from './browser.ts';
import { solidPng } from './test-image.ts';

/** The browser support of lab 11's checks, with the real Chromium (the global set-up requires it). */
describe('checks/support/browser', () => {
  afterAll(() => closeBrowser(), 30_000);

  it('finds Chromium, honours CHROMIUM_PATH, and says how to install it when it is missing', () => {
    expect(chromiumPath()).toBeDefined();
    expect(chromiumMissing()).toBeUndefined();
    const saved = process.env.CHROMIUM_PATH;
    try {
      process.env.CHROMIUM_PATH = '/nonexistent/chromium';
      expect(chromiumPath()).toBeUndefined();
      expect(chromiumMissing()).toMatch(/^Chromium is not installed \(apt-get install chromium/);
    } finally {
      if (saved === undefined) delete process.env.CHROMIUM_PATH;
      else process.env.CHROMIUM_PATH = saved;
    }
  });

  it("says the student's app is unreachable under the root sandbox's own network namespace", () => {
    const saved = process.env.LAB_SANDBOX;
    try {
      process.env.LAB_SANDBOX = JSON.stringify({ isolateNetwork: true, heapMiB: 768 });
      expect(studentAppUnreachable()).toMatch(/network namespace of its own/);
      process.env.LAB_SANDBOX = JSON.stringify({ isolateNetwork: false, heapMiB: 1024 });
      expect(studentAppUnreachable()).toBeUndefined();
    } finally {
      if (saved === undefined) delete process.env.LAB_SANDBOX;
      else process.env.LAB_SANDBOX = saved;
    }
  });

  it('loads a page and reads an image natural size in headless Chromium; each context is fresh', { timeout: 60_000 }, async () => {
    const png = solidPng(13, 7, [1, 2, 3]);
    const server = createServer((req, res) => {
      if (req.url === '/p.png') res.writeHead(200, { 'content-type': 'image/png' }).end(png);
      else res.writeHead(200, { 'content-type': 'text/html', 'set-cookie': 'seen=1' }).end('<img id="p" src="/p.png">');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    try {
      const first = await browserContext();
      const page = await first.newPage();
      await page.goto(url);
      await page.waitForFunction(() => (document.querySelector('#p') as HTMLImageElement).complete);
      expect(await page.evaluate(() => [(document.querySelector('#p') as HTMLImageElement).naturalWidth, (document.querySelector('#p') as HTMLImageElement).naturalHeight])).toEqual([13, 7]);
      expect((await first.cookies()).map((c) => c.name)).toEqual(['seen']);
      await first.close();
      const second = await browserContext();
      expect(await second.cookies()).toEqual([]);
      await second.close();
    } finally {
      server.close();
    }
  });
});
