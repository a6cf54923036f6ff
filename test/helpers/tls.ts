// Self-signed CA and a server certificate for 127.0.0.1/localhost, made with `openssl`
// (Node's crypto can make keys but not X.509 certificates). Tests that need TLS call
// makeTlsFiles() and fail with a clear message when openssl is missing.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TlsFiles {
  dir: string;
  caCert: string;
  caKey: string;
  serverCert: string;
  serverKey: string;
}

export function haveOpenssl(): boolean {
  try {
    execFileSync('openssl', ['version'], { stdio: 'ignore', timeout: 10_000 });
    return true;
  } catch {
    return false;
  }
}

function openssl(args: string[], cwd: string): void {
  execFileSync('openssl', args, { cwd, stdio: ['ignore', 'ignore', 'pipe'], timeout: 30_000 });
}

/** A fresh CA and a server certificate signed by it, valid for localhost, 127.0.0.1 and ::1. */
export function makeTlsFiles(dir = mkdtempSync(join(tmpdir(), 'pprof-studio-tls-'))): TlsFiles {
  if (!haveOpenssl())
    throw new Error(
      'these tests need the openssl command to make certificates (apt-get install openssl)',
    );
  const f: TlsFiles = {
    dir,
    caCert: join(dir, 'ca.pem'),
    caKey: join(dir, 'ca.key'),
    serverCert: join(dir, 'server.pem'),
    serverKey: join(dir, 'server.key'),
  };
  openssl(
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:P-256',
      '-nodes',
      '-keyout',
      f.caKey,
      '-out',
      f.caCert,
      '-days',
      '2',
      '-subj',
      '/CN=pprof-studio test CA',
      '-addext',
      'basicConstraints=critical,CA:TRUE',
      '-addext',
      'keyUsage=critical,keyCertSign,cRLSign',
    ],
    dir,
  );
  const csr = join(dir, 'server.csr');
  openssl(
    [
      'req',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:P-256',
      '-nodes',
      '-keyout',
      f.serverKey,
      '-out',
      csr,
      '-subj',
      '/CN=localhost',
    ],
    dir,
  );
  const ext = join(dir, 'server.ext');
  writeFileSync(
    ext,
    'subjectAltName=DNS:localhost,IP:127.0.0.1,IP:::1\nextendedKeyUsage=serverAuth\nbasicConstraints=CA:FALSE\n',
  );
  openssl(
    [
      'x509',
      '-req',
      '-in',
      csr,
      '-CA',
      f.caCert,
      '-CAkey',
      f.caKey,
      '-CAcreateserial',
      '-out',
      f.serverCert,
      '-days',
      '2',
      '-extfile',
      ext,
    ],
    dir,
  );
  return f;
}
