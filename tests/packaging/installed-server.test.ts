/**
 * The server as a user gets it from npm: the server and every workspace package it depends on are
 * packed with `pnpm pack` (which turns `workspace:*` into real versions), the tarballs are installed
 * with npm in an empty folder outside the repository (their other dependencies come from the npm
 * registry), and the installed `cartrita-server` must serve the demo page and the widget files.
 * Needs the build (`pnpm build`) and the npm registry.
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, realpathSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const execFileAsync = promisify(execFile);
const root = fileURLToPath(new URL('../../', import.meta.url));

interface PackageJson {
  name: string;
  version: string;
  private?: boolean;
  bin?: Record<string, string>;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
}

const sha256 = (data: Buffer): string => createHash('sha256').update(data).digest('hex');

const readJson = async <T>(path: string): Promise<T> => JSON.parse(await readFile(path, 'utf8')) as T;

/**
 * The environment of the package managers run here: this process's, without the `npm_*` and `pnpm_*`
 * settings a package manager hands to the scripts it runs (`npm_config_local_prefix` would send npm's
 * install into the repository), and with this Node first on `PATH`, so the installed server's
 * `#!/usr/bin/env node` runs on the Node the project pins.
 */
const cleanEnv = (): NodeJS.ProcessEnv => {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!/^(npm|pnpm)_/i.test(key) && key !== 'NODE_PATH') env[key] = value;
  }
  env.PATH = `${dirname(process.execPath)}${delimiter}${process.env.PATH ?? ''}`;
  return env;
};

/** Runs a command to completion, failing with its output; each one is bounded in time. */
const run = async (file: string, args: string[], cwd: string, timeout: number): Promise<string> => {
  try {
    const { stdout } = await execFileAsync(file, args, {
      cwd,
      env: cleanEnv(),
      timeout,
      maxBuffer: 64 * 1024 * 1024,
    });
    return stdout;
  } catch (error) {
    const { stdout = '', stderr = '' } = error as { stdout?: string; stderr?: string };
    throw new Error(`${file} ${args.join(' ')} failed in ${cwd}:\n${stdout}\n${stderr}`, { cause: error });
  }
};

/** Runs the pnpm the repository pins (`packageManager`), through npx as the README does. */
const pnpm = async (args: string[], cwd: string): Promise<string> => {
  const { packageManager } = await readJson<{ packageManager: string }>(join(root, 'package.json'));
  return run('npx', ['-y', packageManager, ...args], cwd, 60_000);
};

/**
 * The workspace packages `name` needs at run time, itself included: the closure of its
 * `dependencies`, `optionalDependencies` and `peerDependencies` over the workspace, read from each
 * package's package.json (a new workspace dependency is packed without changing this test).
 */
const runtimeClosure = async (name: string): Promise<{ dir: string; pkg: PackageJson }[]> => {
  const listed = JSON.parse(await pnpm(['ls', '-r', '--depth', '-1', '--json'], root)) as {
    name: string;
    path: string;
  }[];
  const workspace = new Map<string, { dir: string; pkg: PackageJson }>();
  for (const { path } of listed) {
    const pkg = await readJson<PackageJson>(join(path, 'package.json'));
    workspace.set(pkg.name, { dir: path, pkg });
  }
  const needed = new Map<string, { dir: string; pkg: PackageJson }>();
  const visit = (packageName: string): void => {
    const entry = workspace.get(packageName);
    if (!entry || needed.has(packageName)) return;
    needed.set(packageName, entry);
    const { dependencies, optionalDependencies, peerDependencies } = entry.pkg;
    for (const dependency of Object.keys({ ...dependencies, ...optionalDependencies, ...peerDependencies })) {
      visit(dependency);
    }
  };
  visit(name);
  return [...needed.values()];
};

let work: string;
let app: string;
let packed: { dir: string; pkg: PackageJson }[];
let server: ChildProcess | undefined;
let url: string;
let output = '';

