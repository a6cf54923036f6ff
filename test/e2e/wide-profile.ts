// A CPU profile with `n` distinct leaf functions under main.main: `n` rows in the top table.
// Built with the project's builder and encoder, like Go's own output would be.
import { GO_CPU_HEADER, ProfileBuilder } from '../../core/pprof/builder';
import { encodeProfile } from '../../core/pprof/encode';

export function wideProfile(n: number): Uint8Array {
  const b = new ProfileBuilder(GO_CPU_HEADER, n + 1);
  const main = b.location([[b.func('main.main', 'main.go'), 1]], { address: 0x1000 });
  const root = b.stack(-1, main);
  for (let i = 0; i < n; i++) {
    const leaf = b.func(`example.com/wide/pkg${(i + 1) % 97}.Leaf${i + 1}`, 'main.go');
    const stack = b.stack(root, b.location([[leaf, 1]], { address: 0x1000 + (i + 1) * 8 }));
    const count = 1 + (i % 7);
    b.sample(stack, [count, count * 10_000_000]);
  }
  return encodeProfile(b.build());
}
