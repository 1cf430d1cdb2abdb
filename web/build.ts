// Builds the pages' static assets: the styles (GOV.UK Frontend compiled from Sass with our
// settings), the script that enhances pages and the icon, each named by a hash of its content so it can be
// cached for a year. `npm start` and the tests serve them from .build/assets; CDK uploads the same
// folder to the assets bucket. The result is reused while its inputs have not changed.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { buildSync } from 'esbuild';
import { NodePackageImporter, compile } from 'sass';

const ROOT = path.resolve(__dirname, '..');
export const ASSETS_DIR = path.join(ROOT, '.build', 'assets');
/** The URL path the assets are served under, locally and by CloudFront. */
export const ASSETS_URL_PATH = '/assets/';

export interface BuiltAssets {
  /** the folder holding the fingerprinted files */
  readonly dir: string;
  /** logical name ("styles.css") to the URL path that serves it ("/assets/styles-1a2b3c4d5e.css") */
  readonly paths: Readonly<Record<string, string>>;
}

const INPUTS = [path.join(__dirname, 'styles.scss'), path.join(__dirname, 'enhance.js'), path.join(__dirname, 'favicon.svg'), path.join(__dirname, 'build.ts'), require.resolve('govuk-frontend/package.json')];

const hashOf = (content: string | Uint8Array, length = 10) => createHash('sha256').update(content).digest('hex').slice(0, length);

/** Synchronous, so a CDK construct can build the assets while the app is synthesised. */
export function buildAssets(dir: string = ASSETS_DIR): BuiltAssets {
  const inputsKey = hashOf(INPUTS.map((file) => readFileSync(file)).join('\0'), 64);
  const manifestFile = path.join(dir, 'manifest.json');
  if (existsSync(manifestFile)) {
    const previous = JSON.parse(readFileSync(manifestFile, 'utf8')) as { inputsKey: string; paths: Record<string, string> };
    if (previous.inputsKey === inputsKey && Object.values(previous.paths).every((url) => existsSync(path.join(dir, url.slice(ASSETS_URL_PATH.length))))) {
      return { dir, paths: previous.paths };
    }
  }
  const css = compile(path.join(__dirname, 'styles.scss'), {
    style: 'compressed',
    importers: [new NodePackageImporter()],
    quietDeps: true,
    silenceDeprecations: ['import'],
  }).css;
  const script = buildSync({
    entryPoints: [path.join(__dirname, 'enhance.js')],
    bundle: true,
    minify: true,
    format: 'esm',
    target: 'es2020',
    write: false,
    logLevel: 'silent',
  });
  const files: Record<string, string | Uint8Array> = { 'styles.css': css, 'enhance.js': script.outputFiles[0].contents, 'favicon.svg': readFileSync(path.join(__dirname, 'favicon.svg')) };

  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const paths: Record<string, string> = {};
  for (const [name, content] of Object.entries(files)) {
    const ext = path.extname(name);
    const fingerprinted = `${path.basename(name, ext)}-${hashOf(content)}${ext}`;
    writeFileSync(path.join(dir, fingerprinted), content);
    paths[name] = `${ASSETS_URL_PATH}${fingerprinted}`;
  }
  writeFileSync(manifestFile, JSON.stringify({ inputsKey, paths }, null, 2));
  return { dir, paths };
}


if (require.main === module) {
  console.log(JSON.stringify(buildAssets().paths, null, 2));
}