beforeAll(async () => {
  const serverBin = join(root, 'reference-server/dist/cli.js');
  if (!existsSync(serverBin)) throw new Error(`${serverBin} is missing: build first (pnpm build).`);
  work = await mkdtemp(join(tmpdir(), 'cartrita-installed-'));
  const tarballs = join(work, 'tarballs');
  app = join(work, 'app');
  await mkdir(tarballs);
  await mkdir(app);

  packed = await runtimeClosure('@cartrita/server');
  const files: string[] = [];
  for (const { dir } of packed) {
    const printed = await pnpm(['pack', '--json', '--pack-destination', tarballs], dir);
    files.push((JSON.parse(printed) as { filename: string }).filename);
  }

  await writeFile(join(app, 'package.json'), `${JSON.stringify({ name: 'app', private: true })}\n`);
  await run(
    'npm',
    [
      'install',
      '--no-audit',
      '--no-fund',
      '--ignore-scripts',
      '--prefer-offline',
      '--loglevel=error',
      ...files,
    ],
    app,
    180_000,
  );

  const child = spawn(
    join(app, 'node_modules/.bin/cartrita-server'),
    ['--host', '127.0.0.1', '--port', '0', '--data-dir', join(work, 'data'), '--log-level', 'silent'],
    { cwd: app, env: cleanEnv(), stdio: ['ignore', 'pipe', 'pipe'] },
  );
  server = child;
  child.stdout?.on('data', (data: Buffer) => {
    output += data.toString();
  });
  child.stderr?.on('data', (data: Buffer) => {
    output += data.toString();
  });
  url = await new Promise<string>((resolve, reject) => {
    const onData = () => {
      const match = /Cartrita is listening on (http:\/\/\S+)/.exec(output);
      if (!match) return;
      child.stdout?.off('data', onData);
      child.off('exit', onExit);
      resolve(match[1] as string);
    };
    const onExit = (code: number | null) =>
      reject(new Error(`The installed server exited with ${code} before listening:\n${output}`));
    child.stdout?.on('data', onData);
    child.once('exit', onExit);
    child.once('error', reject);
  });
}, 300_000);

afterAll(async () => {
  if (server && server.exitCode === null && server.signalCode === null) {
    const exited = new Promise((resolve) => server?.once('exit', resolve));
    server.kill('SIGTERM');
    await exited;
  }
  if (work) await rm(work, { recursive: true, force: true });
});

describe('the server installed from its packed tarballs', () => {
  it('packs the server with its workspace dependencies, at the versions pnpm writes in', async () => {
    const names = packed.map(({ pkg }) => pkg.name);
    expect(names).toContain('@cartrita/server');
    expect(names).toContain('@cartrita/widget');
    const versions = Object.fromEntries(packed.map(({ pkg }) => [pkg.name, pkg.version]));
    for (const { pkg } of packed) {
      const installedPath = join(app, 'node_modules', pkg.name);
      // A real copy from the tarball, not a link back into the repository.
      expect(realpathSync(installedPath)).toBe(installedPath);
      const installed = await readJson<PackageJson>(join(installedPath, 'package.json'));
      expect(installed.version).toBe(pkg.version);
      expect(JSON.stringify(installed)).not.toContain('workspace:');
      const fromWorkspace = Object.entries(installed.dependencies ?? {}).filter(([name]) => name in versions);
      expect(Object.fromEntries(fromWorkspace)).toEqual(
        Object.fromEntries(fromWorkspace.map(([name]) => [name, versions[name]])),
      );
    }
  });

  it('serves the demo page as HTML', async () => {
    const response = await fetch(`${url}/`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(await response.text()).toContain('<cartrita-chat id="inline"');
  });

  it('serves the widget script the demo page references, from the installed widget package', async () => {
    const { version } = await readJson<PackageJson>(join(app, 'node_modules/@cartrita/widget/package.json'));
    const html = await (await fetch(`${url}/`)).text();
    const scripts = [...html.matchAll(/<script src="([^"]+)"/g)].map((match) => match[1]);
    expect(scripts).toEqual([`/widget/v${version}/cartrita-chat.js`, '/demo.js']);
    const widget = await fetch(`${url}${scripts[0]}`);
    expect(widget.status).toBe(200);
    expect(widget.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    const installedFile = await readFile(join(app, 'node_modules/@cartrita/widget/dist/cartrita-chat.js'));
    expect(sha256(Buffer.from(await widget.arrayBuffer()))).toBe(sha256(installedFile));
  });

  it('serves every other file the demo page links', async () => {
    const html = await (await fetch(`${url}/`)).text();
    const linked = [...html.matchAll(/<(?:script src|link rel="[^"]+" href)="([^"]+)"/g)]
      .map((match) => match[1] as string)
      .filter((path) => !path.startsWith('/widget/'));
    const answers = await Promise.all(
      linked.map(async (path) => {
        const response = await fetch(`${url}${path}`);
        return [path, response.status, response.headers.get('content-type')];
      }),
    );
    expect(answers).toEqual([
      ['/favicon.svg', 200, 'image/svg+xml; charset=utf-8'],
      ['/demo.css', 200, 'text/css; charset=utf-8'],
      ['/demo.js', 200, 'application/javascript; charset=utf-8'],
    ]);
  });
});
