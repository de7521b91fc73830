import { StringDecoder } from 'node:string_decoder'

/**
 * Splits a byte stream into lines: the agent's events on the controller's side, the job and the
 * heartbeats on the agent's. Bounded: a "line" longer than maxLine is handed on cut, so a
 * misbehaving remote cannot make the reader buffer without limit. Each chunk is searched once, so a
 * long line arriving in many chunks costs linear time.
 */
export class LineSplitter {
  private rest = ''
  // Decodes across chunk boundaries: SSH may split a multi-byte character between two chunks.
  private readonly decoder = new StringDecoder('utf8')
  constructor(
    private readonly onLine: (line: string) => void,
    private readonly maxLine = 1 << 20,
  ) {}

  push(chunk: Buffer | string): void {
    const text = typeof chunk === 'string' ? chunk : this.decoder.write(chunk)
    let from = 0
    let newline: number
    while ((newline = text.indexOf('\n', from)) >= 0) {
      const line = this.rest + text.slice(from, newline)
      this.rest = ''
      from = newline + 1
      this.onLine(line)
    }
    this.rest += text.slice(from)
    if (this.rest.length > this.maxLine) {
      const cut = this.rest
      this.rest = ''
      this.onLine(cut)
    }
  }

  end(): void {
    this.rest += this.decoder.end()
    if (this.rest !== '') this.onLine(this.rest)
    this.rest = ''
  }
}
