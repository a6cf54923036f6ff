// Process-wide hardening: no navigation, no new windows, no webviews, no permissions.
import { shell, type Session, type WebContents } from 'electron';

/** The project's pages (package.json "homepage"). */
export const HOMEPAGE_URL = 'https://pprof-studio.invalid/';
export const DOCS_URL = 'https://pprof-studio.invalid/docs';
/** Links the app may open in the user's browser (Help → Documentation). */
export const EXTERNAL_LINKS = new Set([HOMEPAGE_URL, DOCS_URL]);

export function denyAllPermissions(ses: Session): void {
  ses.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  ses.setPermissionCheckHandler(() => false);
  ses.setDevicePermissionHandler(() => false);
  ses.setDisplayMediaRequestHandler((_req, callback) => callback({}));
}

export function openExternalIfAllowed(url: string): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (parsed.protocol !== 'https:' || !EXTERNAL_LINKS.has(parsed.href)) return false;
  void shell.openExternal(parsed.href);
  return true;
}

export function hardenWebContents(contents: WebContents): void {
  contents.on('will-navigate', (event) => event.preventDefault());
  contents.on('will-redirect', (event) => event.preventDefault());
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    openExternalIfAllowed(url);
    return { action: 'deny' };
  });
}
