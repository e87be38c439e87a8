import { readFileSync } from 'node:fs';

/**
 * Reads one section of an INI file, like Python's configparser in the course's
 * scripts: `[section]` headers, `key = value` (or `key: value`) lines, and `;` or `#`
 * comment lines. Values are strings; surrounding spaces are trimmed.
 */
export function readConfig(path: string | URL, section: string): Record<string, string> {
  const sections = parseIni(readFileSync(path, 'utf8'));
  const values = sections[section];
  if (!values) throw new Error(`${String(path)} has no [${section}] section`);
  return values;
}

export function parseIni(text: string): Record<string, Record<string, string>> {
  const sections: Record<string, Record<string, string>> = {};
  let current: Record<string, string> | undefined;
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = raw.trim();
    if (line === '' || line.startsWith(';') || line.startsWith('#')) return;
    const header = /^\[(.+)\]$/.exec(line);
    if (header) {
      current = sections[header[1]!.trim()] ??= {};
      return;
    }
    const pair = /^([^=:]+)[=:](.*)$/.exec(line);
    if (!pair || !current) throw new Error(`line ${index + 1} of the config is not "key = value" inside a [section]: ${raw}`);
    current[pair[1]!.trim()] = pair[2]!.trim();
  });
  return sections;
}
