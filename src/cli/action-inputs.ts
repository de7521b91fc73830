import * as fs from 'node:fs'
import { fileURLToPath } from 'node:url'
import { parse } from 'yaml'

/** One input of action.yml: the CLI makes a flag of each, so the two never drift apart. */
export interface ActionInput {
  name: string
  description: string
  required: boolean
  default?: string
}

/**
 * action.yml sits two levels above this file both from source (src/cli/) and in the bundle
 * (dist/cli/), the way the agent bundle is found beside the action's (fleet/agent-bundle.ts).
 */
const ACTION_YML = new URL('../../action.yml', import.meta.url)

export function loadActionInputs(place: URL = ACTION_YML): ActionInput[] {
  let text: string
  try {
    text = fs.readFileSync(place, 'utf8')
  } catch (error) {
    throw new Error(`cannot read ${fileURLToPath(place)}, which declares the flags: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`)
  }
  return parseActionInputs(text)
}

export function parseActionInputs(text: string): ActionInput[] {
  const declared = (parse(text) as { inputs?: Record<string, { description?: unknown; required?: unknown; default?: unknown }> } | null)?.inputs
  if (declared === undefined || declared === null || typeof declared !== 'object') throw new Error('action.yml declares no inputs')
  return Object.entries(declared).map(([name, input]) => ({
    name,
    description: typeof input?.description === 'string' ? input.description.trim() : '',
    required: input?.required === true || input?.required === 'true',
    ...(input?.default !== undefined && input.default !== null ? { default: String(input.default) } : {}),
  }))
}
