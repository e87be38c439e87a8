/**
 * Keeps the head and the tail of a stream of output, dropping the middle: a student's
 * program that prints megabytes costs a line in the log, not the grader's memory.
 */
export class BoundedOutput {
  private head = '';
  private tail = '';
  private dropped = 0;

  constructor(
    private readonly headLimit = 32 * 1024,
    private readonly tailLimit = 16 * 1024,
  ) {}

  write(chunk: Buffer | string): void {
    let text = chunk.toString();
    if (this.head.length < this.headLimit) {
      const room = this.headLimit - this.head.length;
      this.head += text.slice(0, room);
      text = text.slice(room);
    }
    if (text.length === 0) return;
    this.tail += text;
    if (this.tail.length > this.tailLimit) {
      this.dropped += this.tail.length - this.tailLimit;
      this.tail = this.tail.slice(-this.tailLimit);
    }
  }

  get truncated(): boolean {
    return this.dropped > 0;
  }

  toString(): string {
    if (this.dropped === 0) return this.head + this.tail;
    return `${this.head}\n[... ${this.dropped} characters of output left out ...]\n${this.tail}`;
  }
}
