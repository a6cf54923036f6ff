// `pprof-studio filter`: a profile with pprof's filters applied, written as a new .pb.gz
// (like `go tool pprof -proto -focus=... FILE`).
import { prepareProfile } from '../../../core/pprof/report';
import { UsageError, parseArgs } from '../args';
import type { CliIO, Command } from '../command';
import { loadProfile, oneLine, withEngineErrors } from '../profile-input';
import { outputPath, writeProfile } from '../profile-output';

const usage = `Usage: pprof-studio filter FILE|URL [filters] -o OUT

Applies pprof's filters to a profile and writes the result as a gzipped profile.proto that
\`go tool pprof\` reads (the profile's own drop_frames are applied too, as pprof does).

Filters (Go RE2 regexes, matched against function name, file name or binary):
  --focus RE               keep samples with a frame matching RE
  --ignore RE              drop samples with a frame matching RE
  --hide RE                remove matching frames from stacks
  --show RE                keep only matching frames in stacks
  --show-from RE           drop the frames above the outermost match
  --tagfocus EXPR          keep samples whose labels match (KEY=RE,..., RE, or 128kb:512kb)
  --tagignore EXPR         drop samples whose labels match
  --prune-from RE          drop the callees of the leaf-most matching frame
  -o, --output FILE        where to write (required); written only on success

Exit codes: 0 written, 1 bad input (one line on stderr names the file and the problem),
2 usage.
`;

export const filterCommand: Command = {
  name: 'filter',
  summary: 'write a profile with focus/ignore/hide/... applied (.pb.gz)',
  usage,
  async run(argv: string[], io: CliIO): Promise<number> {
    const args = parseArgs(argv, {
      output: { value: true, short: 'o' },
      timeout: { value: true },
      focus: { value: true },
      ignore: { value: true },
      hide: { value: true },
      show: { value: true },
      'show-from': { value: true },
      tagfocus: { value: true },
      tagignore: { value: true },
      'prune-from': { value: true },
    });
    if (args.positionals.length !== 1) throw new UsageError('give exactly one profile FILE or URL');
    const opt = (k: string): string | undefined => args.options.get(k)?.[0];
    const filters = {
      focus: opt('focus'),
      ignore: opt('ignore'),
      hide: opt('hide'),
      show: opt('show'),
      showFrom: opt('show-from'),
      tagFocus: opt('tagfocus'),
      tagIgnore: opt('tagignore'),
      pruneFrom: opt('prune-from'),
    };
    const out = await outputPath(args);
    const source = args.positionals[0];
    const profile = await loadProfile(source, args);
    const prep = withEngineErrors(source, () => prepareProfile(profile, filters));
    for (const w of prep.warnings) io.stderr(`${oneLine(w)}\n`);
    const size = await writeProfile(out, prep.profile);
    io.stdout(
      `wrote ${out}: ${prep.profile.samples.length} of ${profile.samples.length} samples (${size} bytes)\n`,
    );
    return 0;
  },
};
