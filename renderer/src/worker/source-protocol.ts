// Requests of the Source panel to a profile Worker (merged into protocol.ts's Ops): the line
// costs of one function, as `go tool pprof -list` computes them, with the calls inlined
// under each call line. The file text itself comes from the back end (readSource).
import type { InlinedCall, ListFile, ListLine } from '../../../core/pprof/source-list';
import type { Filters, ValueType, ViewParams } from './protocol';

export type { InlinedCall, ListLine };

/** A file of the function: pprof's listing of it, and the calls inlined at its lines. */
export interface SourceFileView extends ListFile {
  inlined: InlinedCall[];
}

export interface SourceView {
  name: string;
  sampleType: ValueType;
  /** pprof's total: the base of the percentages. */
  total: number;
  /** Empty when the profile records no file for the function. */
  files: SourceFileView[];
}

export interface SourceRequest {
  params: ViewParams;
  /** The function, by its exact name. */
  name: string;
}

export interface CompareSourceRequest {
  /** Sample type name shared by both sides. */
  sampleType: string;
  filters: Filters;
  name: string;
}

export interface CompareSourceView {
  before: SourceView;
  after: SourceView;
}

/** Request name -> [argument, result]; merged into protocol.ts's Ops. */
export interface SourceOps {
  source: [SourceRequest, SourceView];
  compareSource: [CompareSourceRequest, CompareSourceView];
}
