import { createConnection, ProposedFeatures, StreamMessageReader, StreamMessageWriter, type Connection } from "vscode-languageserver/node";
import { startServer, type Lifecycle } from "./server";

/**
 * Starts the language server on the transport named on the command line (`--stdio`,
 * `--node-ipc`, `--socket=N`, `--pipe=NAME`).
 *
 * Over stdio the frames are read here: a frame whose header cannot be read leaves the stream at
 * an unknown position, so the server says why on stderr and exits (clients restart it) instead
 * of staying alive and deaf. A body that is not JSON is only that message: it is skipped.
 */
export function runServer(): void {
  const lifecycle: { state: Lifecycle } = { state: "new" };
  if (!process.argv.includes("--stdio")) {
    startServer(createConnection(ProposedFeatures.all), lifecycle);
    return;
  }
  const reader = new StreamMessageReader(process.stdin);
  const writer = new StreamMessageWriter(process.stdout);
  reader.onError((error) => {
    if (error instanceof SyntaxError) return;
    process.stderr.write(`smart-placement: unreadable message frame (${error.message.split("\n")[0]}); exiting\n`);
    process.exit(1);
  });
  const connection: Connection = createConnection(ProposedFeatures.all, reader, writer);
  // What createConnection does for stdio streams itself: stdout carries the protocol, so stray
  // console output goes to the client's log; the end of stdin ends the server.
  console.log = (...args: unknown[]) => connection.console.log(args.map(String).join(" "));
  console.info = console.log;
  console.warn = (...args: unknown[]) => connection.console.warn(args.map(String).join(" "));
  console.error = (...args: unknown[]) => connection.console.error(args.map(String).join(" "));
  const end = (): never => process.exit(lifecycle.state === "shutdown" ? 0 : 1);
  process.stdin.on("end", end);
  process.stdin.on("close", end);
  startServer(connection, lifecycle);
}
