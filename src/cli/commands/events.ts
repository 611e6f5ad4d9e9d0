import { type Command, Option } from 'commander';
import type { EventContext, EventDurability, EventRecord } from '../../core/event-context.js';
import type { JsonValue } from '../../core/json.js';
import type { EventStats } from '../../events/context-gateway.js';
import { UsageError } from '../exit-codes.js';
import { isoTimestamp, positiveInteger, readJsonArgument } from '../parse-arguments.js';
import type { CliRuntime } from '../runtime.js';

interface TenantOption {
  tenant?: string | undefined;
}

interface SendOptions extends TenantOption {
  data?: string | undefined;
  agent?: string | undefined;
  session?: string | undefined;
  client?: string | undefined;
  correlationId?: string | undefined;
  parent?: string | undefined;
  custom?: string | undefined;
  durability: EventDurability;
}

interface QueryOptions extends TenantOption {
  correlationId?: string | undefined;
  eventId?: string | undefined;
  agent?: string | undefined;
  session?: string | undefined;
  event?: string | undefined;
  since?: string | undefined;
  until?: string | undefined;
  limit?: number | undefined;
  cursor?: string | undefined;
}

const tenantOption = () => new Option('--tenant <id>', 'the tenant (default CTX_TENANT)');

function tenantOf(runtime: CliRuntime, options: TenantOption): string {
  const tenant = options.tenant ?? runtime.io.env.CTX_TENANT;
  if (tenant === undefined || tenant === '') throw new UsageError('Name the tenant: --tenant <id> (or set CTX_TENANT).');
  return tenant;
}

function contextLines(ref: string, context: EventContext): string {
  const lines = [
    `ref          ${ref}`,
    `event id     ${context.eventId}`,
    `correlation  ${context.correlationId}`,
    `parent       ${context.parentEventId ?? '-'}`,
    `root         ${context.rootEventId}`,
    `depth        ${context.depth}`,
    `agent        ${context.agentId ?? '-'}`,
    `session      ${context.sessionId ?? '-'}`,
    `time         ${context.timestamp}`,
    `traceparent  00-${context.traceId}-${context.spanId}-01`,
  ];
  if (Object.keys(context.custom).length > 0) lines.push(`custom       ${JSON.stringify(context.custom)}`);
  return lines.join('\n');
}

function percent(rate: number): string {
  return `${(rate * 100).toFixed(1)}%`;
}

/** `ctx stats` as text: counts, bytes, resolutions and hit rates (the hot tier and the counters are this process's). */
export function statsText(stats: EventStats): string {
  const { cold, resolutions, hitRates } = stats;
  const total = resolutions.hot + resolutions.cold + resolutions.missing;
  return [
    `tenant        ${stats.tenantId}`,
    `cold events   ${cold.events}`,
    `cold bytes    ${cold.bytes}`,
    `hot events    ${stats.hot.events} (this process)`,
    `hot bytes     ${stats.hot.bytes} (this process)`,
    `emitted       ${stats.emitted}, deduplicated ${stats.deduplicated} (ratio ${stats.dedupRatio})`,
    `resolutions   ${total}: hot ${resolutions.hot}, cold ${resolutions.cold}, missing ${resolutions.missing} (this process)`,
    `hit rates     hot ${percent(hitRates.hot)}, cold ${percent(hitRates.cold)}, missing ${percent(hitRates.missing)}`,
  ].join('\n');
}

