import * as core from '@actions/core'
import { readSettings } from '../inputs/settings.js'
import { secretValues } from '../inputs/secrets.js'
import { CancelledError, deploy } from '../deploy.js'
import { loadAgentBundle } from '../fleet/agent-bundle.js'
import { cancelOnSignals } from './cancel-on-signals.js'
import { publish } from './publish.js'
import { rememberWorkdir } from './state.js'

/**
 * The main step. The runner cancels with SIGINT, then SIGTERM 7.5 s later, then a kill 2.5 s after
 * that: on the first signal we stop every agent and close the swarm; if that has not finished in
 * 6 s we exit anyway, so nothing of ours is ever killed mid-way by the runner.
 */
export async function run(): Promise<void> {
  const cancel = cancelOnSignals({
    cancelling: (signal) => core.warning(`Received ${signal}: stopping every agent (and the swarm, if one runs).`),
    givingUp: () => core.error('Cancelled: cleanup did not finish in 6 s; exiting.'),
  })

  try {
    // The inputs as the runner passes them (INPUT_*); the CLI passes its flags instead.
    const settings = readSettings((name) => core.getInput(name))
    for (const secret of secretValues(settings)) core.setSecret(secret)
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
