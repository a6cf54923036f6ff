// Snapshot sets offered from the library as a whole: the files of one folder (opened from it
// or imported by a watched folder), one capture run or group, one target, the demo
// snapshots. A capture bundle will be one more kind of group here.
import type { SnapshotMeta } from '../contract/snapshots';

export interface SnapshotGroup {
  key: string;
  label: string;
  /** Library ids, in library order. */
  ids: string[];
}

function folderOf(path: string): string {
  const i = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
  return i > 0 ? path.slice(0, i) : path;
}

/** Groups with two or more snapshots (trashed ones left out), sorted by label. */
export function snapshotGroups(all: readonly SnapshotMeta[]): SnapshotGroup[] {
  const groups = new Map<string, SnapshotGroup>();
  const add = (key: string, label: string, id: string) => {
    const g = groups.get(key) ?? { key, label, ids: [] };
    g.ids.push(id);
    groups.set(key, g);
  };
  for (const s of all) {
    if (s.trashedAt) continue;
    if (s.source.type === 'file' || s.source.type === 'watch') {
      const dir = folderOf(s.source.path);
      add(`folder:${dir}`, `Folder ${dir}`, s.id);
    }
    if (s.source.type === 'demo') add('demo', 'Demo snapshots', s.id);
    if (s.groupId) add(`run:${s.groupId}`, `Capture run ${s.group ?? s.groupId}`, s.id);
    else if (s.group) add(`group:${s.group}`, `Group ${s.group}`, s.id);
    if (s.target) add(`target:${s.target.baseUrl}`, `Target ${s.target.name}`, s.id);
  }
  return [...groups.values()]
    .filter((g) => g.ids.length >= 2)
    .sort((a, b) => (a.label < b.label ? -1 : a.label > b.label ? 1 : 0));
}
