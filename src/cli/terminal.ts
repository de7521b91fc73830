/**
 * What the CLI prints, and where: log lines (progress, warnings, errors) on stderr, the summary
 * on stdout, so `murder-action deploy … > summary.md` keeps just the table. Every line goes
 * through `redact`: a value registered as secret never reaches the screen or a log file.
 */
export interface Streams {
  out: (text: string) => void
  err: (text: string) => void
}

export const PROCESS_STREAMS: Streams = {
  out: (text) => void process.stdout.write(text),
  err: (text) => void process.stderr.write(text),
}

export class Terminal {
  private readonly secrets: string[] = []
  /** Where log lines go: stderr, or above the progress bar while it is drawn. */
  private writeLine: (line: string) => void

  constructor(
    private readonly streams: Streams,
    private readonly verbose: boolean,
  ) {
    this.writeLine = (line) => streams.err(line + '\n')
  }

  secret(value: string): void {
    if (value !== '' && !this.secrets.includes(value)) this.secrets.push(value)
    // Longest first, so a secret that holds another is hidden whole.
    this.secrets.sort((a, b) => b.length - a.length)
  }

  redact(text: string): string {
    let result = text
    for (const secret of this.secrets) result = result.split(secret).join('***')
    return result
  }

  /** While a progress display owns the screen, it takes the log lines and prints them above itself. */
  routeLines(write: ((line: string) => void) | undefined): void {
    this.writeLine = write ?? ((line) => this.streams.err(line + '\n'))
  }

  info = (message: string): void => this.lines('', message)
  warning = (message: string): void => this.lines('warning: ', message)
  error = (message: string): void => this.lines('error: ', message)
  debug = (message: string): void => {
    if (this.verbose) this.lines('debug: ', message)
  }

  /** The summary: stdout, as it is (it holds no secret, but is redacted all the same). */
  result(text: string): void {
    this.streams.out(this.redact(text))
  }

  private lines(prefix: string, message: string): void {
    for (const line of this.redact(message).split('\n')) this.writeLine(prefix + line)
  }
}
