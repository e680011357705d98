import type { BindingNames, SubrequestKind } from "../types";

/**
 * Packages whose exported function makes a Worker's whole fetch handler (`export default
 * R2Explorer({ readonly: true })`), with what that handler does as the package documents it. The
 * package's code is not in the checkout (no node_modules) or not read: without this table such a
 * handler is UNKNOWN naming the package, as any other package's handler stays.
 */
export interface HandlerPackage {
  readonly module: string;
  readonly exportName: string;
  /** What the handler does for a request, as a sentence (in the prediction's reasons). */
  readonly does: string;
  /** The bindings of the config it serves: each request is one call on one of them, no back end. */
  readonly binding: { readonly section: keyof BindingNames & SubrequestKind; readonly what: string };
  /** Options that make it do what the table does not cover: the handler is then UNKNOWN, with why. */
  readonly unreadOptions: Readonly<Record<string, string>>;
}

export const HANDLER_PACKAGES: readonly HandlerPackage[] = [
  {
    // r2explorer.com: a file manager UI (its dashboard, served as static assets) and an API over the
    // R2 buckets bound to the Worker; basic auth checks the configured credentials in the Worker.
    module: "r2-explorer",
    exportName: "R2Explorer",
    does: "serves a file manager (a dashboard and an API) over the Worker's R2 bucket bindings",
    binding: { section: "r2", what: "an R2 bucket binding" },
    unreadOptions: {
      cfAccessTeamName: "checks Cloudflare Access tokens against the team's certificates, fetched at run time",
    },
  },
];

export function handlerPackage(module: string, exportName: string): HandlerPackage | undefined {
  return HANDLER_PACKAGES.find((entry) => entry.module === module && entry.exportName === exportName);
}
