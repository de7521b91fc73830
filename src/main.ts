import { run } from './action/run.js'

void run().then(() => process.exit())
