// `pprof-studio serve`: the workstation in a browser, on the same back end as the app.
import { spawn } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { chmod, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { pathToFileURL } from 'node:url';
import { dirname, join, resolve } from 'node:path';
import { InputError, UsageError, intOption, optionValue, parseArgs } from '../args';
import type { CliIO, Command } from '../command';
import { VERSION } from '../main';
import { createAppServices, defaultDataDir } from '../../services/app-services';
import { ServeError, startServer } from '../../server/server';
import { isLoopbackHost } from '../../server/guard';
import { FileSecretStore, MemorySecretStore } from '../../services/targets';

const usage = `Usage: pprof-studio serve [--port N] [--host 127.0.0.1] [--data DIR] [--open] [--allow-remote [--allow-tunnels] [--allow-watch-folders] [--allow-ca-files]] [--secrets-file FILE]

Serves the workstation to a browser: the built renderer and its API, on the snapshot
library in DIR (default: the app's own data folder, ${defaultDataDir()}).

Options:
  --port N          port to listen on (default 0: any free port)
  --host ADDR       address to bind (default 127.0.0.1); a non-loopback address also
                    needs --allow-remote
  --data DIR        data folder holding library/ and settings.json
  --open            open the URL in the default browser (through a page only this user can
                    read, so the token is not on a command line others can see)
  --allow-remote    allow binding a non-loopback --host (the token still guards the API).
                    The token then grants this user's file and command access over the
                    network, so tunnel commands, folder watching and CA-file paths are off
                    unless named by their own flag:
  --allow-tunnels   with --allow-remote: run targets' tunnel commands (each new or changed
                    command still needs a confirmation in the browser before its first run)
  --allow-watch-folders
                    with --allow-remote: watch folders (paths on this machine)
  --allow-ca-files  with --allow-remote: read CA files named by targets
  --renderer DIR    the built renderer to serve (default: out/renderer of this install)
  --secrets-file FILE
                    keep live targets' tokens and passwords in FILE (JSON, must be mode
                    0600, created if missing); without it they are held in memory only and
                    must be entered again after a restart

Prints "pprof Studio serving at http://127.0.0.1:PORT/?token=...". Every /api/ request
needs that token. Stop with Ctrl+C.
`;

/** The install's root: the folder holding package.json above this bundle (out/cli). */
function installRoot(): string {
  let dir = typeof __dirname === 'string' ? __dirname : process.cwd();
  for (let i = 0; i < 6; i++) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    dir = dirname(dir);
  }
  return process.cwd();
}

/** The command that opens `target` (a URL or a file) in the default browser. */
export function browserCommand(target: string): [string, string[]] {
  return process.platform === 'darwin'
    ? ['open', [target]]
    : process.platform === 'win32'
      ? ['cmd', ['/c', 'start', '""', target.replace(/&/g, '^&')]]
      : ['xdg-open', [target]];
}

/**
 * A page that sends the browser to `url` (which carries the token), in a folder and file only
 * this user can read. `--open` opens this file, so the token never appears on a command line
 * that other users can read (ps, /proc/PID/cmdline). Removed once the browser had time to
 * read it, and on exit.
 */
