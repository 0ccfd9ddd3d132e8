#!/usr/bin/env node
// Lists module-level import cycles and cross-module imports that skip a module's index.ts in
// packages/server/src. Prints the findings and exits 1 when there is any.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { SERVER_SRC, boundaryViolation, moduleOf, resolveImport } from './boundaries.js';

const IMPORT =
  /(?:^|\n)\s*(?:import|export)\s+(?:type\s+)?(?:[^'";]*?\sfrom\s+)?'([^']+)'|\bimport\(\s*'([^']+)'\s*\)/g;

function files(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return files(path);
    return name.endsWith('.ts') ? [path] : [];
  });
}

const violations = [];
/** module → modules it imports (through any file, types included). */
const graph = new Map();
for (const file of files(SERVER_SRC)) {
  const from = moduleOf(file);
  if (from && !graph.has(from)) graph.set(from, new Set());
  for (const m of readFileSync(file, 'utf8').matchAll(IMPORT)) {
    const target = resolveImport(file, m[1] ?? m[2]);
    if (!target) continue;
    const why = boundaryViolation(file, target);
    if (why) violations.push(`${relative(SERVER_SRC, file)}: ${why}`);
    const to = moduleOf(target);
    if (from && to && to !== from) graph.get(from).add(to);
  }
}

// Tarjan's strongly connected components: every component with more than one module is a cycle.
const cycles = [];
const index = new Map();
const low = new Map();
const stack = [];
const onStack = new Set();
let counter = 0;
function visit(v) {
  index.set(v, counter);
  low.set(v, counter);
  counter += 1;
  stack.push(v);
  onStack.add(v);
  for (const w of graph.get(v) ?? []) {
    if (!index.has(w)) {
      visit(w);
      low.set(v, Math.min(low.get(v), low.get(w)));
    } else if (onStack.has(w)) {
      low.set(v, Math.min(low.get(v), index.get(w)));
    }
  }
  if (low.get(v) === index.get(v)) {
    const component = [];
    let w;
    do {
      w = stack.pop();
      onStack.delete(w);
      component.push(w);
    } while (w !== v);
    if (component.length > 1) cycles.push(component.sort());
  }
}
for (const v of [...graph.keys()].sort()) if (!index.has(v)) visit(v);

for (const c of cycles) console.log(`cycle: ${c.join(' ⇄ ')}`);
for (const v of violations) console.log(`boundary: ${v}`);
console.log(`${graph.size} modules, ${cycles.length} cycles, ${violations.length} imports past an index.ts`);
process.exit(cycles.length || violations.length ? 1 : 0);
