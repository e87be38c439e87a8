import { describe, expect, it } from 'vitest';
import { GradingStatus } from './grading-status.ts';
import { fit, LiveLine } from './live-line.ts';
import { styleFor } from './scorecard.ts';

function terminal(isTTY: boolean) {
  const writes: string[] = [];
  return { writes, stream: { isTTY, columns: 40, write: (text: string) => writes.push(text) } };
}

describe('LiveLine', () => {
  it('on a terminal, draws the status, erases it before output and draws it again below', () => {
    const { writes, stream } = terminal(true);
    const line = new LiveLine(stream);
    line.show(() => 'TODO 2 › checking');
    line.print('hello\n');
    line.stop();
    expect(writes.join('')).toBe('\r\u001b[2KTODO 2 › checking' + '\r\u001b[2K' + 'hello\n' + '\r\u001b[2KTODO 2 › checking' + '\r\u001b[2K');
  });

  it('keeps the status hidden while the output is mid-line', () => {
    const { writes, stream } = terminal(true);
    const line = new LiveLine(stream);
    line.show(() => 'S');
    line.print('Creating… ');
    line.print('done\n');
    expect(writes.join('')).toBe('\r\u001b[2KS' + '\r\u001b[2K' + 'Creating… ' + 'done\n' + '\r\u001b[2KS');
    line.stop();
  });

  it('off a terminal, passes output through and draws nothing', () => {
    const { writes, stream } = terminal(false);
    const line = new LiveLine(stream);
    line.show(() => 'TODO 2 › checking');
    line.print('hello\n');
    line.stop();
    expect(writes).toEqual(['hello\n']);
  });

  it('cuts a long status to the terminal width', () => {
    expect(fit('abcdefghij', 5)).toBe('abcd…');
    expect(fit('abcde', 5)).toBe('abcde');
    expect(fit('\u001b[1mabcdefghij\u001b[22m', 5)).toBe('\u001b[1mabcd…\u001b[0m');
  });
});

describe('GradingStatus', () => {
  it("names the running check with its seconds, then the program, then 'grading'", () => {
    let now = 1_000;
    const status = new GradingStatus(styleFor({ isTTY: false }), () => now);
    expect(status.text()).toBe('grading …');
    status.programStarted();
    now += 2_500;
    expect(status.text()).toBe('your program is running … 2 s');
    status.onProgress({ event: 'start', todo: 2, name: "says 'available' for a name nobody owns" });
    now += 4_200;
    expect(status.text()).toBe("TODO 2 › says 'available' for a name nobody owns … 4 s");
    status.onProgress({ event: 'end', todo: 2, name: "says 'available' for a name nobody owns", status: 'passed' });
    status.programEnded();
    expect(status.text()).toBe('grading …  (1 checked)');
  });
});
