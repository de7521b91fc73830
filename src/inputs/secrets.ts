import type { Settings } from './settings.js'

/**
 * The values no log line may show: each line of the private key (long enough to be no common
 * word) and the passphrase. The action registers them with the runner; the CLI redacts them.
 */
export function secretValues(settings: Pick<Settings, 'sshKey' | 'sshKeyPassphrase'>): string[] {
  const lines = settings.sshKey
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line.length > 8)
  return settings.sshKeyPassphrase ? [...lines, settings.sshKeyPassphrase] : lines
}
