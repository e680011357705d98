import ts from "typescript";
import { unwrapExpression } from "./module";
import { ownEntry } from "../tables";
import { printNode, truncate } from "./syntax";

/**
 * Sequential round trips of one SMTP exchange, the fewest a real one needs (RFC 5321): the server's
 * greeting after the connection opens, the reply to EHLO, then the replies to MAIL FROM, RCPT TO and
 * DATA, and the reply to the message's end. A client using the PIPELINING extension (RFC 2920) may
 * send MAIL FROM, RCPT TO and DATA together and wait once; nodemailer and worker-mailer wait for each
 * reply, but the count stays at what any client waits for: greeting, EHLO, the envelope, the message.
 * STARTTLS (its command, the TLS handshake, EHLO again), AUTH and each further recipient add more
 * (depending on the port and the server), so this is a lower bound.
 */
export const SMTP_EXCHANGE = 4;
/** Of those, the ones that open the session (greeting, EHLO): worker-mailer's `connect()`, nodemailer's `verify()`. */
export const SMTP_GREETING = 2;

/** Methods that only open the session (worker-mailer's `connect()`, nodemailer's `verify()`). */
const SESSION_OPENERS = new Set(["connect", "verify"]);

/** What a counted SMTP call's round trips are, for its reason. */
export function smtpCallNote(roundTrips: number, method: string): string {
  if (roundTrips >= SMTP_EXCHANGE) return "an SMTP exchange";
  return SESSION_OPENERS.has(method) ? "the SMTP greeting and EHLO" : "the SMTP envelope and the message";
}

/**
 * What an SMTP sender's transport options say (nodemailer's `createTransport(options)`,
 * worker-mailer's `WorkerMailer.connect(options)`):
 *
 * - `local`: a transport that builds the message in the Worker and sends nothing (nodemailer's
 *   `jsonTransport`, `streamTransport`, and `sendmail`, which runs a local program the Worker does
 *   not have): its calls are no round trips;
 * - `smtp`: an SMTP server, at the `address` given (the `host` option or an `smtp://` / `smtps://`
 *   URL: resolved where hosts are), or at the host of a well-known `service` name (`"gmail"`),
 *   undefined when the name is not one the table knows;
 * - `other`: a transport the analyser does not know (a plugin object, `createTransport(mg(auth))`,
 *   options it cannot read): its round trips cannot be counted; `construct` names it.
 */
export type SmtpTransport =
  | { readonly kind: "local"; readonly option: string }
  | { readonly kind: "smtp"; readonly address?: ts.Expression; readonly serviceHost?: string; readonly service?: string }
  | { readonly kind: "other"; readonly construct: string };

export interface SmtpSpec {
  /** Options that make a transport sending nothing, when they are not `false`. */
  readonly localTransports?: readonly string[];
  /** Well-known service names, normalized (see serviceKey), and their SMTP hosts. */
  readonly services?: Readonly<Record<string, string>>;
}

/** The option names that hold the SMTP server's address. */
const ADDRESS_OPTIONS = new Set(["host", "hostname"]);

/**
 * A service name as nodemailer looks it up: the part after an `@` (an address is taken for its
 * domain), without characters other than letters, digits, dots and dashes, lower-cased.
 */
export function serviceKey(name: string): string {
  return (name.split("@").pop() ?? "").replace(/[^a-zA-Z0-9.-]/g, "").toLowerCase();
}

/**
 * The transport an SMTP sender's options make. `evaluate` gives the string an expression holds
 * (undefined when unknown); `literals` the object literals an expression that is not one holds.
 */
export function smtpTransport(
  options: ts.Expression | undefined,
  spec: SmtpSpec,
  evaluate: (expression: ts.Expression) => string | undefined,
  literals: (expression: ts.Expression) => readonly ts.ObjectLiteralExpression[],
): SmtpTransport {
  // No options: nodemailer's SMTP transport to its default host (not one the Worker can name).
  if (!options) return { kind: "smtp" };
  const value = unwrapExpression(options);
  const literal = ts.isObjectLiteralExpression(value) ? value : singleLiteral(literals(value));
  if (literal) return literalTransport(literal, spec, evaluate);
  const text = ts.isCallExpression(value) || ts.isNewExpression(value) ? undefined : evaluate(value);
  if (text !== undefined && /^smtps?:\/\//i.test(text)) return { kind: "smtp", address: value };
  return { kind: "other", construct: truncate(printNode(value)) };
}

function literalTransport(
  literal: ts.ObjectLiteralExpression,
  spec: SmtpSpec,
  evaluate: (expression: ts.Expression) => string | undefined,
): SmtpTransport {
  let address: ts.Expression | undefined;
  let service: ts.Expression | undefined;
  let spread = false;
  for (const property of literal.properties) {
    if (ts.isSpreadAssignment(property)) {
      spread = true;
      continue;
    }
    const name = propertyName(property);
    if (name === undefined) continue;
    const held = ts.isPropertyAssignment(property)
      ? property.initializer
      : ts.isShorthandPropertyAssignment(property)
        ? property.name
        : undefined;
    if (!held) continue;
    if (spec.localTransports?.includes(name) && unwrapExpression(held).kind !== ts.SyntaxKind.FalseKeyword)
      return { kind: "local", option: name };
    if (ADDRESS_OPTIONS.has(name)) address ??= held;
    if (name === "service") service ??= held;
  }
  if (address) return { kind: "smtp", address };
  if (service) {
    const serviceName = evaluate(service);
    const serviceHost = serviceName !== undefined && spec.services ? ownEntry(spec.services, serviceKey(serviceName)) : undefined;
    return { kind: "smtp", ...(serviceHost ? { serviceHost } : {}), ...(serviceName !== undefined ? { service: serviceName } : {}) };
  }
  // Spread options (`{ ...config }`) may hold any transport: not known.
  if (spread) return { kind: "other", construct: truncate(printNode(literal)) };
  return { kind: "smtp" };
}

function singleLiteral(found: readonly ts.ObjectLiteralExpression[]): ts.ObjectLiteralExpression | undefined {
  return found.length === 1 ? found[0] : undefined;
}

function propertyName(property: ts.ObjectLiteralElementLike): string | undefined {
  const name = property.name;
  if (!name) return undefined;
  return ts.isIdentifier(name) || ts.isStringLiteralLike(name) ? name.text : undefined;
}
