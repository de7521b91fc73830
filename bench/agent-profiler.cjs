// Diagnostics only (bench --profile-agents): preloaded into every Node process an SSH session starts on a
// fleet host (NODE_OPTIONS=--require, set through sshd, since Node 20 refuses --cpu-prof there), it runs
// the V8 profiler from start to exit and writes /tmp/CPU.<pid>.0.<n>.cpuprofile (the host's own /tmp).
'use strict'
const { Session } = require('node:inspector')
const fs = require('node:fs')

const session = new Session()
session.connect()
let stopped = false
function stop() {
  if (stopped) return
  stopped = true
  // A same-thread session answers synchronously, so this completes inside an 'exit' handler.
  session.post('Profiler.stop', (error, result) => {
    if (!error) fs.writeFileSync(`/tmp/CPU.${process.pid}.0.1.cpuprofile`, JSON.stringify(result.profile))
  })
}
session.post('Profiler.enable')
// Sampling every 1 ms costs a process little alone, but 100 profiled agents on 2 cores starve each other: bench:scale asks for 10 ms.
session.post('Profiler.setSamplingInterval', { interval: Number(process.env.MURDER_BENCH_PROFILE_INTERVAL_US) || 1000 })
session.post('Profiler.start')
process.on('exit', stop)
