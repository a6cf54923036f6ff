// Read-only views of what the UI shows, for the browser tests (window.__pprofStudioTest):
// they check the flame graph and the table from data, not from pixels. Nothing here can
// change state.
type Hook = () => unknown;

const hooks = new Map<string, Hook>();

export function registerTestHook(name: string, hook: Hook): () => void {
  hooks.set(name, hook);
  return () => {
    if (hooks.get(name) === hook) hooks.delete(name);
  };
}

export function installTestHooks(): void {
  const api = {
    /** JSON-safe snapshot of one hook's data, or null when that view is not shown. */
    read(name: string): unknown {
      const h = hooks.get(name);
      return h ? JSON.parse(JSON.stringify(h())) : null;
    },
    names(): string[] {
      return [...hooks.keys()];
    },
  };
  Object.defineProperty(window, '__pprofStudioTest', {
    value: Object.freeze(api),
    configurable: false,
  });
}
