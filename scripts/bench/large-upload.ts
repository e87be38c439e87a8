/**
 * `npm run bench -- --only upload`: a 200 MiB object through lib-storage Upload into a fresh
 * embedded emulator and back (measureLargeUpload), with its time and peak RSS. The peer figure
 * is a 20 MiB upload measured in the same run: if the emulator buffered whole objects, the
 * 200 MiB upload's RSS growth would be about ten times the 20 MiB one's; bounded memory keeps
 * the two close. Each size runs in its own process so neither inherits the other's heap.
 * The limit is the largest size uploaded into a null sink (parts read and dropped), in the same
 * run: the emulator's upload throughput is printed as a fraction of it.
 * Exits 1 if the bytes came back different or the temp file outlived the emulator.
 */
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { $ } from 'zx';
import { measureLargeUpload, measureNullSinkUpload, type LargeUploadResult } from './upload-benchmark.ts';

const MiB = 1024 * 1024;
const SIZES_MIB = [20, 200];

/** Child mode: one measurement, printed as JSON for the parent. */
async function measureOne(sizeMib: number, nullSink: boolean): Promise<void> {
  const sizeBytes = sizeMib * MiB;
  console.log(JSON.stringify(nullSink ? { uploadMs: await measureNullSinkUpload({ sizeBytes }) } : await measureLargeUpload({ sizeBytes })));
}

/** The largest size uploaded into a null sink (null-server.ts), in its own process too: the limit. */
async function measureNullSink(sizeMib: number): Promise<number> {
  const self = fileURLToPath(import.meta.url);
  const child = await $({ quiet: true, nothrow: true })`${process.execPath} --import tsx ${self} --size-mib ${sizeMib} --null-sink`;
  if (child.exitCode !== 0) throw new Error(`${sizeMib} MiB upload into the null sink: exit code ${child.exitCode}\n${child.stderr.slice(-2000)}`);
  return (JSON.parse(child.stdout.trim().split('\n').at(-1)!) as { uploadMs: number }).uploadMs;
}

async function measureEach(sizesMib: number[]): Promise<LargeUploadResult[]> {
  const self = fileURLToPath(import.meta.url);
  const results: LargeUploadResult[] = [];
  for (const sizeMib of sizesMib) {
    const child = await $({ quiet: true, nothrow: true })`${process.execPath} --import tsx ${self} --size-mib ${sizeMib}`;
    if (child.exitCode !== 0) throw new Error(`${sizeMib} MiB upload: exit code ${child.exitCode}\n${child.stderr.slice(-2000)}`);
    results.push(JSON.parse(child.stdout.trim().split('\n').at(-1)!) as LargeUploadResult);
  }
  return results;
}

function report(results: LargeUploadResult[], nullSinkMs: number): boolean {
  const mb = (bytes: number) => bytes / MiB;
  const growth = (r: LargeUploadResult) => r.peakRssBytes - r.baselineRssBytes;
  const header = ['size', 'parts', 'upload', 'download', 'baseline RSS', 'peak RSS', 'RSS growth', 'growth per MiB', 'intact', 'temp file removed'];
  const rows = results.map((r) => [
    `${mb(r.sizeBytes)} MiB`,
    String(r.parts),
    `${(r.uploadMs / 1000).toFixed(2)} s, ${(mb(r.sizeBytes) / (r.uploadMs / 1000)).toFixed(0)} MiB/s`,
    `${(r.downloadMs / 1000).toFixed(2)} s, ${(mb(r.sizeBytes) / (r.downloadMs / 1000)).toFixed(0)} MiB/s`,
    `${mb(r.baselineRssBytes).toFixed(0)} MiB`,
    `${mb(r.peakRssBytes).toFixed(0)} MiB`,
    `${mb(growth(r)).toFixed(0)} MiB`,
    `${(mb(growth(r)) / mb(r.sizeBytes)).toFixed(2)} MiB`,
    r.intact ? 'yes' : 'NO',
    r.storedInFile && r.tempFileRemovedOnStop ? 'yes' : 'NO',
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd();
  console.log('lib-storage Upload (8 MiB parts, 4 in parallel) into the embedded emulator, then GetObject streamed back:');
  for (const row of [header, widths.map((w) => '-'.repeat(w)), ...rows]) console.log(line(row));

  const small = results[0]!;
  const large = results.at(-1)!;
  const growthRatio = growth(large) / Math.max(growth(small), 1);
  const sizeRatio = large.sizeBytes / small.sizeBytes;
  console.log(`RSS growth ${mb(large.sizeBytes)} MiB / ${mb(small.sizeBytes)} MiB: ${growthRatio.toFixed(2)}x for ${sizeRatio}x the bytes`);
  const ofNullSink = nullSinkMs / large.uploadMs;
  console.log(`null sink (parts read and dropped): ${mb(large.sizeBytes)} MiB in ${(nullSinkMs / 1000).toFixed(2)} s, ${(mb(large.sizeBytes) / (nullSinkMs / 1000)).toFixed(0)} MiB/s`);
  console.log(`${mb(large.sizeBytes)} MiB upload throughput, embedded / null sink: ${(ofNullSink * 100).toFixed(0)} %`);
  console.log(
    JSON.stringify({
      benchmark: 'large-upload',
      sizes: results.map((r) => ({
        sizeBytes: r.sizeBytes,
        uploadMs: r.uploadMs,
        downloadMs: r.downloadMs,
        baselineRssBytes: r.baselineRssBytes,
        peakRssBytes: r.peakRssBytes,
        intact: r.intact,
        tempFileRemovedOnStop: r.storedInFile && r.tempFileRemovedOnStop,
      })),
      rssGrowthRatio: Number(growthRatio.toFixed(2)),
      nullSinkUploadMs: nullSinkMs,
      uploadFractionOfNullSink: Number(ofNullSink.toFixed(3)),
    }),
  );
  return results.every((r) => r.intact && r.storedInFile && r.tempFileRemovedOnStop);
}

try {
  // --size-mib N alone: the child mode; --sizes-mib 2,20 instead of 20,200 (a quick run while developing).
  const { values } = parseArgs({ options: { 'size-mib': { type: 'string' }, 'null-sink': { type: 'boolean', default: false }, 'sizes-mib': { type: 'string' } } });
  const sizes = values['sizes-mib'] ? values['sizes-mib'].split(',').map(Number) : SIZES_MIB;
  if (sizes.length < 2 || !sizes.every((size) => size > 0)) throw new Error('--sizes-mib takes two or more positive sizes, smallest first');
  if (values['size-mib'] !== undefined) {
    const sizeMib = Number(values['size-mib']);
    if (!(sizeMib > 0)) throw new Error('--size-mib takes a positive number');
    await measureOne(sizeMib, values['null-sink']);
  } else if (!report(await measureEach(sizes), await measureNullSink(sizes.at(-1)!))) {
    console.error('large upload: the bytes did not come back intact, or the temp file was not removed on stop');
    process.exitCode = 1;
  }
} catch (error) {
  console.error(error instanceof Error ? error.message : String(error));
  process.exitCode = 1;
}
