// Real GODEBUG=gctrace=1,scavtrace=1 output of test/targets/orders (Go 1.26.8, 2 P,
// `orders -mode before -write DIR -duration 2s`), copied verbatim for the unit tests; the
// integration test (test/integration/gctrace.test.ts) runs the program itself.
export const REAL_BEFORE = `gc 1 @0.011s 1%: 0.25+2.7+0.008 ms clock, 0.51+0.15/0.12/0.12+0.016 ms cpu, 5->5->3 MB, 5 MB goal, 0 MB stacks, 0 MB globals, 2 P
gc 2 @0.016s 1%: 0.18+7.9+0.20 ms clock, 0.37+0.13/0.11/0.14+0.41 ms cpu, 7->8->6 MB, 7 MB goal, 0 MB stacks, 0 MB globals, 2 P
gc 3 @0.105s 3%: 0.26+18+0.20 ms clock, 0.52+4.7/3.1/0.14+0.41 ms cpu, 12->13->11 MB, 13 MB goal, 0 MB stacks, 0 MB globals, 2 P
gc 4 @0.158s 3%: 0.16+8.1+0.008 ms clock, 0.33+0.13/2.9/6.8+0.016 ms cpu, 21->23->22 MB, 22 MB goal, 0 MB stacks, 0 MB globals, 2 P
gc 5 @0.406s 4%: 6.0+23+1.8 ms clock, 12+0.045/20/1.2+3.7 ms cpu, 40->43->27 MB, 44 MB goal, 0 MB stacks, 0 MB globals, 2 P
scav 0 KiB work (bg), 0 KiB work (eager), 6008 KiB now, 84% util
gc 6 @0.642s 4%: 0.084+54+0.15 ms clock, 0.16+0.48/27/27+0.31 ms cpu, 50->53->36 MB, 55 MB goal, 0 MB stacks, 0 MB globals, 2 P
gc 7 @1.034s 4%: 0.080+57+0.18 ms clock, 0.16+0.12/21/26+0.36 ms cpu, 66->68->37 MB, 73 MB goal, 0 MB stacks, 0 MB globals, 2 P
gc 8 @1.464s 4%: 0.20+84+0.12 ms clock, 0.40+0.48/36/20+0.25 ms cpu, 67->69->37 MB, 74 MB goal, 0 MB stacks, 0 MB globals, 2 P
gc 9 @1.878s 3%: 10+43+0.15 ms clock, 20+0.073/17/16+0.31 ms cpu, 67->69->23 MB, 74 MB goal, 0 MB stacks, 0 MB globals, 2 P
gc 10 @2.173s 3%: 0.31+24+0.006 ms clock, 0.63+7.1/5.1/9.9+0.012 ms cpu, 45->49->28 MB, 48 MB goal, 0 MB stacks, 0 MB globals, 2 P
gc 11 @2.255s 3%: 0.29+10+0.005 ms clock, 0.58+0/0.82/17+0.010 ms cpu, 37->37->18 MB, 57 MB goal, 0 MB stacks, 0 MB globals, 2 P (forced)
wrote /tmp/gcw-before: mode=before orders=11 duration=2s
`;

export const REAL_LINES = REAL_BEFORE.split('\n').filter((l) => l.startsWith('gc '));
