import { describe, expect, it } from 'vitest';
import { parseCmdline, parsePprofIndex } from '../../../electron/services/targets/pprof-index';

// The shape of net/http/pprof's index (pprof.go indexTmplExecute).
const INDEX = `<html>
<head>
<title>/debug/pprof/</title>
</head>
<body>
/debug/pprof/
<br>
Types of profiles available:
<table>
<thead><td>Count</td><td>Profile</td></thead>
<tr><td>14</td><td><a href='allocs?debug=1'>allocs</a></td></tr>
<tr><td>0</td><td><a href='block?debug=1'>block</a></td></tr>
<tr><td></td><td><a href='cmdline?debug=1'>cmdline</a></td></tr>
<tr><td>5</td><td><a href='goroutine?debug=1'>goroutine</a></td></tr>
<tr><td>14</td><td><a href='heap?debug=1'>heap</a></td></tr>
<tr><td></td><td><a href='profile?debug=1'>profile</a></td></tr>
<tr><td>1</td><td><a href='my&lt;custom&gt;?debug=1'>my&lt;custom&gt;</a></td></tr>
</table>
<a href="goroutine?debug=2">full goroutine stack dump</a>
<ul>
<li><div class=profile-name>allocs: </div> A sampling of all past memory allocations</li>
</ul>
</body></html>`;

describe('parsePprofIndex', () => {
  it('lists the offered profiles with their counts', () => {
    const p = parsePprofIndex(INDEX)!;
    expect(p.map((x) => x.name)).toEqual([
      'allocs',
      'block',
      'cmdline',
      'goroutine',
      'heap',
      'profile',
      'my<custom>',
    ]);
    expect(p.find((x) => x.name === 'goroutine')!.count).toBe(5);
    expect(p.find((x) => x.name === 'profile')!.count).toBeNull();
    expect(p.find((x) => x.name === 'allocs')!.description).toBe(
      'A sampling of all past memory allocations',
    );
  });

  it('says null for pages that are not a pprof index', () => {
    expect(parsePprofIndex('<html><body>Welcome to orders</body></html>')).toBeNull();
    expect(parsePprofIndex('404 page not found')).toBeNull();
  });

  it('splits cmdline on NUL', () => {
    expect(parseCmdline('/bin/orders\0-mode\0before')).toEqual(['/bin/orders', '-mode', 'before']);
    expect(parseCmdline('')).toEqual([]);
  });
});
