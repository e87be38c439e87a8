import { BUCKETS, bucketLabel, classStats, mostFailed, percent, seconds, type LabStats } from './class-stats.ts';
import type { StudentReport } from './student-report.ts';

/**
 * report.html: summary.md for instructors who would rather look than read. One file,
 * nothing fetched (inline style, inline SVG, no script), so it opens from an artifact's
 * zip as well as from a web server. Per lab: an SVG histogram of the scores (only for a
 * lab someone has a score in), every check's pass rate and median time, the most-failed
 * checks with their hints; then the students.
 */
export function toReportHtml(reports: StudentReport[], labIds: string[], title = 'Grading report'): string {
  const labs = classStats(reports, labIds);
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${html(title)}</title>
<style>${STYLE}</style>
</head>
<body>
<h1>${html(title)}</h1>
<p>${reports.length} submission(s); lab${labIds.length === 1 ? '' : 's'} ${labIds.map(html).join(', ') || 'none'}.</p>
${labs.map(labSection).join('\n')}
<section>
<h2>Students</h2>
<table>
<thead><tr><th>student</th>${labIds.map((id) => `<th class="n">${html(id)}</th>`).join('')}<th class="n">total</th><th>status</th></tr></thead>
<tbody>
${reports
  .map((report) => {
    const byLab = new Map(report.labs.map((l) => [l.lab, l]));
    const cells = labIds.map((id) => `<td class="n">${byLab.has(id) ? `${byLab.get(id)!.score}/${byLab.get(id)!.max_score}` : ''}</td>`).join('');
    return `<tr><td>${html(report.student)}</td>${cells}<td class="n">${report.score}/${report.max_score}</td><td>${html(report.status)}</td></tr>`;
  })
  .join('\n')}
</tbody>
</table>
</section>
</body>
</html>
`;
}

function labSection(lab: LabStats): string {
  const parts = [`<section>`, `<h2>Lab ${html(lab.lab)}</h2>`];
  if (lab.students === 0) parts.push('<p>No submission has a result for this lab.</p>');
  else if (lab.scored === 0) parts.push(`<p>No scores: ${lab.errors} of ${lab.students} submission(s) could not be graded.</p>`);
  else {
    parts.push(
      `<p>mean ${lab.mean!.toFixed(1)} / ${lab.max}, median ${lab.median} / ${lab.max}, full marks: ${lab.full_marks}${lab.errors ? `, not graded: ${lab.errors}` : ''}; median time per submission ${seconds(lab.median_seconds)}</p>`,
      histogramSvg(lab),
    );
  }
  if (lab.checks.length > 0) {
    parts.push(
      '<table>',
      '<thead><tr><th class="n">TODO</th><th>check</th><th class="n">points</th><th class="n">passed</th><th class="n">failed</th><th>pass rate</th><th class="n">median time</th></tr></thead>',
      '<tbody>',
      ...lab.checks.map(
        (check) =>
          `<tr><td class="n">${check.todo}</td><td>${html(check.name)}${check.hidden ? ' <span class="tag">hidden</span>' : ''}</td><td class="n">${check.max_points}</td>` +
          `<td class="n">${check.passed}</td><td class="n">${check.failed}</td><td class="nowrap">${rateBar(check.pass_rate)}</td><td class="n">${seconds(check.median_seconds)}</td></tr>`,
      ),
      '</tbody>',
      '</table>',
    );
    const failed = mostFailed(lab);
    if (failed.length > 0) {
      parts.push(
        '<h3>Most failed</h3>',
        '<ol>',
        ...failed.map((check) => `<li><strong>TODO ${check.todo}: ${html(check.name)}</strong>: failed by ${check.failed} of ${check.passed + check.failed}.<br><span class="hint">Hint: ${withCode(html(check.hint)) || '(none)'}</span></li>`),
        '</ol>',
      );
    }
  }
  parts.push('</section>');
  return parts.join('\n');
}

const BAR = 40;
const GAP = 8;
const HEIGHT = 140;

/** Students per tenth of the maximum, as bars with their counts and ranges. */
export function histogramSvg(lab: LabStats): string {
  const top = Math.max(1, ...lab.histogram);
  const width = BUCKETS * (BAR + GAP) + GAP;
  const bars = lab.histogram.map((count, i) => {
    const height = Math.round((count / top) * HEIGHT);
    const x = GAP + i * (BAR + GAP);
    const y = 20 + HEIGHT - height;
    return (
      `<g><title>${bucketLabel(i)}: ${count} student(s)</title>` +
      `<rect class="bar" x="${x}" y="${y}" width="${BAR}" height="${height}"/>` +
      `<text x="${x + BAR / 2}" y="${y - 4}" text-anchor="middle">${count}</text>` +
      `<text class="axis" x="${x + BAR / 2}" y="${20 + HEIGHT + 16}" text-anchor="middle">${i * 10}</text></g>`
    );
  });
  return (
    `<svg class="histogram" role="img" aria-label="Scores of lab ${html(lab.lab)} in tenths of ${lab.max} points" xmlns="http://www.w3.org/2000/svg" width="${width}" height="${HEIGHT + 60}" viewBox="0 0 ${width} ${HEIGHT + 60}">` +
    `<line class="base" x1="0" y1="${20 + HEIGHT}" x2="${width}" y2="${20 + HEIGHT}"/>${bars.join('')}` +
    `<text class="axis" x="${width / 2}" y="${HEIGHT + 56}" text-anchor="middle">% of ${lab.max} points</text></svg>`
  );
}

function rateBar(rate: number | undefined): string {
  if (rate === undefined) return 'n/a';
  const width = Math.round(rate * 100);
  return `<span class="rate"><span class="fill" style="width:${width}px"></span></span> ${percent(rate)}`;
}

/** `code` in a hint (escaped already) shown as code. */
function withCode(escaped: string): string {
  return escaped.replace(/`([^`]+)`/g, '<code>$1</code>');
}

/** Text in HTML: markup, quotes and ampersands escaped (report text comes from student output). */
export function html(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

const STYLE = `
body { font: 14px/1.45 system-ui, sans-serif; margin: 2em auto; max-width: 60em; padding: 0 1em; color: #1d2329; }
h1 { font-size: 1.6em; } h2 { margin-top: 2em; border-bottom: 1px solid #d6dbe0; } h3 { font-size: 1.05em; }
table { border-collapse: collapse; margin: 1em 0; } th, td { padding: 0.25em 0.6em; border-bottom: 1px solid #e6e9ec; text-align: left; vertical-align: top; }
th { background: #f3f5f7; } .n { text-align: right; font-variant-numeric: tabular-nums; }
.histogram .bar { fill: #3b7dd8; } .histogram text { font-size: 12px; fill: #1d2329; } .histogram .axis { fill: #5f6b76; } .histogram .base { stroke: #8a96a1; }
.rate { display: inline-block; width: 100px; height: 0.7em; background: #f0d5d5; vertical-align: middle; } .rate .fill { display: block; height: 100%; background: #3f9c5a; }
.nowrap { white-space: nowrap; } code { font: 0.92em ui-monospace, monospace; background: #f3f5f7; padding: 0 0.2em; border-radius: 3px; }
.tag { font-size: 0.8em; background: #eef0f3; border-radius: 3px; padding: 0 0.3em; color: #5f6b76; } .hint { color: #4a5560; }
`;
