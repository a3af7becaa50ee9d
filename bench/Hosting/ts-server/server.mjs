// (c) The official TypeScript SDK's documented stateless Streamable HTTP server (as in baselines.md): a new McpServer
// and StreamableHTTPServerTransport per request, tool `echo` via registerTool + zod. SSE responses (the SDK default).
// Usage: node server.mjs <node_modules dir> <port>
import { pathToFileURL } from 'node:url';
import { join } from 'node:path';

const [modules, port] = process.argv.slice(2);
const load = (p) => import(pathToFileURL(join(modules, p)).href);
const { McpServer } = await load('@modelcontextprotocol/sdk/dist/esm/server/mcp.js');
const { StreamableHTTPServerTransport } = await load('@modelcontextprotocol/sdk/dist/esm/server/streamableHttp.js');
const { createMcpExpressApp } = await load('@modelcontextprotocol/sdk/dist/esm/server/express.js');
const { z } = await load('zod/index.js');

const app = createMcpExpressApp();
app.post('/mcp', async (req, res) => {
  const server = new McpServer({ name: 'bench-echo-ts', version: '1.0.0' });
  server.registerTool('echo', { description: 'Echoes the message back.', inputSchema: { message: z.string() } },
    async ({ message }) => ({ content: [{ type: 'text', text: message }] }));
  const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined });
  res.on('close', () => { transport.close(); server.close(); });
  await server.connect(transport);
  await transport.handleRequest(req, res, req.body);
});
app.listen(Number(port), '127.0.0.1');
