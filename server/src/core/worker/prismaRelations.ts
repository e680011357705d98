import ts from "typescript";
import { unwrapExpression } from "./module";
import { getNameText } from "./valuesCore";
import type { PrismaSchema } from "./prismaSchema";

const { isObjectLiteralExpression, isPropertyAssignment, isStringLiteralLike } = ts;

/**
 * The relations a Prisma model call loads with queries of their own.
 *
 * Prisma's query engine reads an included relation (`include: { author: true }`, or a relation
 * chosen in `select` with an object, `select: { author: { select: { name: true } } }`) with a
 * second query after the first (`SELECT ... WHERE id IN (...)`, over the ids the first returned),
 * and a relation nested in it with a third after that; sibling relations are read one after
 * another. Each is a round trip through the driver adapter, so one call is 1 + one per relation.
 * Only `relationLoadStrategy: "join"` (the `relationJoins` preview feature, PostgreSQL and MySQL
 * only, never SQLite or D1, where it is also the default: see joinedByDefault) makes the database
 * join them in the one query.
 *
 * Read from the call's object literal only: a relation named in `select` with `true` cannot be
 * told from a scalar field without the schema and is not counted, nor is `_count` (its counts are
 * aggregated in the parent's query), nor an `include` that is not written out.
 */
export function prismaRelationQueries(argument: ts.Expression | undefined): readonly string[] {
  if (!argument) return [];
  const options = unwrapExpression(argument);
  if (!isObjectLiteralExpression(options)) return [];
  if (relationLoadStrategy(options) === "join") return [];
  return nestedRelations(options, "", 0);
}

/**
 * Whether a call written without `relationLoadStrategy: "query"` is joined in the database all the
 * same: with the `relationJoins` preview feature on, `join` is the default (PostgreSQL, CockroachDB
 * and MySQL; the feature does nothing on SQLite). A strategy not written as a string may be `join`.
 */
export function joinedByDefault(argument: ts.Expression | undefined, schemas: readonly PrismaSchema[]): boolean {
  if (!schemas.some((schema) => schema.relationJoins && JOINING_PROVIDERS.has(schema.provider ?? ""))) return false;
  const options = argument ? unwrapExpression(argument) : undefined;
  return !options || !isObjectLiteralExpression(options) || relationLoadStrategy(options) !== "query";
}

const JOINING_PROVIDERS = new Set(["postgresql", "postgres", "cockroachdb", "mysql"]);

/** `relationLoadStrategy: "join"`: the string; written otherwise: "unknown"; absent: undefined. */
function relationLoadStrategy(options: ts.ObjectLiteralExpression): string | undefined {
  const strategy = propertyValue(options, "relationLoadStrategy");
  return strategy ? (stringValue(strategy) ?? "unknown") : undefined;
}

/** How deep nested relations are followed: a literal deeper than this is a program, not a query. */
const MAX_DEPTH = 8;

/** The relations `include` and `select` of one level load, with those nested in them (`author.posts`). */
function nestedRelations(options: ts.ObjectLiteralExpression, prefix: string, depth: number): string[] {
  if (depth > MAX_DEPTH) return [];
  const relations: string[] = [];
  for (const key of ["include", "select"] as const) {
    const chosen = propertyValue(options, key);
    const fields = chosen ? unwrapExpression(chosen) : undefined;
    if (!fields || !isObjectLiteralExpression(fields)) continue;
    for (const property of fields.properties) {
      if (!isPropertyAssignment(property)) continue;
      const name = getNameText(property.name);
      if (name === undefined || name === "_count") continue;
      const value = unwrapExpression(property.initializer);
      const path = prefix + name;
      if (isObjectLiteralExpression(value)) {
        relations.push(path, ...nestedRelations(value, path + ".", depth + 1));
      } else if (key === "include" && value.kind === ts.SyntaxKind.TrueKeyword) {
        // In `select`, `true` is as likely a scalar field: only `include` names relations alone.
        relations.push(path);
      }
    }
  }
  return relations;
}

function propertyValue(object: ts.ObjectLiteralExpression, name: string): ts.Expression | undefined {
  for (const property of object.properties)
    if (isPropertyAssignment(property) && getNameText(property.name) === name) return property.initializer;
  return undefined;
}

function stringValue(expression: ts.Expression): string | undefined {
  const value = unwrapExpression(expression);
  return isStringLiteralLike(value) ? value.text : undefined;
}
