import { describe, expect, it } from 'vitest';
import { parseIni, readConfig } from './read-config.ts';

describe('parseIni', () => {
  it('reads sections, both separators, and skips comments and blank lines', () => {
    const text = '; comment\n[S3]\nbucket_name = notes-bucket-a-1\n# another\n\nmax_attempts: 4\n[Other]\nkey=value = with equals\n';
    expect(parseIni(text)).toEqual({ S3: { bucket_name: 'notes-bucket-a-1', max_attempts: '4' }, Other: { key: 'value = with equals' } });
  });

  it('says which line it cannot read', () => {
    expect(() => parseIni('[S3]\nthis is not a pair\n')).toThrow('line 2 of the config');
    expect(() => parseIni('key = before any section\n')).toThrow('line 1');
  });
});

describe('readConfig', () => {
  it("reads the lab's own config.ini", () => {
    const config = readConfig(new URL('./config.ini', import.meta.url), 'S3');
    expect(config.bucket_name).toMatch(/^notes-bucket-/);
    expect(Number(config.max_attempts)).toBeGreaterThan(0);
  });

  it('names the missing section', () => {
    expect(() => readConfig(new URL('./config.ini', import.meta.url), 'DynamoDB')).toThrow('has no [DynamoDB] section');
  });
});
