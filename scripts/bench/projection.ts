import { shardOf } from '../../grader/batch/shard.ts';

/**
 * `npm run bench`'s projection for a class past one machine: from the batch benchmark's
 * measured rate on this machine, submissions per minute per runner, and the grading wall
 * time of a class on n matrix runners (templates/instructor/grade-class-matrix.yml), each
 * assumed as fast as this machine. The slowest runner decides: the largest shard, found by
 * splitting `students` made-up names with the real shard hash (shard.ts), not students / n.
 * Each job's checkout, `npm ci` and the fetch of the submissions are not in it.
 */
export interface Projection {
  perMinutePerRunner: number;
  students: number;
  runners: Array<{ count: number; largestShard: number; minutes: number }>;
}

export function project(submissions: number, seconds: number, options: { students?: number; runners?: number[] } = {}): Projection {
  const students = options.students ?? 500;
  const perMinutePerRunner = submissions / (seconds / 60);
  const names = Array.from({ length: students }, (_, i) => `student-${String(i + 1).padStart(3, '0')}`);
  return {
    perMinutePerRunner,
    students,
    runners: (options.runners ?? [1, 4, 10, 20]).map((count) => {
      const sizes = new Array<number>(count).fill(0);
      for (const name of names) sizes[shardOf(name, count) - 1]!++;
      const largestShard = Math.max(...sizes);
      return { count, largestShard, minutes: largestShard / perMinutePerRunner };
    }),
  };
}

export function projectionLine(projection: Projection, machine: string): string {
  const runs = projection.runners.map((r) => `${formatMinutes(r.minutes)} on ${r.count} runner${r.count === 1 ? '' : 's'} (largest shard ${r.largestShard})`);
  return (
    `projection: ${projection.perMinutePerRunner.toFixed(1)} submissions/min per runner like this machine (${machine}); ` +
    `${projection.students} students: ${runs.join(', ')}; grading only, each job's checkout and npm ci come on top`
  );
}

function formatMinutes(minutes: number): string {
  return minutes < 1 ? `${Math.round(minutes * 60)} s` : minutes < 90 ? `${minutes.toFixed(1)} min` : `${(minutes / 60).toFixed(1)} h`;
}
