import { runCli } from './run-cli.js'

// Exit once the deploy is over: the swarm's libraries may keep handles open after closing.
void runCli(process.argv.slice(2)).then((code) => process.exit(code))
