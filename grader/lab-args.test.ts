import { describe, expect, it } from 'vitest';
import { closestOption, parseLabArgs } from './lab-args.ts';

describe('parseLabArgs', () => {
  it('reads the lab and the everyday options', () => {
    const args = parseLabArgs(['2', '--todo', '3', '--watch', '--hint', '--verbose', '--seed', '42']);
    expect(args).toMatchObject({ lab: 2, todo: 3, watch: true, hint: true, verbose: true, seed: 42, programOnly: false, backend: 'embedded' });
    expect(parseLabArgs(['2', '--program-only']).programOnly).toBe(true);
    expect(parseLabArgs(['--list']).list).toBe(true);
  });

  it('names the closest real option for an unknown one', () => {
    expect(() => parseLabArgs(['2', '--tod', '3'])).toThrow('Unknown option --tod. Did you mean --todo? `npm run lab -- --help` lists the options.');
    expect(() => parseLabArgs(['2', '--frobnicate'])).toThrow(/^Unknown option --frobnicate\. `npm run lab -- --help`/);
    expect(closestOption('verbos')).toBe('verbose');
  });

  it('says when an option needs a value or a whole number', () => {
    expect(() => parseLabArgs(['2', '--todo'])).toThrow('--todo needs a value, e.g. --todo 2.');
    expect(() => parseLabArgs(['2', '--todo', 'two'])).toThrow('--todo takes a whole number, e.g. --todo 2; got "two".');
  });

  it('spots options npm swallowed (given without --)', () => {
    expect(() => parseLabArgs(['2'], { npm_config_watch: 'true' })).toThrow('npm took --watch as its own option, so the lab runner never saw it. Options for the lab runner go after `--`, e.g. `npm run lab:2 -- --todo 2`.');
    expect(() => parseLabArgs(['2', '3'])).toThrow('Unexpected argument(s): 3.');
    // npm's own --json is not ours to claim.
    expect(parseLabArgs(['2'], { npm_config_json: 'true' }).json).toBe(false);
  });

  it('refuses options that contradict each other', () => {
    expect(() => parseLabArgs(['2', '--program-only', '--skip-program'])).toThrow('--program-only and --skip-program do not go together.');
    expect(() => parseLabArgs(['2', '--watch', '--json'])).toThrow('--watch and --json do not go together.');
    expect(() => parseLabArgs(['2', '--reset-endpoint'])).toThrow('--reset-endpoint without --endpoint do not go together.');
  });

  it('asks which lab when none is given', () => {
    expect(() => parseLabArgs([])).toThrow('Which lab?');
  });
});
