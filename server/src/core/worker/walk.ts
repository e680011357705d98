// The paths through a fetch handler. PathWalker is one object per analysis (`ctx.walker`); its
// parts, one per job, are the walk*.ts files (walkCore.ts says which job each has).
import { StatementWalker } from "./walkStatements";

/**
 * The paths through a fetch handler: round trips in order, what runs in parallel, in loops, in
 * branches and in waitUntil. Each function's outcome is had once per marking (see outcomeOf), and
 * kept across analyses through summaries.ts.
 */
export class PathWalker extends StatementWalker {}
