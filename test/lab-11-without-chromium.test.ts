import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * Issue 11: where Chromium is not installed, lab 11's browser checks are "not gradable:
 * Chromium is not installed (apt-get install chromium)", never passed or failed, and the rest
 * is graded. CHROMIUM_PATH naming a file that does not exist stands for a machine without
 * Chromium; TODO 2 has two checks without a browser and one with.
 */
const root = fileURLToPath(new URL('..', import.meta.url));

interface Check {
  todo: number;
  name: string;
  status: string;
  message: string;
}

function gradeTodo2WithoutChromium(): Promise<{ code: number | null; result: { score: number; max_score: number; checks: Check[] }; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/lab.ts', '11', '--todo', '2', '--skip-program', '--json', '--seed', '11'], {
      cwd: root,
      env: { ...process.env, CHROMIUM_PATH: '/nonexistent/chromium' },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, result: JSON.parse(stdout), stderr }));
  });
}

describe('lab 11 on a machine without Chromium', () => {
  it('reports the browser check not gradable, saying how to install Chromium, and grades the others', { timeout: 300_000 }, async () => {
    const { code, result, stderr } = await gradeTodo2WithoutChromium();
    const byStatus = (status: string) => result.checks.filter((check) => check.status === status);
    expect(byStatus('not_gradable').map((check) => check.name), stderr).toEqual(['in Chromium, the gallery shows a picture loaded from S3 by its presigned URL (its natural size read in the page)']);
    expect(byStatus('not_gradable')[0]!.message).toMatch(/^not gradable: Chromium is not installed \(apt-get install chromium/);
    expect(byStatus('passed').length).toBe(2);
    expect(byStatus('failed')).toEqual([]);
    // Not gradable counts in neither the score nor the maximum: the solution still has full marks.
    expect([result.score, result.max_score]).toEqual([3, 3]);
    expect(code).toBe(0);
  });
});
