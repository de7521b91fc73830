import type { HostState } from '../fleet/host-state.js'
import type { ActivationVerdict, Verdict } from '../verdict/verdict.js'
import type { ZoneFacts } from '../fleet/zone-deliveries.js'
import { formatMB as mb } from './format.js'

export interface DeployFacts {
  tag: string
  /** How the objects reached the hosts: the swarm, or each host's SSH session (transport ssh: no tracker, no seeder). */
  transport: 'swarm' | 'ssh'
  /** Empty with transport ssh. */
  infoHash: string
  /** Digest of the release's content (content/tree-digest.ts). */
  contentId: string
  /** Stored bytes of the release's objects: what a host without any of them downloads. */
  payloadBytes: number
  objects: number
  /** Zeros that pad each object to a piece boundary (swarm/object-layout.ts): they travel, but are not payload. */
  padBytes: number
  encrypted: boolean
  packSeconds: number
  /** Seconds from the start of the transfer to the last host's release (or the verdict). */
  transferSeconds: number
  durationSeconds: number
  seederUploaded: number
  /** Where the tracker and the seeder ran: 'runner', the seeder host as given (seeder-host), or 'none' (transport ssh). */
  seederRanOn: string
  /** Object bytes the runner streamed over the hosts' SSH sessions (transport ssh), all hosts together. */
  sentOverSsh: number
  trackerUrl: string
  /** Announces the tracker answered during the deploy. */
  trackerAnnounces: number
  /** With zones, each zone's swarm (seederRanOn, seederUploaded and trackerAnnounces are then the zones' together). */
  zones?: ZoneFacts[]
}

export interface HostReport {
  host: string
  /** Its zone (`web1 zone=dc1`); absent without zones. */
  zone?: string
  result: 'done' | 'already present' | 'failed'
  seconds: number | null
  /** Seconds from the transfer start to its agent running (null: it never ran). */
  agentStartedSeconds: number | null
  bytesReceived: number
  /** Share of the received bytes that came from other hosts rather than the seeder (0..1). */
  fromPeersShare: number | null
  /** Bytes of the release's objects the host already held from earlier releases (not downloaded). */
  bytesFromStore: number
  /** Bytes this host sent to the others. */
  bytesSent: number
  /** Whether it served the release to the others (an "already present" host does when its store holds every object). */
  seeding: boolean
  error: string | null
}

export interface DeployReport extends DeployFacts {
  ok: boolean
  headline: string
  hostsTotal: number
  hostsSucceeded: number
  hostsFailed: number
  failedHosts: string[]
  hosts: HostReport[]
  /** The activation phase; null when activate is off (or distribution failed, so nothing was switched). */
  activation: ActivationReport | null
}

/** One host's activation (activation/rollout.ts's HostActivation). */
export interface HostActivationReport {
  host: string
  batch: number
  result: 'activated' | 'failed' | 'rolled back' | 'not switched'
  previousTag?: string | null
  error?: string
  rollback?: string
  seconds?: number
}

export interface ActivationReport {
  batches: { index: number; hosts: string[]; seconds: number; result: 'activated' | 'failed' | 'rolled back' | 'not run' }[]
  hosts: HostActivationReport[]
  stopped: boolean
  rolledBack: boolean
  hostsActivated: number
  previousTag: string
}

export function hostReport(state: HostState): HostReport {
  const received = state.fromSeeder + state.fromPeers
  return {
    host: state.target.label,
    ...(state.target.zone !== undefined && { zone: state.target.zone }),
    result: state.phase !== 'done' ? 'failed' : state.alreadyPresent ? 'already present' : 'done',
    seconds: state.seconds !== undefined ? round(state.seconds, 2) : null,
    agentStartedSeconds: state.agentStartedSeconds !== undefined ? round(state.agentStartedSeconds, 2) : null,
    bytesReceived: received,
    fromPeersShare: received > 0 ? round(state.fromPeers / received, 3) : null,
    bytesFromStore: state.fromStore,
    bytesSent: state.uploaded,
    seeding: state.seeding,
    error: state.error ?? null,
  }
}

/** With an activation, a host that failed it counts as failed, and the activation's verdict is the step's. */
export function buildReport(
  facts: DeployFacts,
  states: HostState[],
  verdict: Verdict,
  activation?: { report: ActivationReport; verdict: ActivationVerdict },
): DeployReport {
  const failedHosts = [...verdict.failed.map((state) => state.target.label), ...(activation?.verdict.failedHosts ?? [])]
  return {
    ...facts,
    ok: activation?.verdict.ok ?? verdict.ok,
    headline: activation?.verdict.headline ?? verdict.headline,
    hostsTotal: states.length,
    hostsSucceeded: states.length - failedHosts.length,
    hostsFailed: failedHosts.length,
    failedHosts,
    hosts: states.map(hostReport),
    activation: activation?.report ?? null,
  }
}

/** The summary's table: one row per host (failed hosts first), each cell as plain text. */
export const SUMMARY_COLUMNS = ['Host', 'Result', 'Seconds', 'MB received', 'From peers', 'MB already held', 'MB sent', 'Error'] as const
/** Numbers are right-aligned. */
export const SUMMARY_NUMERIC = [false, false, true, true, true, true, true, false] as const

