/**
 * A small SVG line chart: time to the whole fleet vs number of hosts, one line per method.
 * x: hosts (log2 spacing: 4, 8, 16, 32); y: seconds on a log scale, so N·S/B and S/B both read.
 */
export interface Series {
  name: string
  color: string
  dashed?: boolean
  points: Array<{ x: number; y: number }>
}

export function lineChartSvg(options: { title: string; subtitle: string; xLabel: string; yLabel: string; series: Series[] }): string {
  const width = 720
  const height = 440
  const margin = { left: 70, right: 150, top: 60, bottom: 55 }
  const plotW = width - margin.left - margin.right
  const plotH = height - margin.top - margin.bottom
  const all = options.series.flatMap((series) => series.points).filter((point) => Number.isFinite(point.y) && point.y > 0)
  const xs = [...new Set(all.map((point) => point.x))].sort((a, b) => a - b)
  const xMin = Math.log2(xs[0] ?? 1)
  const xMax = Math.log2(xs[xs.length - 1] ?? 2)
  const yValues = all.map((point) => point.y)
  const yLo = Math.log10(niceBelow(Math.min(...yValues)))
  const yHi = Math.log10(niceAbove(Math.max(...yValues)))
  const x = (value: number): number => margin.left + (xMax === xMin ? plotW / 2 : ((Math.log2(value) - xMin) / (xMax - xMin)) * plotW)
  const y = (value: number): number => margin.top + plotH - ((Math.log10(value) - yLo) / (yHi - yLo)) * plotH
  const out: string[] = []
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="Helvetica, Arial, sans-serif" font-size="12">`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
    `<text x="${margin.left}" y="24" font-size="16" font-weight="bold">${escape(options.title)}</text>`,
    `<text x="${margin.left}" y="42" fill="#555">${escape(options.subtitle)}</text>`,
  )
  // y grid: 1-2-5 steps inside the range
  for (let decade = Math.floor(yLo); decade <= Math.ceil(yHi); decade++) {
    for (const step of [1, 2, 5]) {
      const value = step * 10 ** decade
      const logValue = Math.log10(value)
      if (logValue < yLo - 1e-9 || logValue > yHi + 1e-9) continue
      const py = y(value)
      out.push(
        `<line x1="${margin.left}" x2="${margin.left + plotW}" y1="${py.toFixed(1)}" y2="${py.toFixed(1)}" stroke="#e3e3e3"/>`,
        `<text x="${margin.left - 8}" y="${(py + 4).toFixed(1)}" text-anchor="end" fill="#444">${formatNumber(value)}</text>`,
      )
    }
  }
  for (const value of xs) {
    const px = x(value)
    out.push(
      `<line x1="${px.toFixed(1)}" x2="${px.toFixed(1)}" y1="${margin.top}" y2="${margin.top + plotH}" stroke="#eeeeee"/>`,
      `<text x="${px.toFixed(1)}" y="${margin.top + plotH + 18}" text-anchor="middle" fill="#444">${value}</text>`,
    )
  }
  out.push(
    `<rect x="${margin.left}" y="${margin.top}" width="${plotW}" height="${plotH}" fill="none" stroke="#999"/>`,
    `<text x="${margin.left + plotW / 2}" y="${height - 12}" text-anchor="middle">${escape(options.xLabel)}</text>`,
    `<text transform="translate(18 ${margin.top + plotH / 2}) rotate(-90)" text-anchor="middle">${escape(options.yLabel)}</text>`,
  )
  options.series.forEach((series, index) => {
    const points = series.points.filter((point) => Number.isFinite(point.y) && point.y > 0)
    if (points.length === 0) return
    const d = points.map((point, i) => `${i === 0 ? 'M' : 'L'}${x(point.x).toFixed(1)},${y(point.y).toFixed(1)}`).join(' ')
    out.push(`<path d="${d}" fill="none" stroke="${series.color}" stroke-width="2.5"${series.dashed ? ' stroke-dasharray="6 4"' : ''}/>`)
    for (const point of points) {
      out.push(
        `<circle cx="${x(point.x).toFixed(1)}" cy="${y(point.y).toFixed(1)}" r="3.5" fill="${series.color}"/>`,
        `<text x="${(x(point.x) + 6).toFixed(1)}" y="${(y(point.y) - 7).toFixed(1)}" fill="${series.color}" font-size="11">${formatNumber(point.y)}</text>`,
      )
    }
    const ly = margin.top + 14 + index * 22
    const lx = margin.left + plotW + 16
    out.push(
      `<line x1="${lx}" x2="${lx + 24}" y1="${ly}" y2="${ly}" stroke="${series.color}" stroke-width="2.5"${series.dashed ? ' stroke-dasharray="6 4"' : ''}/>`,
      `<text x="${lx + 30}" y="${ly + 4}">${escape(series.name)}</text>`,
    )
  })
  out.push('</svg>')
  return out.join('\n') + '\n'
}

function niceBelow(value: number): number {
  const decade = 10 ** Math.floor(Math.log10(value))
  for (const step of [5, 2, 1]) if (step * decade <= value) return step * decade
  return decade
}

function niceAbove(value: number): number {
  const decade = 10 ** Math.floor(Math.log10(value))
  for (const step of [1, 2, 5, 10]) if (step * decade >= value) return step * decade
  return 10 * decade
}

function formatNumber(value: number): string {
  if (Number.isInteger(value) || value >= 100) return value.toFixed(0)
  if (value >= 10) return value.toFixed(1).replace(/\.0$/, '')
  return value.toFixed(1)
}

function escape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
}
