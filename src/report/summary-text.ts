import { summaryFacts, summaryTable, type DeployReport } from './report.js'

/**
 * The job summary as plain text for a terminal: the same headline, facts and rows as the Markdown
 * one, in aligned columns. The error column is last and never padded, so a long reason does not
 * widen the others.
 */
export function renderSummaryText(report: DeployReport): string {
  const table = summaryTable(report)
  const header = table.columns
  const rows = table.rows.map((row) => row.cells.map((cell, index) => (index === table.columns.indexOf('Result') && row.failed ? cell.toUpperCase() : cell)))
  const widths = header.map((title, index) => Math.max(title.length, ...rows.map((cells) => cells[index]!.length)))
  const line = (cells: string[]): string =>
    cells
      .map((cell, index) => (index === cells.length - 1 ? cell : table.numeric[index] ? cell.padStart(widths[index]!) : cell.padEnd(widths[index]!)))
      .join('  ')
      .trimEnd()
  return [
    `murder-action: ${report.tag} ${report.ok ? 'OK' : 'FAILED'}`,
    report.headline,
    summaryFacts(report),
    '',
    line(header),
    line(widths.map((width, index) => (index === widths.length - 1 ? '-----' : '-'.repeat(width)))),
    ...rows.map(line),
  ].join('\n') + '\n'
}
