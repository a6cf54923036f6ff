#!/usr/bin/env node
// A loopback TCP forwarder used as the "tunnel command" in tests, standing in for
// `kubectl port-forward`: node tcp-forwarder.mjs LOCAL_PORT TARGET_HOST:TARGET_PORT
// [--delay-ms N] (wait N ms before listening, like a slow tunnel).
// Prints "Forwarding from 127.0.0.1:LOCAL -> HOST:PORT" once listening.
import net from 'node:net';

const [localPort, target, ...rest] = process.argv.slice(2);
const m = /^(.+):(\d+)$/.exec(target ?? '');
if (!localPort || !/^\d+$/.test(localPort) || !m) {
  process.stderr.write(
    'usage: tcp-forwarder.mjs LOCAL_PORT TARGET_HOST:TARGET_PORT [--delay-ms N]\n',
  );
  process.exit(2);
}
const delayIdx = rest.indexOf('--delay-ms');
const delayMs = delayIdx >= 0 ? Number(rest[delayIdx + 1]) : 0;
const [, host, port] = m;

const sockets = new Set();
const server = net.createServer((client) => {
  const upstream = net.connect({ host, port: Number(port) });
  sockets.add(client);
  sockets.add(upstream);
  const drop = () => {
    client.destroy();
    upstream.destroy();
    sockets.delete(client);
    sockets.delete(upstream);
  };
  client.on('error', drop);
  upstream.on('error', (err) => {
    process.stderr.write(`error forwarding to ${target}: ${err.message}\n`);
    drop();
  });
  client.on('close', drop);
  upstream.on('close', drop);
  client.pipe(upstream);
  upstream.pipe(client);
});
server.on('error', (err) => {
  process.stderr.write(`cannot listen on 127.0.0.1:${localPort}: ${err.message}\n`);
  process.exit(1);
});

setTimeout(() => {
  server.listen(Number(localPort), '127.0.0.1', () => {
    process.stdout.write(`Forwarding from 127.0.0.1:${localPort} -> ${target}\n`);
  });
}, delayMs);

const stop = () => {
  server.close();
  for (const s of sockets) s.destroy();
  process.exit(0);
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
