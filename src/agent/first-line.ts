/**
 * Reads the job line off the start of stdin and hands back the bytes after it unchanged: for an
 * origin they are the first object bytes, which a line splitter would decode as text and lose.
 * Bounded: a line longer than maxLine is handed on cut (the job decoder then says what is wrong).
 */
export class FirstLine {
  private chunks: Buffer[] = []
  private length = 0
  private done = false

  constructor(private readonly maxLine: number) {}

  /** undefined until the line is complete; then the line and the rest of this chunk, once. */
  push(chunk: Buffer): { line: string; rest: Buffer } | undefined {
    if (this.done) return undefined
    const newline = chunk.indexOf(0x0a)
    if (newline < 0 && this.length + chunk.length <= this.maxLine) {
      this.chunks.push(chunk)
      this.length += chunk.length
      return undefined
    }
    this.done = true
    const end = newline < 0 ? chunk.length : newline
    const line = Buffer.concat([...this.chunks, chunk.subarray(0, end)]).toString('utf8')
    this.chunks = []
    return { line, rest: chunk.subarray(newline < 0 ? end : end + 1) }
  }
}
