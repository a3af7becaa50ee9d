// A legacy MCP stdio server for the proxy's tests, with no dependencies: it speaks only 2024-11-05 (as
// @modelcontextprotocol/server-github on SDK 1.0.1 does) and can misbehave on purpose. One JSON-RPC message per line.
//   node legacy-child.mjs [--mode normal|never-initialize|garbage|flood-stderr|exit-at-once] [--marker FILE]
// --marker writes this process's pid to FILE (for tests that look for leftover processes).
import { createInterface } from 'node:readline';
import { writeFileSync, appendFileSync } from 'node:fs';

const args = process.argv.slice(2);
const option = (name, fallback) => { const i = args.indexOf(name); return i >= 0 ? args[i + 1] : fallback; };
const mode = option('--mode', 'normal');
const marker = option('--marker', null);
const cancelLog = option('--cancel-log', null);
if (marker) writeFileSync(marker, String(process.pid));

if (mode === 'exit-at-once') { process.stderr.write('legacy-child: exiting at once as asked\n'); process.exit(3); }
if (mode === 'flood-stderr') {
  const line = 'flood '.repeat(20) + '\n';
  const pump = () => { while (process.stderr.write(line)) { } process.stderr.once('drain', pump); };
  pump();
}
if (mode === 'garbage') setInterval(() => process.stdout.write('this is not JSON-RPC\n'), 20);

const send = (message) => process.stdout.write(JSON.stringify(message) + '\n');
const tools = [
  { name: 'echo', description: 'Echoes the message', inputSchema: { type: 'object', properties: { message: { type: 'string' } } } },
  { name: 'slow', description: 'Answers after ms milliseconds unless cancelled', inputSchema: { type: 'object', properties: { ms: { type: 'number' } } } },
  { name: 'progress', description: 'Reports progress three times', inputSchema: { type: 'object' } },
  { name: 'sample', description: 'Asks the client to sample', inputSchema: { type: 'object' } },
  { name: 'crash', description: 'Exits with code 1', inputSchema: { type: 'object' } },
  { name: 'add_tool', description: 'Adds a tool and says tools/list_changed', inputSchema: { type: 'object' } },
  { name: 'extra', description: 'Returns fields the SDK types do not know', inputSchema: { type: 'object' } },
];
const pending = new Map();      // our server-to-client requests
const running = new Map();      // request id -> timer of a slow call
let nextId = 1;

const result = (id, value) => send({ jsonrpc: '2.0', id, result: value });
const text = (t) => ({ content: [{ type: 'text', text: t }] });

function call(id, params) {
  const a = params?.arguments ?? {};
  const token = params?._meta?.progressToken;
  switch (params?.name) {
    case 'echo': return result(id, text(String(a.message ?? '')));
    case 'slow': {
      const timer = setTimeout(() => { running.delete(id); result(id, text(`slept ${a.ms}`)); }, Number(a.ms ?? 1000));
      running.set(id, timer);
      return;
    }
    case 'progress': {
      let step = 0;
      const tick = () => {
        step++;
        if (token !== undefined) send({ jsonrpc: '2.0', method: 'notifications/progress', params: { progressToken: token, progress: step, total: 3 } });
        if (step < 3) setTimeout(tick, 10); else result(id, text('done'));
      };
      return tick();
    }
    case 'sample': {
      const mine = nextId++;
      pending.set(mine, (answer) => result(id, answer.error
        ? { content: [{ type: 'text', text: `sampling failed: ${answer.error.code} ${answer.error.message}` }], isError: true }
        : text(`sampled: ${answer.result?.content?.text ?? JSON.stringify(answer.result)}`)));
      return send({ jsonrpc: '2.0', id: mine, method: 'sampling/createMessage', params: { messages: [{ role: 'user', content: { type: 'text', text: 'hi' } }], maxTokens: 10 } });
    }
    case 'crash': process.exit(1);
    case 'add_tool':
      tools.push({ name: `added_${tools.length}`, description: 'added', inputSchema: { type: 'object' } });
      send({ jsonrpc: '2.0', method: 'notifications/tools/list_changed' });
      return result(id, text('added'));
    case 'extra':
      return result(id, { content: [{ type: 'text', text: 'x', annotations: { audience: ['user'] }, futureField: 1 }], futureResultField: { nested: [1, 2, 3] }, _meta: { 'vendor/trace': 'abc' } });
    default:
      return send({ jsonrpc: '2.0', id, error: { code: -32602, message: `Unknown tool: ${params?.name}`, data: { known: tools.map(t => t.name) } } });
  }
}

createInterface({ input: process.stdin }).on('line', (line) => {
  if (!line.trim()) return;
  const message = JSON.parse(line);
  if (message.method === undefined) {            // an answer to our own request
    pending.get(message.id)?.(message);
    pending.delete(message.id);
    return;
  }
  switch (message.method) {
    case 'initialize':
      if (mode === 'never-initialize') return;
      if (mode === 'garbage') { process.stdout.write('Server running on stdio (a banner that belongs on stderr)\n'); return; }
      return result(message.id, {
        protocolVersion: '2024-11-05',
        capabilities: { tools: { listChanged: true }, logging: {} },
        serverInfo: { name: 'legacy-child', version: '1.0.1' },
        instructions: 'A test server that speaks only 2024-11-05.',
      });
    case 'notifications/initialized': return;
    case 'notifications/cancelled': {
      const id = message.params?.requestId;
      clearTimeout(running.get(id));
      if (running.delete(id) && cancelLog) appendFileSync(cancelLog, `cancelled ${id}\n`);
      return;
    }
    case 'ping': return result(message.id, {});
    case 'tools/list': return result(message.id, { tools });
    case 'tools/call': return call(message.id, message.params);
    case 'prompts/get':
      // The prompt 'hang' is never answered: a request other than tools/call that meets the proxy's request timeout.
      if (message.params?.name === 'hang') return;
      return send({ jsonrpc: '2.0', id: message.id, error: { code: -32601, message: `Method not found: ${message.method}` } });
    default:
      if (message.id !== undefined) send({ jsonrpc: '2.0', id: message.id, error: { code: -32601, message: `Method not found: ${message.method}` } });
  }
});
process.stdin.on('end', () => process.exit(0));
