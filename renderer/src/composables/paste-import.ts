// Pasting text anywhere outside a text field imports it as a snapshot, like dropping a file:
// a GC log (GODEBUG=gctrace=1 lines copied from a terminal or a log viewer) or a goroutine
// dump. The back end decides the kind from the content and names what it expected otherwise.
import { onBeforeUnmount, onMounted } from 'vue';
import { useLibraryStore } from '../stores/library';

/** The file name a paste is stored under: "pasted 2026-12-07 10.00.00.txt" (local time). */
export function pastedName(d = new Date()): string {
  const p = (n: number): string => String(n).padStart(2, '0');
  return `pasted ${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}.${p(d.getMinutes())}.${p(d.getSeconds())}.txt`;
}

function inTextField(t: EventTarget | null): boolean {
  const el = t as HTMLElement | null;
  return (
    !!el &&
    (el.tagName === 'INPUT' ||
      el.tagName === 'TEXTAREA' ||
      el.tagName === 'SELECT' ||
      el.isContentEditable)
  );
}

export function usePasteImport(): void {
  const lib = useLibraryStore();
  const onPaste = (e: ClipboardEvent): void => {
    if (inTextField(e.target)) return;
    const text = e.clipboardData?.getData('text/plain') ?? '';
    if (!text.trim()) return;
    e.preventDefault();
    void lib.importFiles([new File([text], pastedName(), { type: 'text/plain' })]);
  };
  onMounted(() => window.addEventListener('paste', onPaste));
  onBeforeUnmount(() => window.removeEventListener('paste', onPaste));
}
