// App-wide keyboard commands: the shell fires them, the visible view handles them.
import { onBeforeUnmount } from 'vue';

export type CommandName = 'focusSearch' | 'resetZoom';

const handlers = new Map<CommandName, Set<() => void>>();

export function useCommands(): {
  run: (name: CommandName) => void;
  /** Registers a handler for the lifetime of the calling component. */
  on: (name: CommandName, fn: () => void) => void;
} {
  return {
    run(name) {
      for (const fn of handlers.get(name) ?? []) fn();
    },
    on(name, fn) {
      let set = handlers.get(name);
      if (!set) handlers.set(name, (set = new Set()));
      set.add(fn);
      onBeforeUnmount(() => set.delete(fn));
    },
  };
}
