// Interop check: the official TypeScript SDK client lists and calls tools on a C# server built on McpFleet.Hosting.
// Usage: node ts-client.mjs <node_modules dir> <mcp url>. Prints one JSON object; exits non-zero on any failure.
import { pathToFileURL } from 'node:url';
import { join } from 'node:path';

const [modules, url] = process.argv.slice(2);
const load = (p) => import(pathToFileURL(join(modules, '@modelcontextprotocol/sdk/dist/esm', p)).href);
const { Client } = await load('client/index.js');
const { StreamableHTTPClientTransport } = await load('client/streamableHttp.js');

const client = new Client({ name: 'mcpfleet-interop', version: '1.0.0' });
await client.connect(new StreamableHTTPClientTransport(new URL(url)));
const tools = await client.listTools();
const echo = await client.callTool({ name: 'echo', arguments: { message: 'hello from typescript' } });
const error = await client.callTool({ name: 'test_error_handling', arguments: {} });
console.log(JSON.stringify({
  server: client.getServerVersion(),
  protocolVersion: client.transport?.protocolVersion ?? null,
  tools: tools.tools.map((t) => t.name),
  echo: echo.content[0].text,
  errorIsError: error.isError === true,
}));
await client.close();
