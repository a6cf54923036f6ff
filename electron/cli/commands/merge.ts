// `pprof-studio merge`: several profiles into one, like `go tool pprof -proto A B ...`.
import {
  compatibilizeSampleTypes,
  mergeProfiles,
  scaleToCommonUnits,
  checkCompatible,
} from '../../../core/pprof/merge';
import type { Profile } from '../../../core/pprof/model';
import { UsageError, parseArgs } from '../args';
import type { CliIO, Command } from '../command';
import { loadProfile, withEngineErrors } from '../profile-input';
import { outputPath, writeProfile } from '../profile-output';

const usage = `Usage: pprof-studio merge A B ... -o OUT

Merges profiles (files or http(s) URLs) into one gzipped profile.proto that
\`go tool pprof\` reads, with pprof's rules: samples with the same stack and labels add up,
only the sample types all inputs share are kept, units are converted to the finest one.

Options:
  -o, --output FILE        where to write (required); written only on success

Exit codes: 0 written, 1 bad input (one line on stderr names the file and the problem),
2 usage.
`;

export const mergeCommand: Command = {
  name: 'merge',
  summary: 'merge profiles into one .pb.gz (pprof merge rules)',
  usage,
  async run(argv: string[], io: CliIO): Promise<number> {
    const args = parseArgs(argv, { output: { value: true, short: 'o' }, timeout: { value: true } });
    if (args.positionals.length < 1) throw new UsageError('give the profiles to merge');
    const out = await outputPath(args);
    const names = args.positionals;
    const profiles: Profile[] = [];
    for (const name of names) profiles.push(await loadProfile(name, args));
    // Check each input against the first so an error names the file at fault.
    for (let i = 1; i < profiles.length; i++) {
      withEngineErrors(`${names[i]} (merging with ${names[0]})`, () => {
        const pair = scaleToCommonUnits(compatibilizeSampleTypes([profiles[0], profiles[i]]));
        checkCompatible(pair[0], pair[1]);
      });
    }
    const merged = withEngineErrors(names.join(', '), () => mergeProfiles(profiles));
    const size = await writeProfile(out, merged);
    io.stdout(
      `wrote ${out}: ${merged.samples.length} samples from ${names.length} profiles (${size} bytes)\n`,
    );
    return 0;
  },
};
