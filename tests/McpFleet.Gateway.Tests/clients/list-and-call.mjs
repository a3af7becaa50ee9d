// A TypeScript SDK client (@modelcontextprotocol/sdk 1.x, protocol 2025-11-25) against the gateway: lists every tool
// (all pages) and calls one. Prints {"tools": [...names], "call": "<text>"} on stdout.
//   NODE_MODULES_DIR=<.tools/npm/node_modules> node list-and-call.mjs <url> <tool> <json arguments> [bearer]
// The SDK is imported from NODE_MODULES_DIR: this script lives in the test output, where no node_modules is.
import { join } from "node:path";
import { pathToFileURL } from "node:url";

const sdk = (path) => import(pathToFileURL(join(process.env.NODE_MODULES_DIR, "@modelcontextprotocol/sdk/dist/esm", path)).href);
const { Client } = await sdk("client/index.js");
const { StreamableHTTPClientTransport } = await sdk("client/streamableHttp.js");

const [url, tool, args, bearer] = process.argv.slice(2);
const headers = bearer ? { Authorization: `Bearer ${bearer}` } : {};
const transport = new StreamableHTTPClientTransport(new URL(url), { requestInit: { headers } });
const client = new Client({ name: "gateway-tests-ts", version: "1.0.0" });
await client.connect(transport);
const tools = [];
let cursor;
do {
  const page = await client.listTools(cursor ? { cursor } : {});
  tools.push(...page.tools.map((t) => t.name));
  cursor = page.nextCursor;
} while (cursor);
const result = await client.callTool({ name: tool, arguments: JSON.parse(args) });
console.log(JSON.stringify({ tools, call: result.content?.[0]?.text ?? null, isError: result.isError ?? false }));
await client.close();
