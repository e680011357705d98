import { runServer } from "./connection";

// dist/server.js: the language server as the VS Code client starts it (and tests over stdio).
runServer();
