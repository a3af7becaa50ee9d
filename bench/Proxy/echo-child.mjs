// The benchmark's stdio child: the official TypeScript SDK (1.x, as the npm servers a bridge wraps) with one tool, echo.
//   node echo-child.mjs <node_modules>
import { pathToFileURL } from 'node:url';
import { join } from 'node:path';

const modules = process.argv[2];
const load = (path) => import(pathToFileURL(join(modules, path)).href);
const { McpServer } = await load('@modelcontextprotocol/sdk/dist/esm/server/mcp.js');
const { StdioServerTransport } = await load('@modelcontextprotocol/sdk/dist/esm/server/stdio.js');
const { z } = await load('zod/index.js');

const server = new McpServer({ name: 'echo', version: '1.0.0' });
server.registerTool('echo', { description: 'Echoes the message back.', inputSchema: { message: z.string() } },
  async ({ message }) => ({ content: [{ type: 'text', text: message }] }));
await server.connect(new StdioServerTransport());
