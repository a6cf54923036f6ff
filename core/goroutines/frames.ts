// What Go's own printers do with function names, so that stacks read from debug=1 text,
// debug=2 text and the protobuf profile can be compared: which frames a traceback shows,
// how generic instantiations are printed, which package a function belongs to.

/** `main.worker[go.shape.int]` → `main.worker[...]`, as tracebacks print type arguments. */
export function normalizeGenerics(name: string): string {
  if (!name.includes('[')) return name;
  let out = '';
  let depth = 0;
  for (const c of name) {
    if (c === '[') {
      if (depth === 0) out += '[...]';
      depth++;
    } else if (c === ']') {
      if (depth > 0) depth--;
    } else if (depth === 0) {
      out += c;
    }
  }
  return out;
}

/** The import path of a function symbol: `internal/sync.(*Mutex).Lock` → `internal/sync`. */
export function funcPackage(name: string): string {
  const plain = normalizeGenerics(name);
  const slash = plain.lastIndexOf('/');
  const dot = plain.indexOf('.', slash + 1);
  return dot < 0 ? '' : plain.slice(0, dot);
}

/** runtime's isExportedRuntime: an exported runtime function or method of an exported type. */
function isExportedRuntime(name: string): boolean {
  if (!name.startsWith('runtime.')) return false;
  let rest = name.slice('runtime.'.length);
  let receiver = '';
  const dot = rest.lastIndexOf('.');
  if (dot >= 0) {
    receiver = rest.slice(0, dot);
    rest = rest.slice(dot + 1);
    if (receiver.startsWith('(*') && receiver.endsWith(')')) receiver = receiver.slice(2, -1);
  }
  const upper = (s: string): boolean => s.length > 0 && s[0] >= 'A' && s[0] <= 'Z';
  return upper(rest) && (receiver === '' || upper(receiver));
}

/** runtime frames that tracebacks show although they are not exported. */
const ALWAYS_SHOWN = new Set(['runtime.runFinalizers', 'runtime.runCleanups']);

/**
 * Whether a debug=2 traceback shows this function (runtime's showfuncinfo at the default
 * level): unexported runtime functions and runtime.goexit are hidden; `panic` stands for
 * runtime.gopanic and is shown below the leaf.
 */
export function isTracebackVisible(name: string, isLeaf: boolean): boolean {
  if (name === 'panic' || name === 'runtime.gopanic') return !isLeaf;
  if (ALWAYS_SHOWN.has(name)) return true;
  if (!name.includes('.')) return false;
  return !name.startsWith('runtime.') || isExportedRuntime(name);
}

/** The name a traceback prints for a function: generics as `[...]`, gopanic as `panic`. */
export function tracebackName(name: string): string {
  return name === 'runtime.gopanic' ? 'panic' : normalizeGenerics(name);
}

/**
 * Function names of a stack (leaf first) reduced to what every Go goroutine printer shows:
 * traceback-visible frames, leading internal/runtime frames dropped (debug=1 drops them),
 * names as tracebacks print them. Two sources of the same goroutine give the same list.
 */
export function comparableFrames(namesLeafFirst: readonly string[]): string[] {
  const out: string[] = [];
  for (const raw of namesLeafFirst) {
    if (!isTracebackVisible(raw, out.length === 0)) continue;
    if (out.length === 0 && raw.startsWith('internal/runtime/')) continue;
    out.push(tracebackName(raw));
  }
  return out;
}

/** First path elements of Go's standard library packages (Go 1.26), plus `vendor`. */
const STDLIB_ROOTS = new Set(
  (
    'archive bufio builtin bytes cmp compress container context crypto database debug embed ' +
    'encoding errors expvar flag fmt go hash html image index internal io iter log maps math ' +
    'mime net os path plugin reflect regexp runtime slices sort strconv strings structs sync ' +
    'syscall testing text time unicode unique unsafe vendor weak'
  ).split(' '),
);

/**
 * Whether a function belongs to Go's standard library rather than the program, from its
 * import path (file names cannot tell: -trimpath prints `runtime/proc.go` for GOROOT files).
 */
export function isStdlibFrame(func: string): boolean {
  const pkg = funcPackage(func);
  if (pkg === '' || pkg === 'main') return false;
  const first = pkg.split('/')[0];
  return !first.includes('.') && STDLIB_ROOTS.has(first);
}
