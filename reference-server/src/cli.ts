#!/usr/bin/env node
/** @module The `cartrita-server` command. */
import { parseArgs } from 'node:util';
import { flagHelp } from './config/flag-help.js';
import { ConfigError, configFlags, loadConfig } from './config.js';
import { startServer } from './server.js';

const help = `Usage: cartrita-server [options]

Starts the Cartrita reference server. With no options it listens on http://127.0.0.1:8000,
keeps its data in ./.data (SQLite) and answers with the offline demo provider.

Options:
${flagHelp([
  ['-h, --help', 'Show this help'],
  ['-v, --version', 'Show the version'],
])}

Every setting and its environment variable is listed in docs/server.md.
`;

const main = async (): Promise<void> => {
  const args = process.argv.slice(2);
  const { values } = parseArgs({
    args,
    strict: false,
    options: { help: { type: 'boolean', short: 'h' }, version: { type: 'boolean', short: 'v' } },
  });
  if (values.help) {
    process.stdout.write(help);
    return;
  }
  if (values.version) {
    const { version } = await import('./app.js');
    process.stdout.write(`${version}\n`);
    return;
  }
  const unknown = args.filter(
    (arg) => arg.startsWith('-') && !configFlags.includes(arg.split('=')[0] as string),
  );
  if (unknown.length > 0) {
    process.stderr.write(`Unknown option ${unknown[0]}. Run cartrita-server --help for the options.\n`);
    process.exitCode = 2;
    return;
  }

  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig({ argv: args });
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exitCode = 2;
      return;
    }
    throw error;
  }

  const running = await startServer(config, { onShutdown: () => process.exit(0) });
  const { logger } = running.context;
  logger.info(
    { url: running.url, database: config.database.engine },
    `Cartrita is listening on ${running.url}`,
  );
  if (config.logging.file || config.logging.level === 'silent') {
    process.stdout.write(`Cartrita is listening on ${running.url}\n`);
  }

  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'Shutting down');
    running.close().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, 'Shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
};

main().catch((error: unknown) => {
  process.stderr.write(
    `Cartrita failed to start: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exit(1);
});
