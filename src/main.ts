import { run } from './run.js'

void run().then(() => process.exit())
