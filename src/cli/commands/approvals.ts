import type { Command } from 'commander';
import type { ContextUpdate } from '../../core/context-update.js';
import type { Engine } from '../../engine.js';
import { findUpdateTenant } from '../find-update-tenant.js';
import type { CliRuntime } from '../runtime.js';
import { approveResultBody, conflictedError } from './write-result.js';

interface ReviewOptions {
  by: string;
  note?: string | undefined;
  reason?: string | undefined;
  tenant?: string | undefined;
}

async function pendingUpdates(engine: Engine, tenantId: string | undefined): Promise<ContextUpdate[]> {
  const items: ContextUpdate[] = [];
  let cursor: string | undefined;
  do {
    const page = await engine.updates.list({
      tenantIds: tenantId === undefined ? undefined : [tenantId],
      status: 'pending',
      cursor,
      limit: 500,
    });
    items.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor !== undefined);
  return items;
}

export function registerApprovals(program: Command, runtime: CliRuntime): void {
  program
    .command('pending-approvals')
    .description('updates waiting for review (every tenant unless --tenant)')
    .option('--tenant <tenant>', 'only this tenant')
    .action(async (options: { tenant?: string | undefined }, command: Command) => {
      await runtime.withEngine(command, async (engine, output) => {
        const items = await pendingUpdates(engine, options.tenant);
        output.result({ items }, () =>
          output.table(
            items.map((update) => ({
              id: update.id,
              tenant: update.tenantId,
              key: update.key,
              op: update.op,
              source: update.source,
              confidence: update.confidence,
              author: update.author,
              created: update.createdAt,
              why: update.reviewReasons.join('; '),
            })),
            ['id', 'tenant', 'key', 'op', 'source', 'confidence', 'author', 'created', 'why'],
            'No updates are waiting for review.',
          ),
        );
      });
    });

  program
    .command('approve <updateId>')
    .description('apply a pending update')
    .requiredOption('--by <name>', 'who approves')
    .option('--note <text>', 'a note kept with the review')
    .option('--tenant <tenant>', "the update's tenant (found automatically when omitted)")
    .action(async (updateId: string, options: ReviewOptions, command: Command) => {
      await runtime.withEngine(command, async (engine, output) => {
        const tenantId = options.tenant ?? (await findUpdateTenant(engine, updateId));
        const result = await engine.updates.approve(tenantId, updateId, { by: options.by, note: options.note });
        if (result.outcome === 'conflicted') throw conflictedError(result.update);
        output.result(approveResultBody(result), () => {
          const where = `${tenantId}/${result.update.key}`;
          if (result.outcome === 'applied') return `Approved ${updateId}: ${where} is now at version ${result.version?.version}`;
          return `Approved ${updateId}: ${where} unchanged at version ${result.update.appliedVersion ?? result.version?.version ?? '-'}`;
        });
      });
    });

  program
    .command('reject <updateId>')
    .description('reject a pending update')
    .requiredOption('--by <name>', 'who rejects')
    .requiredOption('--reason <text>', 'why')
    .option('--tenant <tenant>', "the update's tenant (found automatically when omitted)")
    .action(async (updateId: string, options: ReviewOptions, command: Command) => {
      await runtime.withEngine(command, async (engine, output) => {
        const tenantId = options.tenant ?? (await findUpdateTenant(engine, updateId));
        const update = await engine.updates.reject(tenantId, updateId, { by: options.by, reason: options.reason ?? '' });
        output.result({ status: 'rejected', update }, () => `Rejected ${updateId} (${tenantId}/${update.key})`);
      });
    });
}
