// The CLI bundle's stand-in for `import ts from "typescript"` (see scripts/lazyTypeScript.mjs): the
// compiler, a separate file next to the bundle, is read on first use. A config-only check never
// uses it, and TypeScript is most of what the CLI would otherwise load at start-up.
import type * as TS from "typescript";

type TypeScript = typeof TS;

let loaded: TypeScript | undefined;
const waiting: Array<(compiler: TypeScript) => void> = [];

function load(): TypeScript {
  if (loaded === undefined) {
    const compiler = require("./typescript.js") as TypeScript;
    loaded = compiler;
    typescript = compiler;
    for (const fill of waiting.splice(0)) fill(compiler);
  }
  return loaded;
}

/** Runs `fill` with the compiler once it is loaded (at once if it is): fills a module's locals. */
export function whenTypeScriptLoads(fill: (compiler: TypeScript) => void): void {
  if (loaded) fill(loaded);
  else waiting.push(fill);
}

/**
 * The compiler: until first used, a stand-in that loads it on the first property read; from then
 * on the compiler itself (modules import this binding live, so later reads go straight to it).
 */
export let typescript: TypeScript = new Proxy({} as TypeScript, {
  get: (_target, key) => Reflect.get(load(), key) as unknown,
  has: (_target, key) => Reflect.has(load(), key),
  ownKeys: () => Reflect.ownKeys(load()),
  getOwnPropertyDescriptor: (_target, key) => {
    const descriptor = Reflect.getOwnPropertyDescriptor(load(), key);
    return descriptor && { ...descriptor, configurable: true };
  },
});
