import ts from "typescript";
import { unwrapExpression } from "./module";
import { declarationOf, isConstDeclaration } from "./syntax";

/**
 * How an OAuth client library's functions name the authorization server they send to (oauth4webapi,
 * openid-client 6): `urls` take its URL as their first argument (`discoveryRequest(issuer)`,
 * `discovery(server, clientId)`); every other function of the library's `functions` takes its
 * metadata (`authorizationCodeGrantRequest(as, ...)`, `authorizationCodeGrant(config, ...)`), an
 * object literal whose `options` hold the server's URLs, or a value made by one of `metadata`
 * from the server's URL (`processDiscoveryResponse(issuer, response)`, `discovery(server, ...)`).
 */
export interface AuthorizationServerArgument {
  readonly urls: readonly string[];
  readonly metadata: readonly string[];
  readonly options: readonly string[];
  /** Functions that send to a resource server, by the index of the argument holding its URL (`protectedResourceRequest(token, method, url)`). */
  readonly resources: Readonly<Record<string, number>>;
}

/** The members a callee names in the library (`oauth.discoveryRequest`, an imported `discovery`), or undefined. */
export type LibraryMemberOf = (callee: ts.Expression) => string | undefined;

/**
 * The expression holding the authorization server's URL that a call of `name` sends to, found
 * through its first argument; undefined when the argument cannot be followed (a parameter, a
 * value returned by the app's own helper), so the caller names the library's fallback target. A
 * resource server's request goes to the URL it is given instead.
 */
export function authorizationServerUrl(
  spec: AuthorizationServerArgument,
  name: string,
  args: readonly ts.Expression[],
  memberOf: LibraryMemberOf,
): ts.Expression | undefined {
  const resource = Object.prototype.hasOwnProperty.call(spec.resources, name) ? spec.resources[name] : undefined;
  if (resource !== undefined) return args[resource];
  const first = args[0];
  if (!first) return undefined;
  return spec.urls.includes(name) ? first : metadataUrl(spec, first, memberOf, 0);
}

function metadataUrl(
  spec: AuthorizationServerArgument,
  expression: ts.Expression,
  memberOf: LibraryMemberOf,
  depth: number,
): ts.Expression | undefined {
  if (depth > 8) return undefined;
  let value = unwrapExpression(expression);
  if (ts.isAwaitExpression(value)) value = unwrapExpression(value.expression);
  if (ts.isObjectLiteralExpression(value)) {
    for (const name of spec.options)
      for (const property of value.properties)
        if (ts.isPropertyAssignment(property) && ts.isIdentifier(property.name) && property.name.text === name) return property.initializer;
    return undefined;
  }
  if (ts.isIdentifier(value)) {
    const declaration = declarationOf(value);
    if (!declaration || !ts.isVariableDeclaration(declaration) || !ts.isIdentifier(declaration.name)) return undefined;
    if (!declaration.initializer || !isConstDeclaration(declaration)) return undefined;
    return metadataUrl(spec, declaration.initializer, memberOf, depth + 1);
  }
  if (!ts.isCallExpression(value)) return undefined;
  const member = memberOf(value.expression);
  if (member !== undefined) return spec.metadata.includes(member) ? value.arguments[0] : undefined;
  // `discoveryRequest(issuer).then((response) => processDiscoveryResponse(issuer, response))`.
  const callee = unwrapExpression(value.expression);
  const callback = value.arguments[0];
  if (
    ts.isPropertyAccessExpression(callee) &&
    callee.name.text === "then" &&
    callback &&
    ts.isArrowFunction(callback) &&
    !ts.isBlock(callback.body)
  )
    return metadataUrl(spec, callback.body, memberOf, depth + 1);
  return undefined;
}
