/**
 * The inputs' defaults, as action.yml declares them (test/unit/inputs/defaults.test.ts holds the two
 * together). The runner fills them in from action.yml; these serve every other way in: the CLI, a
 * run from source, a test.
 */
export const INPUT_DEFAULTS: Readonly<Record<string, string>> = {
  'ssh-port': '22',
  'insecure-skip-host-key-check': 'false',
  destination: '/srv/releases',
  transport: 'auto',
  'tracker-port': '0',
  deadline: '10m',
  'max-failed-hosts': '0',
  concurrency: '50',
  'node-path': 'node',
  'agent-nice': '10',
  overwrite: 'false',
  encrypt: 'true',
  'compression-level': '1',
  'keep-payload': 'true',
  activate: 'false',
  'batch-size': '25%',
  'health-timeout': '60s',
  'rollback-on-failure': 'true',
  'keep-releases': '5',
  'preserve-special-modes': 'false',
  'swarm-allow-any-peer': 'false',
}
