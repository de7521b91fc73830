import * as core from '@actions/core'
import { readSettings } from '../inputs/settings.js'
import { CancelledError, deploy } from '../deploy.js'
import { loadAgentBundle } from '../fleet/agent-bundle.js'
import { publish } from './publish.js'
import { rememberWorkdir } from './state.js'

/**
 * The main step. The runner cancels with SIGINT, then SIGTERM 7.5 s later, then a kill 2.5 s after
 * that: on the first signal we stop every agent and close the swarm; if that has not finished in
 * 6 s we exit anyway, so nothing of ours is ever killed mid-way by the runner.
 */
export async function run(): Promise<void> {
  const cancel = new AbortController()
  const onSignal = (signal: NodeJS.Signals): void => {
    if (cancel.signal.aborted) return
    core.warning(`Received ${signal}: stopping every agent and closing the swarm.`)
    cancel.abort()
    setTimeout(() => {
      core.error('Cancelled: cleanup did not finish in 6 s; exiting.')
      process.exit(1)
    }, 6000).unref()
  }
  process.on('SIGINT', onSignal)
  process.on('SIGTERM', onSignal)

  try {
    const settings = readSettings()
    for (const line of settings.sshKey.split('\n')) if (line.trim().length > 8) core.setSecret(line.trim())
    if (settings.sshKeyPassphrase) core.setSecret(settings.sshKeyPassphrase)
    if (settings.insecureSkipHostKeyCheck) {
      core.warning(
        'insecure-skip-host-key-check is on: host keys are NOT verified, so anyone who can intercept the ' +
          'connection can impersonate a host and receive the deploy and its SSH session. Set known-hosts instead.',
      )
    }
    if (settings.swarmAllowAnyPeer) {
      core.warning(
        'swarm-allow-any-peer is on: anyone who can reach the runner or a host can join the swarm (the payload stays ' +
          'encrypted unless encrypt: false; a peer sending bad data is still dropped). Leave it off unless the hosts are behind NAT.',
      )
    }
    const { report, details } = await deploy(settings, loadAgentBundle(), {
      info: core.info,
      warning: core.warning,
      debug: core.debug,
      secret: core.setSecret,
      workdirCreated: rememberWorkdir,
      signal: cancel.signal,
    })
    await publish(report)
    if (cancel.signal.aborted) throw new CancelledError()
    if (!report.ok) core.setFailed([report.headline, ...details].join('\n'))
    else if (details.length > 0) core.warning([report.headline, ...details].join('\n'))
    else core.info(report.headline)
  } catch (error) {
    core.setFailed((error as Error).message)
  }
}
