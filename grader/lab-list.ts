import type { LabHistory } from './lab-history.ts';
import { manifestPoints, type Lab } from './labs.ts';
import type { Style } from './scorecard.ts';

/** `npm run lab -- --list`: each lab's number, folder, title, points and the last score this copy got. */
export function renderLabList(labs: Lab[], history: LabHistory, style: Style): string {
  const rows = labs.map((lab) => {
    const last = history[lab.id]?.last;
    const score = last ? `${last.score}/${last.max_score}` : '–';
    const colour = !last ? style.dim : last.max_score > 0 && last.score === last.max_score ? style.green : style.yellow;
    const when = last ? style.dim(`  ${last.at.slice(0, 16).replace('T', ' ')} UTC`) : '';
    return { lab, columns: [`lab:${lab.number}`, lab.id, lab.manifest.title, `${manifestPoints(lab)} pts`], score: colour(score), when };
  });
  const widths = [0, 1, 2, 3].map((i) => Math.max(...rows.map((r) => r.columns[i]!.length)));
  const lines = rows.map((r) => `  ${r.columns.map((text, i) => text.padEnd(widths[i]!)).join('  ')}  ${r.score}${r.when}`);
  return [
    style.bold('Labs (npm run lab:N runs one; the last column is your last whole-lab score)'),
    ...lines,
    '',
  ].join('\n');
}
