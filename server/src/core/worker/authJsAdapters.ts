/**
 * What Auth.js's database adapters cost, in sequential round trips to their database, for what a
 * request does with them:
 *
 * - `session`: a session read with database sessions (`getSessionAndUser(token)`): one query that
 *   joins the session to its user in most adapters; two (the session, then its user) in the
 *   adapters that look them up one after the other (`@auth/d1-adapter`, `@auth/mongodb-adapter`,
 *   `@auth/firebase-adapter`).
 * - `userByAccount` and `createSession`: the OAuth callback of every sign-in, after the provider's
 *   token and profile, looks the user up by the provider's account (`getUserByAccount`) and, with
 *   database sessions, stores the new session (`createSession`). `@auth/d1-adapter` reads each record
 *   it writes back (an INSERT, then a SELECT), as `@auth/firebase-adapter` does; the MongoDB and
 *   Firebase adapters find the account, then its user.
 *
 * Not counted: the writes of a first sign-in (`getUserByEmail`, `createUser`, `linkAccount`: once
 * per user, ever) and the session refresh Auth.js does once per `updateAge` (a day by default).
 * An adapter not listed costs one round trip per adapter call.
 */
export interface AuthJsAdapterCost {
  readonly session: number;
  readonly userByAccount: number;
  readonly createSession: number;
}

const DEFAULT_COST: AuthJsAdapterCost = { session: 1, userByAccount: 1, createSession: 1 };

const COSTS: Readonly<Record<string, AuthJsAdapterCost>> = {
  "@auth/d1-adapter": { session: 2, userByAccount: 1, createSession: 2 },
  "@auth/mongodb-adapter": { session: 2, userByAccount: 2, createSession: 1 },
  "@auth/firebase-adapter": { session: 2, userByAccount: 2, createSession: 2 },
};

/** The cost of the adapter a package makes (its module specifier), or of an adapter not listed. */
export function authJsAdapterCost(adapterModule: string | undefined): AuthJsAdapterCost {
  return (
    (adapterModule !== undefined && Object.prototype.hasOwnProperty.call(COSTS, adapterModule) ? COSTS[adapterModule] : undefined) ??
    DEFAULT_COST
  );
}
