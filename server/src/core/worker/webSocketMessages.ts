import ts from "typescript";
import { unwrapExpression } from "./module";
import { declarationOf } from "./syntax";

const { findAncestor, forEachChild, isArrowFunction, isCallExpression, isFunctionExpression, isFunctionLike } = ts;
const { isIdentifier, isNewExpression, isPropertyAccessExpression, isStringLiteralLike, isVariableDeclaration } = ts;

/**
 * The "message" listener of a WebSocket the fetch handler itself accepted:
 * `const [client, server] = Object.values(new WebSocketPair()); server.accept();
 * server.addEventListener("message", async (event) => {...})`. Not hibernated (no
 * `state.acceptWebSocket`), the socket lives in the Worker's invocation: each message runs the
 * listener there, and the client waits for its answer, so its round trips are the route's.
 * Undefined for any other listener (a close or error listener, an abort signal's, a socket the
 * Worker opened itself with `new WebSocket(url)`, one never accepted here).
 */
export function webSocketMessageListener(
  callee: ts.Expression,
  args: readonly ts.Expression[],
): ts.ArrowFunction | ts.FunctionExpression | undefined {
  if (!isPropertyAccessExpression(callee)) return undefined;
  const event = args[0] && unwrapExpression(args[0]);
  if (!event || !isStringLiteralLike(event) || event.text !== "message") return undefined;
  return acceptedHere(callee.expression, args[1]);
}

/** `server.onmessage = async (event) => {...}` on such a socket (see webSocketMessageListener). */
export function webSocketMessageAssignment(
  target: ts.PropertyAccessExpression,
  value: ts.Expression,
): ts.ArrowFunction | ts.FunctionExpression | undefined {
  return target.name.text === "onmessage" ? acceptedHere(target.expression, value) : undefined;
}

/** The listener, when it is a function written there and `socket` is an end of a pair accepted in the same function. */
function acceptedHere(socket: ts.Expression, value: ts.Expression | undefined): ts.ArrowFunction | ts.FunctionExpression | undefined {
  const listener = value && unwrapExpression(value);
  if (!listener || !(isArrowFunction(listener) || isFunctionExpression(listener))) return undefined;
  const receiver = unwrapExpression(socket);
  if (!isIdentifier(receiver) || !fromWebSocketPair(receiver, 0)) return undefined;
  // Accepted in the same function: `server.accept()`.
  const scope = findAncestor(receiver, isFunctionLike);
  if (!scope || !acceptsIn(scope, receiver.text)) return undefined;
  return listener;
}

/** Whether a variable holds (a side of) a `new WebSocketPair()`: directly, destructured, or through `Object.values(pair)`. */
function fromWebSocketPair(identifier: ts.Identifier, depth: number): boolean {
  if (depth > 3) return false;
  const declaration = declarationOf(identifier);
  const variable = declaration && findAncestor(declaration, (n) => isVariableDeclaration(n) || isFunctionLike(n));
  if (!variable || !isVariableDeclaration(variable) || !variable.initializer) return false;
  let found = false;
  const visit = (node: ts.Node): void => {
    if (found) return;
    if (isNewExpression(node) && isIdentifier(node.expression) && node.expression.text === "WebSocketPair") found = true;
    else if (isIdentifier(node) && node !== identifier && fromWebSocketPair(node, depth + 1)) found = true;
    else forEachChild(node, visit);
  };
  visit(variable.initializer);
  return found;
}

/** Whether `scope` calls `name.accept()`. */
function acceptsIn(scope: ts.Node, name: string): boolean {
  let found = false;
  const visit = (node: ts.Node): void => {
    if (found) return;
    if (
      isCallExpression(node) &&
      isPropertyAccessExpression(node.expression) &&
      node.expression.name.text === "accept" &&
      isIdentifier(node.expression.expression) &&
      node.expression.expression.text === name
    )
      found = true;
    else forEachChild(node, visit);
  };
  visit(scope);
  return found;
}
