/** Quotes one word for a POSIX shell: nothing inside single quotes is special. */
export function shellQuote(word: string): string {
  if (/^[A-Za-z0-9_./=:@%+-]+$/.test(word)) return word
  return `'${word.replace(/'/g, `'\\''`)}'`
}
