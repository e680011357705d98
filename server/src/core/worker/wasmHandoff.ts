import ts from "typescript";
import type { AnalysisContext } from "./context";
import { basename } from "../fs";
import type { ModuleFacts } from "./module";

const { isImportDeclaration, isStringLiteral } = ts;

/** A WebAssembly module a Worker's module imports, and the language it was built from when the imports tell. */
export interface WasmModule {
  readonly specifier: string;
  /** "Go" (its `wasm_exec.js` runtime is imported), "Rust" (wasm-bindgen's `*_bg` files), or undefined. */
  readonly language?: "Go" | "Rust";
  /** The specifier names wasm-bindgen's JavaScript glue, not the `.wasm` file. */
  readonly glue?: true;
}

/**
 * The WebAssembly module that code compiled from Go or Rust runs in, when `module` (or a module it
 * imports) loads one: an `import mod from "./app.wasm"` (the shims of syumai/workers, TinyGo, or
 * wasm-bindgen). Such a Worker often hands the request to a function the compiled code sets at run
 * time (`binding.handleRequest(req)` filled by Go's `js.Global().Set`), which no JavaScript
 * declares: what that function sends cannot be read, so the walk says so instead of counting
 * nothing. A library that only computes in WebAssembly (an image codec, a layout engine) is given
 * bytes, not the request, and is not concerned. Only the module and the modules it imports are
 * read: the import closure a kept walk may depend on.
 */
export function wasmModuleOf(ctx: AnalysisContext, module: ModuleFacts): WasmModule | undefined {
  const own = importedWasm(module);
  if (own) return own;
  // wasm-bindgen's glue (`app_bg.js`), given the instance by the shim that imports both.
  if (module.functions.has("__wbg_set_wasm")) return { specifier: basename(module.path), language: "Rust", glue: true };
  for (const binding of module.imports.values()) {
    const target = ctx.loader.moduleFor(binding.module, module);
    const found = target && target !== module ? importedWasm(target) : undefined;
    if (found) return found;
  }
  return undefined;
}

function importedWasm(module: ModuleFacts): WasmModule | undefined {
  let wasm: string | undefined;
  let language: WasmModule["language"];
  for (const statement of module.sourceFile.statements) {
    if (!isImportDeclaration(statement) || !isStringLiteral(statement.moduleSpecifier)) continue;
    const specifier = statement.moduleSpecifier.text;
    const file = (specifier.split(/[?#]/)[0] ?? specifier).split("/").pop() ?? "";
    if (isWasmSpecifier(file)) {
      wasm ??= specifier;
      if (file.endsWith("_bg.wasm")) language ??= "Rust";
    } else if (file === "wasm_exec.js" || file === "wasm_exec.mjs" || file === "wasm_exec_tinygo.js") language = "Go";
    else if (/_bg\.m?js$/.test(file)) language ??= "Rust";
  }
  return wasm ? { specifier: wasm, ...(language ? { language } : {}) } : undefined;
}

/** Whether an import specifier names a WebAssembly module (`./app.wasm`, `./app.wasm?module`). */
export function isWasmSpecifier(specifier: string): boolean {
  return (specifier.split(/[?#]/)[0] ?? specifier).endsWith(".wasm");
}

/** The words naming a WebAssembly module in a reason: `"./app.wasm" (built from Go)`. */
export function describeWasm(wasm: WasmModule): string {
  if (wasm.glue) return `built from ${wasm.language ?? "Rust"} (wasm-bindgen's glue, ${wasm.specifier})`;
  return `"${wasm.specifier}"${wasm.language ? ` (built from ${wasm.language})` : ""}`;
}
