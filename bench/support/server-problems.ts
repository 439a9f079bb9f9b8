import type { ServerProcess } from './server-process.ts';

/**
 * Prints the warnings and errors a server logged (counted by message), or that there were none.
 *
 * @example
 * ```ts
 * server.logs.reset(); // forget start-up warnings
 * // … load …
 * printServerProblems(server);
 * ```
 */
export function printServerProblems(server: ServerProcess, indent = '  '): void {
  const problems = server.logs.problems();
  if (problems.length === 0) {
    console.log(`${indent}server log: no warnings or errors`);
    return;
  }
  console.log(`${indent}server log: ${problems.reduce((n, p) => n + p.count, 0)} warnings/errors`);
  for (const p of problems.slice(0, 8)) {
    console.log(`${indent}  ${p.level} ×${p.count}: ${p.msg}${p.example ? ` (${p.example})` : ''}`);
  }
}
