// An upstream with 20 tools (tool_01 … tool_20) for the catalog benchmark: the official TypeScript SDK's stateless
// Streamable HTTP server. The gateway fronts it 16 times under 16 names, so it lists 320 tools.
// Usage: node tools-server.mjs <node_modules dir> <port>
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
  const server = new McpServer({ name: 'bench-tools', version: '1.0.0' });
  for (let i = 1; i <= 20; i++) {
    const name = `tool_${String(i).padStart(2, '0')}`;
    server.registerTool(name, { description: `Benchmark tool ${i}: echoes its text with a description long enough to look like a real one.`, inputSchema: { text: z.string(), count: z.number().optional() } },
      async ({ text }) => ({ content: [{ type: 'text', text }] }));
  }
  const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined });
  res.on('close', () => { transport.close(); server.close(); });
  await server.connect(transport);
  await transport.handleRequest(req, res, req.body);
});
app.listen(Number(port), '127.0.0.1');
