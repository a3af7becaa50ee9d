// Drives a stdio MCP server directly, as the limit a bridge is measured against: initialize once, then keep
// <concurrency> tools/call echo requests in flight for <seconds>, and print "rps p50_ms p99_ms errors".
//   node stdio-driver.mjs <concurrency> <seconds> -- <command> [args...]
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';

const [concurrency, seconds] = process.argv.slice(2, 4).map(Number);
const command = process.argv.slice(process.argv.indexOf('--') + 1);
const child = spawn(command[0], command.slice(1), { stdio: ['pipe', 'pipe', 'inherit'] });
const pending = new Map();
let nextId = 1;
const send = (message) => child.stdin.write(JSON.stringify(message) + '\n');
const request = (method, params) => new Promise((resolve) => {
  const id = nextId++;
  pending.set(id, { resolve, start: process.hrtime.bigint() });
  send({ jsonrpc: '2.0', id, method, params });
});
createInterface({ input: child.stdout }).on('line', (line) => {
  const message = JSON.parse(line);
  const entry = pending.get(message.id);
  if (!entry) return;
  pending.delete(message.id);
  entry.resolve({ message, ns: process.hrtime.bigint() - entry.start });
});

await request('initialize', { protocolVersion: '2024-11-05', capabilities: {}, clientInfo: { name: 'driver', version: '1' } });
send({ jsonrpc: '2.0', method: 'notifications/initialized' });

const latencies = [];
let errors = 0;
let stop = false;
const params = { name: 'echo', arguments: { message: 'hello world' } };
const worker = async () => {
  while (!stop) {
    const { message, ns } = await request('tools/call', params);
    if (message.result?.content?.[0]?.text === 'hello world') latencies.push(Number(ns) / 1e6); else errors++;
  }
};
const started = process.hrtime.bigint();
setTimeout(() => { stop = true; }, seconds * 1000);
await Promise.all(Array.from({ length: concurrency }, worker));
const elapsed = Number(process.hrtime.bigint() - started) / 1e9;
latencies.sort((a, b) => a - b);
const at = (q) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))].toFixed(2);
console.log(`${Math.round(latencies.length / elapsed)} ${at(0.5)}ms ${at(0.99)}ms ${errors ? errors + ' errors' : 'none'}`);
child.stdin.end();
child.kill();
