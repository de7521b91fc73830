import type { HostState } from '../fleet/host-state.js'
import type { Verdict } from '../verdict/verdict.js'
import { formatMB as mb } from './format.js'

export interface DeployFacts {
  tag: string
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
  trackerUrl: string
  /** Announces the tracker answered during the deploy. */
  trackerAnnounces: number
}

export interface HostReport {
  host: string
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
}

export function hostReport(state: HostState): HostReport {
  const received = state.fromSeeder + state.fromPeers
  return {
    host: state.target.label,
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

export function buildReport(facts: DeployFacts, states: HostState[], verdict: Verdict): DeployReport {
  return {
    ...facts,
    ok: verdict.ok,
    headline: verdict.headline,
    hostsTotal: states.length,
    hostsSucceeded: verdict.succeeded.length,
    hostsFailed: verdict.failed.length,
    failedHosts: verdict.failed.map((state) => state.target.label),
    hosts: states.map(hostReport),
  }
}

/** The job summary: a headline, a few facts, and one row per host (failed hosts first). */
export function renderSummary(report: DeployReport): string {
  const lines = [
    `## ${report.ok ? '✅' : '❌'} murder-action: \`${escapeCell(report.tag)}\``,
    '',
    escapeCell(report.headline),
    '',
    `Release ${mb(report.payloadBytes)} MB in ${report.objects} objects (content \`${report.contentId.slice(0, 16)}…\`${report.encrypted ? ', encrypted' : ''}), ` +
      `packed in ${report.packSeconds.toFixed(1)} s; transfer ${report.transferSeconds.toFixed(1)} s; ` +
      `the seeder uploaded ${(report.seederUploaded / Math.max(1, report.payloadBytes)).toFixed(2)} × the payload.`,
    '',
    '| Host | Result | Seconds | MB received | From peers | MB already held | MB sent | Error |',
    '| --- | --- | ---: | ---: | ---: | ---: | ---: | --- |',
  ]
  const rows = [...report.hosts].sort((a, b) => Number(b.result === 'failed') - Number(a.result === 'failed'))
  for (const host of rows) {
    lines.push(
      `| ${escapeCell(host.host)} | ${host.result === 'failed' ? '❌ failed' : `✅ ${host.result}`} | ${host.seconds?.toFixed(1) ?? '–'} | ` +
        `${mb(host.bytesReceived)} | ${host.fromPeersShare === null ? '–' : `${Math.round(host.fromPeersShare * 100)} %`} | ` +
        `${mb(host.bytesFromStore)} | ${mb(host.bytesSent)} | ${escapeCell(host.error ?? '')} |`,
    )
  }
  return lines.join('\n') + '\n'
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
