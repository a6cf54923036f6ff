// Reads the real Go output kept in ./testdata (see testdata/README.md).
import { readFileSync } from 'node:fs';

export function testdata(name: string): Uint8Array {
  return new Uint8Array(readFileSync(new URL(`./testdata/${name}`, import.meta.url)));
}

export function testdataText(name: string): string {
  return readFileSync(new URL(`./testdata/${name}`, import.meta.url), 'utf8');
}
