/** `--labs 2,3`, `--labs "2 3"`, `--labs "2, 3"`. */
export function parseLabs(text: string): number[] {
  const parts = text.split(/[\s,]+/).filter(Boolean);
  const labs = parts.map(Number);
  if (parts.length === 0 || labs.some((n) => !Number.isInteger(n))) throw new Error(`--labs takes lab numbers separated by commas or spaces, e.g. 2,3; got ${JSON.stringify(text)}`);
  return labs;
}
