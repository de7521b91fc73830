import { cleanup } from './cleanup.js'

void cleanup()