/** The table's columns, which are numeric, and its rows; with zones, a Zone column after the host's. */
export function summaryTable(report: DeployReport): { columns: string[]; numeric: boolean[]; rows: { failed: boolean; cells: string[] }[] } {
  const zoned = report.hosts.some((host) => host.zone !== undefined)
  const withZone = <T>(values: readonly T[], zone: T): T[] => (zoned ? [values[0]!, zone, ...values.slice(1)] : [...values])
  return {
    columns: withZone(SUMMARY_COLUMNS, 'Zone'),
    numeric: withZone(SUMMARY_NUMERIC, false),
    rows: summaryRows(report).map((row) => ({ failed: row.failed, cells: withZone(row.cells, row.zone ?? '–') })),
  }
}

export function summaryRows(report: DeployReport): { failed: boolean; zone?: string; cells: string[] }[] {
  const rows = [...report.hosts].sort((a, b) => Number(b.result === 'failed') - Number(a.result === 'failed'))
  return rows.map((host) => ({
    failed: host.result === 'failed',
    zone: host.zone,
    cells: [
      host.host,
      host.result,
      host.seconds?.toFixed(1) ?? '–',
      mb(host.bytesReceived),
      host.fromPeersShare === null ? '–' : `${Math.round(host.fromPeersShare * 100)} %`,
      mb(host.bytesFromStore),
      mb(host.bytesSent),
      (host.error ?? '').replace(/\n/g, ' '),
    ],
  }))
}

/** The line under the headline: the release, its packing and its transfer. */
export function summaryFacts(report: DeployReport, code: (text: string) => string = (text) => text): string {
  return (
    `Release ${mb(report.payloadBytes)} MB in ${report.objects} objects (content ${code(`${report.contentId.slice(0, 16)}…`)}${report.encrypted ? ', encrypted' : ''}), ` +
    `packed in ${report.packSeconds.toFixed(1)} s; transfer ${report.transferSeconds.toFixed(1)} s; ` +
    (report.transport === 'ssh'
      ? `over each host's SSH session (transport ssh), ${mb(report.sentOverSsh)} MB sent in all.`
      : (report.zones !== undefined ? `the seeders of the ${report.zones.length} zones (on ${report.seederRanOn})` : `the seeder${report.seederRanOn === 'runner' ? '' : ` (on ${report.seederRanOn})`}`) +
        ` uploaded ${(report.seederUploaded / Math.max(1, report.payloadBytes)).toFixed(2)} × the payload.`)
  )
}

/** The job summary: a headline, a few facts, and one row per host (failed hosts first). */
export function renderSummary(report: DeployReport): string {
  const table = summaryTable(report)
  const lines = [
    `## ${report.ok ? '✅' : '❌'} murder-action: \`${escapeCell(report.tag)}\``,
    '',
    escapeCell(report.headline),
    '',
    summaryFacts(report, (text) => `\`${text}\``),
    '',
    `| ${table.columns.join(' | ')} |`,
    `| ${table.numeric.map((numeric) => (numeric ? '---:' : '---')).join(' | ')} |`,
  ]
  for (const row of table.rows) {
    const result = table.columns.indexOf('Result')
    const cells = row.cells.map((cell, index) => (index === result ? `${row.failed ? '❌' : '✅'} ${escapeCell(cell)}` : escapeCell(cell)))
    lines.push(`| ${cells.join(' | ')} |`)
  }
  if (report.activation !== null) lines.push(...renderActivation(report.activation))
  return lines.join('\n') + '\n'
}

const BATCH_RESULT = { activated: '✅ live', failed: '❌ failed', 'rolled back': '↩️ rolled back', 'not run': '⏸️ not switched' } as const
const HOST_ACTIVATION = { activated: '✅ live', failed: '❌ failed', 'rolled back': '↩️ rolled back', 'not switched': '⏸️ not switched' } as const

/** One row per batch (hosts, seconds, result), then the hosts whose activation did not simply succeed. */
function renderActivation(activation: ActivationReport): string[] {
  const lines = [
    '',
    `### Activation: live on ${activation.hostsActivated} host${activation.hostsActivated === 1 ? '' : 's'}` +
      (activation.previousTag !== '' ? `, previously \`${escapeCell(activation.previousTag)}\`` : '') +
      (activation.rolledBack ? '; rolled back' : ''),
    '',
    '| Batch | Hosts | Seconds | Result |',
    '| ---: | --- | ---: | --- |',
    ...activation.batches.map(
      (batch) => `| ${batch.index} | ${escapeCell(batch.hosts.join(', '))} | ${batch.result === 'not run' ? '–' : batch.seconds.toFixed(1)} | ${BATCH_RESULT[batch.result]} |`,
    ),
  ]
  const notable = activation.hosts.filter((host) => host.result !== 'activated' || host.rollback !== undefined)
  if (notable.length > 0) {
    lines.push('', '| Host | Batch | Activation | Error | Rollback |', '| --- | ---: | --- | --- | --- |')
    for (const host of notable) {
      lines.push(`| ${escapeCell(host.host)} | ${host.batch} | ${HOST_ACTIVATION[host.result]} | ${escapeCell(host.error ?? '')} | ${escapeCell(host.rollback ?? '')} |`)
    }
  }
  return lines
}

/**
 * Text in a table cell, shown as text: host error messages are untrusted, and in the summary
 * Markdown and HTML would render (an image that calls out, a link that misleads). HTML's three
 * special characters become entities; Markdown's punctuation is backslash-escaped; a cell is one line.
 */
function escapeCell(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/[\\`*[\]!|~]/g, '\\$&')
    .replace(/\s*\n\s*/g, ' ')
}

function round(value: number, digits: number): number {
  const factor = 10 ** digits
  return Math.round(value * factor) / factor
}