export async function writeLaunchPage(url: string): Promise<{ path: string; remove: () => void }> {
  const dir = await mkdtemp(join(tmpdir(), 'pprof-studio-open-'));
  await chmod(dir, 0o700);
  const path = join(dir, 'open.html');
  const href = url.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
  await writeFile(
    path,
    `<!doctype html><meta charset="utf-8"><meta http-equiv="refresh" content="0;url=${href}"><title>pprof Studio</title><a href="${href}">Open pprof Studio</a>\n`,
    { mode: 0o600 },
  );
  return { path, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

async function openBrowser(url: string): Promise<() => void> {
  const page = await writeLaunchPage(url);
  const [cmd, args] = browserCommand(pathToFileURL(page.path).href);
  try {
    const child = spawn(cmd, args, { detached: true, stdio: 'ignore' });
    child.on('error', () => undefined);
    child.unref();
  } catch {
    // Best effort: the URL is printed anyway.
  }
  const timer = setTimeout(page.remove, 60_000);
  timer.unref();
  return () => {
    clearTimeout(timer);
    page.remove();
  };
}

/** The startup warning of --allow-remote: what the token grants, and what is off. */
export function remoteWarning(
  host: string,
  allow: { tunnels: boolean; watchFolders: boolean; caFiles: boolean },
): string {
  const state = (on: boolean, flag: string) => (on ? `ON (${flag})` : `off (add ${flag})`);
  return [
    `warning: --allow-remote: the API listens on ${host} over plain HTTP. Anyone who can reach`,
    `  this address and holds the token acts as ${process.env.USER ?? 'this user'} on this machine:`,
    '  reads every snapshot in the library, imports files and, with the flags below, runs',
    '  commands and reads files. The token travels unencrypted: use a trusted network only.',
    `  tunnel commands: ${state(allow.tunnels, '--allow-tunnels')}`,
    `  folder watching: ${state(allow.watchFolders, '--allow-watch-folders')}`,
    `  CA-file paths:   ${state(allow.caFiles, '--allow-ca-files')}`,
    '',
  ].join('\n');
}

function waitForSignal(): Promise<string> {
  return new Promise((resolveSignal) => {
    const on = (sig: NodeJS.Signals) => {
      process.off('SIGINT', on);
      process.off('SIGTERM', on);
      resolveSignal(sig);
    };
    process.on('SIGINT', on);
    process.on('SIGTERM', on);
  });
}

export const serveCommand: Command = {
  name: 'serve',
  summary: 'serve the workstation to a browser (loopback, token-protected)',
  usage,
  async run(argv: string[], io: CliIO): Promise<number> {
    const args = parseArgs(argv, {
      port: { value: true },
      host: { value: true },
      data: { value: true },
      open: {},
      'allow-remote': {},
      'allow-tunnels': {},
      'allow-watch-folders': {},
      'allow-ca-files': {},
      renderer: { value: true },
      'secrets-file': { value: true },
    });
    if (args.positionals.length > 0)
      throw new UsageError(`unexpected argument '${args.positionals[0]}'`);
    const port = intOption(args, 'port', 0);
    if (port > 65535) throw new UsageError(`--port must be between 0 and 65535, got ${port}`);
    const hostGiven = optionValue(args, 'host');
    const host = hostGiven ?? '127.0.0.1';
    const allowRemote = args.flags.has('allow-remote');
    if (allowRemote && hostGiven === undefined)
      throw new UsageError('--allow-remote needs an explicit --host ADDRESS to bind');
    for (const f of ['allow-tunnels', 'allow-watch-folders', 'allow-ca-files'])
      if (args.flags.has(f) && !allowRemote)
        throw new UsageError(`--${f} only applies with --allow-remote (on loopback it is on)`);
    // Off under --allow-remote unless named: each lets the token name commands or files.
    const allow = allowRemote
      ? {
          tunnels: args.flags.has('allow-tunnels'),
          watchFolders: args.flags.has('allow-watch-folders'),
          caFiles: args.flags.has('allow-ca-files'),
        }
      : undefined;
    if (!isLoopbackHost(host) && !allowRemote)
      throw new UsageError(
        `--host ${host} is not a loopback address; add --allow-remote to expose the workstation`,
      );
    const root = installRoot();
    const rendererDir = resolve(optionValue(args, 'renderer') ?? join(root, 'out', 'renderer'));
    if (!existsSync(join(rendererDir, 'index.html')))
      throw new InputError(`no built renderer at ${rendererDir}: run \`npm run build\` first`);
    const dataDir = resolve(optionValue(args, 'data') ?? defaultDataDir());
    const secretsFile = optionValue(args, 'secrets-file');
    let secrets;
    try {
      secrets = secretsFile
        ? await FileSecretStore.open(resolve(secretsFile))
        : new MemorySecretStore();
    } catch (e) {
      throw new InputError(e instanceof Error ? e.message : String(e));
    }

    const services = await createAppServices({
      dataDir,
      demoDir: join(root, 'resources', 'demo'),
      transport: 'http',
      version: VERSION,
      secrets,
      allow,
    });
    let server;
    try {
      server = await startServer({
        backend: services.backend,
        events: services.events,
        rendererDir,
        host,
        port,
        allowRemote,
        downloadName: (id) => services.library.suggestedFileName(id),
      });
    } catch (e) {
      if (e instanceof ServeError) throw new InputError(e.message);
      throw e;
    }
    io.stdout(`pprof Studio serving at ${server.url}\n`);
    io.stdout(`library: ${services.library.dir}\n`);
    if (allow) io.stderr(remoteWarning(host, allow));
    const removeLaunchPage = args.flags.has('open') ? await openBrowser(server.url) : null;
    await waitForSignal();
    removeLaunchPage?.();
    await server.close();
    await services.close();
    return 0;
  },
};
