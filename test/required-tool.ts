import { inject } from 'vitest';

/**
 * Tools outside npm that some suites need. The global set-up (test/global-setup.ts)
 * provisions each one a selected test file names with `requireTool('<name>')` (or otherwise
 * mentions, see TOOLS there); what it could not provide it reports here, in one sentence
 * that says what to install.
 */
export type ToolName = 'awscli' | 'docker' | 'chromium' | 'moto';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Tool -> the sentence that says why it is missing and how to install it. */
    missingTools: Partial<Record<ToolName, string>>;
  }
}

/**
 * Fails (throws the global set-up's sentence) when the tool could not be provided; call it in
 * a suite's beforeAll. A suite never skips for a missing tool.
 */
export function requireTool(tool: ToolName): void {
  const missing = inject('missingTools')?.[tool];
  if (missing) throw new Error(missing);
}
