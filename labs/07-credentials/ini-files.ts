/**
 * The shared config and credentials files (~/.aws/config, ~/.aws/credentials) are INI
 * files: `[section]` headers, `key = value` lines, `#` or `;` comments. This reads one
 * into sections as written: `[default]`, `[profile dev]`, `[dev]` stay as they are;
 * which of them is a profile, and of which name, is for you to decide (TODO 1).
 * Keys are lower-cased (the SDK reads `AWS_ACCESS_KEY_ID = ...` too), values trimmed.
 */
export function parseIni(text: string): Record<string, Record<string, string>> {
  const sections: Record<string, Record<string, string>> = {};
  let current: Record<string, string> | undefined;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';')) continue;
    const header = /^\[([^\]]+)\]$/.exec(line);
    if (header) {
      current = sections[header[1]!.trim().replace(/\s+/g, ' ')] ??= {};
      continue;
    }
    const pair = /^([^=]+)=(.*)$/.exec(line);
    if (pair && current) current[pair[1]!.trim().toLowerCase()] = pair[2]!.trim();
  }
  return sections;
}
