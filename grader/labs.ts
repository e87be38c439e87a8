import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Capability } from '../backends/backend.ts';

/** labs/NN-name/lab.json: what the scorecard and the release need to know about a lab. */
export interface LabManifest {
  title: string;
  /** AWS services the lab uses, e.g. ["s3"]. */
  services: string[];
  /** The lab's program, run before grading (relative to the lab folder). */
  program: string;
  todos: Array<{ todo: number; title: string; points: number }>;
  /** Capabilities some checks need; a backend without them grades the rest. */
  capabilities: Capability[];
}

export interface Lab {
  number: number;
  /** The folder name, e.g. "02-buckets". */
  id: string;
  /** labs/NN-name in the project. */
  dir: string;
  manifest: LabManifest;
  /** checks/NN-name.check.ts and checks/NN-name.hidden.check.ts, those that exist. */
  checkFiles: string[];
}

/** Every lab under `<root>/labs`, in number order. */
export function listLabs(root: string): Lab[] {
  const labsDir = join(root, 'labs');
  if (!existsSync(labsDir)) return [];
  return readdirSync(labsDir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && /^\d{2}-[a-z0-9-]+$/.test(entry.name))
    .filter((entry) => existsSync(join(labsDir, entry.name, 'lab.json')))
    .map((entry) => loadLab(root, entry.name))
    .sort((a, b) => a.number - b.number);
}

/** The lab with this number under `<root>/labs`, or an error that lists the labs there are. */
export function findLab(root: string, number: number): Lab {
  return pickLab(listLabs(root), number);
}

/** The lab with this number among labs already listed, or an error that lists them. */
export function pickLab(labs: Lab[], number: number): Lab {
  const lab = labs.find((l) => l.number === number);
  if (!lab) {
    const available = labs.map((l) => `${l.number} (${l.manifest.title})`).join(', ') || 'none';
    throw new Error(`There is no lab ${number}. Labs available: ${available}.`);
  }
  return lab;
}

function loadLab(root: string, id: string): Lab {
  const dir = join(root, 'labs', id);
  const manifest = JSON.parse(readFileSync(join(dir, 'lab.json'), 'utf8')) as LabManifest;
  const checkFiles = [`checks/${id}.check.ts`, `checks/${id}.hidden.check.ts`].filter((file) => existsSync(join(root, file)));
  return { number: Number(id.slice(0, 2)), id, dir, manifest, checkFiles };
}

/** The points a lab is worth by its manifest: what a lab that could not be graded is out of. */
export function manifestPoints(lab: Lab): number {
  return lab.manifest.todos.reduce((sum, todo) => sum + todo.points, 0);
}

/**
 * The folder to grade. `--submission DIR` may be a copy of the whole labs folder
 * (DIR/02-buckets is used) or of the lab folder itself.
 */
export function resolveSubmission(lab: Lab, submission: string | undefined): string {
  if (!submission) return lab.dir;
  const dir = resolve(submission);
  const nested = join(dir, lab.id);
  if (existsSync(join(nested, lab.manifest.program))) return nested;
  if (existsSync(join(dir, lab.manifest.program))) return dir;
  throw new Error(`--submission ${submission}: found neither ${join(lab.id, lab.manifest.program)} nor ${lab.manifest.program} there.`);
}
