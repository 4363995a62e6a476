import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { createPinoLogger } from '../../logger.js';
import { EngineApi } from '../../server/engine-api.js';
import { createMcpServer } from '../../server/mcp/create-mcp-server.js';
import { openEngine } from '../../server/open-engine.js';
import { engineJobFactories } from '../engine-job-factories.js';

export interface McpOptions {
  /** An explicit config file. */
  configPath?: string;
  /** A store URL overriding the config's. */
  store?: string;
}

/**
 * `notion-sync mcp`: the MCP server over stdio, for an agent to start as a subprocess. Standard output is
 * the protocol channel, so every log line goes to standard error. Runs until the client closes stdin.
 */
export async function mcp(options: McpOptions = {}): Promise<void> {
  const logger = createPinoLogger({ level: 'warn' });
  const opened = await openEngine({
    factories: engineJobFactories(),
    configPath: options.configPath,
    store: options.store,
    logger,
  });
  const server = createMcpServer(new EngineApi({ store: opened.store, engine: opened.scheduler }));
  const transport = new StdioServerTransport();
  const closed = new Promise<void>((resolve) => {
    transport.onclose = () => resolve();
    process.stdin.once('end', () => resolve());
  });
  await server.connect(transport);
  await closed;
  await server.close();
  await opened.close();
}
