/** A problem with one input, found before any host is contacted. */
export class InputError extends Error {
  constructor(
    readonly input: string,
    /** What is wrong, without the input's name: each way in (action, CLI) names the input its own way. */
    readonly problem: string,
  ) {
    super(`Input '${input}': ${problem}`)
    this.name = 'InputError'
  }
}

/** Several input problems at once, so a user fixes them all in one go. */
export class InputErrors extends Error {
  constructor(readonly errors: InputError[]) {
    super(errors.map((error) => error.message).join('\n'))
    this.name = 'InputErrors'
  }
}
