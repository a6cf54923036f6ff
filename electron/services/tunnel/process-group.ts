// Starting a shell command as the leader of its own process group, and stopping the whole
// group (SIGTERM, then SIGKILL), so `kubectl` or `ssh` children are never left behind.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';

export function spawnGroup(command: string, env?: NodeJS.ProcessEnv): ChildProcess {
  return spawn(command, {
    shell: true,
    // A new session/process group on POSIX: the group id is the child's pid.
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: env ?? process.env,
    windowsHide: true,
  });
}

/** Sends a signal to the whole group; false when the group is already gone. */
export function signalGroup(pid: number, signal: NodeJS.Signals): boolean {
  if (process.platform === 'win32') {
    // No process groups: taskkill /T walks the child tree.
    const r = spawnSync(
      'taskkill',
      ['/pid', String(pid), '/T', ...(signal === 'SIGKILL' ? ['/F'] : [])],
      { stdio: 'ignore', windowsHide: true },
    );
    return r.status === 0;
  }
  try {
    process.kill(-pid, signal);
    return true;
  } catch {
    return false;
  }
}

/** Whether any process of the group is still alive (signal 0 probes without delivering). */
export function groupAlive(pid: number): boolean {
  if (process.platform === 'win32') {
    try {
      process.kill(pid, 0);
      return true;
    } catch {
      return false;
    }
  }
  try {
    process.kill(-pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** SIGTERM to the group, then SIGKILL after `graceMs` if anything is left; bounded. */
export async function stopGroup(pid: number, graceMs = 3000): Promise<void> {
  if (!signalGroup(pid, 'SIGTERM')) return;
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline) {
    if (!groupAlive(pid)) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  signalGroup(pid, 'SIGKILL');
  const killDeadline = Date.now() + 2000;
  while (Date.now() < killDeadline && groupAlive(pid)) await new Promise((r) => setTimeout(r, 20));
}

// Safety net: if the app exits without stopping its tunnels (crash, forgotten quit path),
// kill their groups synchronously so nothing is orphaned.
const liveGroups = new Set<number>();
let exitHookInstalled = false;

export function trackGroup(pid: number): void {
  liveGroups.add(pid);
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.on('exit', () => {
      for (const g of liveGroups) signalGroup(g, 'SIGKILL');
    });
  }
}

export function untrackGroup(pid: number): void {
  liveGroups.delete(pid);
}
