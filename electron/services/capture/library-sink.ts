// The snapshot library as the sink of captures and watched files: maps our metadata onto
// the library's import input.
import type { Library, StoreInput } from '../library';
import type { SinkMeta, SinkResult, SnapshotSink } from './snapshot-sink';

export function librarySink(library: Pick<Library, 'import'>): SnapshotSink {
  return {
    async import(bytes: Uint8Array, meta: SinkMeta): Promise<SinkResult> {
      let input: StoreInput;
      if (meta.source.type === 'capture' && 'kind' in meta) {
        input = {
          bytes,
          fileName: meta.fileName,
          name: meta.name,
          source: meta.source,
          target: meta.target,
          group: meta.group,
          note: meta.note,
          // A goroutineleak profile is a goroutine profile (its step key tells them apart).
          kindHint: meta.kind === 'goroutineleak' ? 'goroutine' : meta.kind,
          capturedAt: meta.capturedAt,
          // Profiles carry their own duration_nanos; a trace's is the requested duration.
          durationNanos:
            meta.format === 'trace' && meta.seconds !== null ? meta.seconds * 1e9 : undefined,
          capture: {
            groupId: meta.groupId,
            stepKey: meta.stepKey,
            delta: meta.delta,
            seconds: meta.seconds,
          },
        };
      } else {
        input = { bytes, fileName: meta.fileName, source: meta.source };
      }
      const r = await library.import(input);
      return { id: r.snapshot.id, outcome: r.outcome };
    },
  };
}
