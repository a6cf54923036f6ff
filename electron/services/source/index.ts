export { SourceService, goEnv, type GoEnv, type SourceServiceOptions } from './source-service';
export { resolveSource, sourceCandidates, expandFolder, type ResolveConfig } from './resolver';
