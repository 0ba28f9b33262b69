// Runs tests/sdk/runtimes/program.mjs with the built SDK against the server at CARTRITA_URL and prints
// what it saw as one JSON line, for tests/sdk/runtimes.test.ts to run under Node, Bun and Deno.
import * as sdk from '../../../packages/sdk/dist/index.js';
import { program } from './program.mjs';

const baseURL = globalThis.process?.env?.CARTRITA_URL ?? globalThis.Deno?.env.get('CARTRITA_URL');
const seen = await program(sdk, baseURL, new URL('./program.mjs', import.meta.url).pathname);
console.log(JSON.stringify(seen));
