// Source files for the Source panel, read by the back end (never by the renderer), and the
// source settings: the user's source roots (a recorded path prefix mapped to a local folder),
// GOROOT and GOMODCACHE.
import { arr, obj, oneOf, str, tagged, type Validator } from './validate';
import { MAX_PATH_LENGTH } from './snapshots';

/** Largest source file the back end reads (and the contract carries). */
export const MAX_SOURCE_BYTES = 4 * 1024 * 1024;
export const MAX_SOURCE_ROOTS = 100;

export interface SourceRoot {
  /** A prefix of recorded paths, e.g. github.com/acme/orders ('' matches every relative path). */
  prefix: string;
  /** The local folder it maps to, absolute (a leading ~/ means the home folder). */
  folder: string;
}

export interface SourceSettings {
  roots: SourceRoot[];
  /** GOROOT for the standard library; '' means `go env GOROOT`. */
  goroot: string;
  /** The module cache for module@version paths; '' means `go env GOMODCACHE`. */
  gomodcache: string;
}

export interface SourceSettingsInfo extends SourceSettings {
  /** What `go env` answered ('' when Go is not installed or did not answer). */
  detectedGoroot: string;
  detectedGomodcache: string;
}

const pathText = str({ max: MAX_PATH_LENGTH });
export const sourceRoot: Validator<SourceRoot> = obj<SourceRoot>({
  prefix: pathText,
  folder: str({ min: 1, max: MAX_PATH_LENGTH }),
});
export const sourceSettings: Validator<SourceSettings> = obj<SourceSettings>({
  roots: arr(sourceRoot, MAX_SOURCE_ROOTS),
  goroot: pathText,
  gomodcache: pathText,
});
export const sourceSettingsInfo: Validator<SourceSettingsInfo> = obj<SourceSettingsInfo>({
  roots: arr(sourceRoot, MAX_SOURCE_ROOTS),
  goroot: pathText,
  gomodcache: pathText,
  detectedGoroot: pathText,
  detectedGomodcache: pathText,
});

export interface ReadSourceRequest {
  /** The snapshot whose profile names the file. */
  id: string;
  /** The file name exactly as the profile records it. */
  file: string;
}
export const readSourceRequest: Validator<ReadSourceRequest> = obj<ReadSourceRequest>({
  id: str({ min: 1, max: 200 }),
  file: str({ min: 1, max: MAX_PATH_LENGTH }),
});

/** Where a candidate came from, in the order they are tried. */
export const SOURCE_VIAS = ['recorded', 'root', 'goroot', 'gomodcache'] as const;
export type SourceVia = (typeof SOURCE_VIAS)[number];

/** Why a candidate was not used. */
export const SOURCE_REJECTIONS = [
  'missing',
  'outside-roots',
  'parent-segment',
  'symlink-out',
  'not-a-file',
  'too-large',
  'unreadable',
] as const;
export type SourceRejection = (typeof SOURCE_REJECTIONS)[number];

export interface SourceAttempt {
  via: SourceVia;
  /** The local path tried. */
  path: string;
  outcome: SourceRejection;
  /** A sentence for the user. */
  detail: string;
}
const sourceAttempt: Validator<SourceAttempt> = obj<SourceAttempt>({
  via: oneOf(SOURCE_VIAS),
  path: pathText,
  outcome: oneOf(SOURCE_REJECTIONS),
  detail: str({ max: 1000 }),
});

export type SourceResult =
  | {
      status: 'found';
      file: string;
      via: SourceVia;
      /** The file read (its real path). */
      path: string;
      text: string;
      tried: SourceAttempt[];
    }
  | {
      status: 'not-found';
      file: string;
      tried: SourceAttempt[];
      /** A prefix of the recorded path a new source root could map (its folder). */
      suggestedPrefix: string;
    };

export const sourceResult: Validator<SourceResult> = tagged<SourceResult>('status', {
  found: obj({
    status: oneOf(['found'] as const),
    file: pathText,
    via: oneOf(SOURCE_VIAS),
    path: pathText,
    text: str({ max: MAX_SOURCE_BYTES }),
    tried: arr(sourceAttempt, 1000),
  }) as Validator<SourceResult>,
  'not-found': obj({
    status: oneOf(['not-found'] as const),
    file: pathText,
    tried: arr(sourceAttempt, 1000),
    suggestedPrefix: pathText,
  }) as Validator<SourceResult>,
});