/** `ctx send | resolve | resolve-batch | query | stats`: the event router and context gateway from the shell. */
export function registerEvents(program: Command, runtime: CliRuntime): void {
  program
    .command('send <event>')
    .description('emit an event (stored durably before it returns, unless --durability buffered); prints its reference')
    .addOption(tenantOption())
    .option('--data <json>', 'the event data: JSON, @file or @- (stdin)')
    .option('--agent <id>', 'agent id')
    .option('--session <id>', 'session id')
    .option('--client <id>', 'client id')
    .option('--correlation-id <id>', 'correlation id (default: a new one)')
    .option('--parent <ref>', 'make the event a child of this context')
    .option('--custom <json>', 'custom context fields (a JSON object)')
    .addOption(
      new Option('--durability <mode>', 'acknowledged: after the database write; buffered: written when ctx closes the database')
        .choices(['acknowledged', 'buffered'])
        .default('acknowledged'),
    )
    .action(async (event: string, options: SendOptions, command: Command) => {
      const tenantId = tenantOf(runtime, options);
      const data = options.data === undefined ? null : await readJsonArgument(options.data, runtime.io.stdin);
      const custom = options.custom === undefined ? undefined : await readJsonArgument(options.custom, runtime.io.stdin);
      await runtime.withEngine(command, async (engine, output) => {
        const parent = options.parent === undefined ? undefined : await engine.events.resolve(tenantId, options.parent);
        const emitted = await engine.events.emit(
          event,
          data,
          {
            tenantId,
            agentId: options.agent,
            sessionId: options.session,
            clientId: options.client,
            correlationId: options.correlationId,
            custom: custom as { [key: string]: JsonValue } | undefined,
            ...(parent === undefined ? {} : { parent }),
          },
          { durability: options.durability },
        );
        output.result(
          { eventId: emitted.eventId, ref: emitted.ref, context: emitted.context, deduplicated: emitted.deduplicated },
          () => emitted.ref,
        );
      });
    });

  program
    .command('resolve <ref>')
    .description('the context a reference names (hot tier, then cold)')
    .addOption(tenantOption())
    .action(async (ref: string, options: TenantOption, command: Command) => {
      const tenantId = tenantOf(runtime, options);
      await runtime.withEngine(command, async (engine, output) => {
        const context = await engine.events.resolve(tenantId, ref);
        output.result({ ref, context }, () => contextLines(ref, context));
      });
    });

  program
    .command('resolve-batch <refs...>')
    .description('several references at once; unknown ones are null (exit 3 when any is unknown)')
    .addOption(tenantOption())
    .action(async (refs: string[], options: TenantOption, command: Command) => {
      const tenantId = tenantOf(runtime, options);
      await runtime.withEngine(command, async (engine, output) => {
        const contexts = await engine.events.resolveBatch(tenantId, refs);
        output.result({ contexts }, () =>
          Object.entries(contexts)
            .map(([ref, context]) =>
              context === null ? `${ref}  (unknown)` : `${ref}  ${context.eventId}  ${context.timestamp}`,
            )
            .join('\n'),
        );
        if (Object.values(contexts).some((context) => context === null)) runtime.exitCode = 3;
      });
    });

  program
    .command('query')
    .description('events by correlation id, event id, agent, session or name, oldest first')
    .addOption(tenantOption())
    .option('--correlation-id <id>')
    .option('--event-id <id>')
    .option('--agent <id>')
    .option('--session <id>')
    .option('--event <name>', 'event name')
    .option('--since <iso>', 'from this time (inclusive)', isoTimestamp)
    .option('--until <iso>', 'before this time', isoTimestamp)
    .option('--limit <n>', 'page size (default 50, at most 500)', positiveInteger)
    .option('--cursor <cursor>', 'the next page (printed after a page)')
    .action(async (options: QueryOptions, command: Command) => {
      const tenantId = tenantOf(runtime, options);
      await runtime.withEngine(command, async (engine, output) => {
        const page = await engine.events.query(tenantId, {
          correlationId: options.correlationId,
          eventId: options.eventId,
          agentId: options.agent,
          sessionId: options.session,
          eventName: options.event,
          since: options.since,
          until: options.until,
          limit: options.limit,
          cursor: options.cursor,
        });
        const items = page.items.map(({ tenantId: _tenant, ...item }: EventRecord) => item);
        output.result({ items, nextCursor: page.nextCursor }, () => {
          const table = output.table(
            items.map((item) => ({
              time: item.context.timestamp,
              event: item.event,
              depth: item.context.depth,
              agent: item.context.agentId,
              ref: item.ref,
            })),
            ['time', 'event', 'depth', 'agent', 'ref'],
            'No events.',
          );
          return page.nextCursor === undefined ? table : `${table}\nmore: --cursor ${page.nextCursor}`;
        });
      });
    });

  program
    .command('stats')
    .description('event context statistics of a tenant: tiers, hit rates, dedup ratio')
    .addOption(tenantOption())
    .action(async (options: TenantOption, command: Command) => {
      const tenantId = tenantOf(runtime, options);
      await runtime.withEngine(command, async (engine, output) => {
        const stats = await engine.events.stats(tenantId);
        output.result(stats, () => statsText(stats));
      });
    });
}
