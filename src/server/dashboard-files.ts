import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { escapeHtml } from '../format/html.ts';
import { webAsset } from '../platform/web-assets.ts';

/** One file the dashboard is made of, held in memory with its gzip form (the agent reads no file per request). */
export interface StaticFile {
  body: Buffer;
  gzip: Buffer;
  type: string;
  cacheControl: string;
}

/**
 * The page allows its own script, style and API and nothing else: no inline script or style, no other origin, no
 * framing. uPlot styles its elements through the CSSOM, which style-src does not govern.
 */
export const DASHBOARD_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
  "base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/** An eye in Argus' blue: the tab is told apart from the other agents' pages at a glance. */
const ICON =
  '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><path d="M2 16C7 7 25 7 30 16C25 25 7 25 2 16Z" ' +
  'fill="#1f5fbf"/><circle cx="16" cy="16" r="6" fill="#fff"/><circle cx="16" cy="16" r="3" fill="#14181c"/></svg>';

function file(body: string, type: string, cacheControl: string): StaticFile {
  const buffer = Buffer.from(body);
  return { body: buffer, gzip: gzipSync(buffer, { level: 9 }), type, cacheControl };
}

/**
 * The dashboard: a page shell and its two assets, named by content hash so a browser may keep them for a year and
 * still gets the new ones after an upgrade (the shell itself is revalidated every time). Paths are relative, so
 * the agent also works behind a reverse proxy under a prefix.
 */
export function dashboardFiles(mainMetrics: Readonly<Record<string, string>>): Map<string, StaticFile> {
  const immutable = 'public, max-age=31536000, immutable';
  const script = webAsset('dashboard.js');
  const style = webAsset('charts.css') + webAsset('dashboard.css');
  const hash = (text: string): string => createHash('sha256').update(text).digest('hex').slice(0, 12);
  const scriptPath = `assets/dashboard-${hash(script)}.js`;
  const stylePath = `assets/dashboard-${hash(style)}.css`;
  const iconPath = `assets/icon-${hash(ICON)}.svg`;
  const page = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<meta name="argus-main-metrics" content="${escapeHtml(JSON.stringify(mainMetrics))}">
<title>Argus</title>
<link rel="icon" href="${iconPath}">
<link rel="stylesheet" href="${stylePath}">
<script defer src="${scriptPath}"></script>
</head>
<body>
<noscript>The dashboard needs JavaScript; the same data is at <a href="api/v1/status">api/v1/status</a> and <a href="metrics">metrics</a>.</noscript>
</body>
</html>
`;
  return new Map([
    ['/', file(page, 'text/html; charset=utf-8', 'no-cache')],
    [`/${scriptPath}`, file(script, 'text/javascript; charset=utf-8', immutable)],
    [`/${stylePath}`, file(style, 'text/css; charset=utf-8', immutable)],
    [`/${iconPath}`, file(ICON, 'image/svg+xml', immutable)],
    // Browsers ask for it whatever the page says.
    ['/favicon.ico', file(ICON, 'image/svg+xml', 'public, max-age=86400')],
  ]);
}
