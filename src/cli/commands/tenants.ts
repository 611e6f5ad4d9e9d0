import type { Command } from 'commander';
import type { Tenant, TenantFacets } from '../../core/tenant.js';
import type { Engine } from '../../engine.js';
import type { CliRuntime } from '../runtime.js';

interface CreateOptions {
  name?: string | undefined;
  industry?: string | undefined;
  companySize?: string | undefined;
}

export async function listAllTenants(engine: Engine): Promise<Tenant[]> {
  const tenants: Tenant[] = [];
  let cursor: string | undefined;
  do {
    const page = await engine.tenants.list({ cursor, limit: 500 });
    tenants.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor !== undefined);
  return tenants;
}

export function registerTenants(program: Command, runtime: CliRuntime): void {
  const tenants = program.command('tenants').description('create and list tenants');

  tenants
    .command('create <id>')
    .description('create a tenant (ids: a-z, 0-9, _ and -)')
    .option('--name <name>', 'display name (default: the id)')
    .option('--industry <industry>', 'industry facet, for cross-tenant patterns')
    .option('--company-size <size>', 'company size facet, for cross-tenant patterns')
    .action(async (id: string, options: CreateOptions, command: Command) => {
      await runtime.withEngine(command, async (engine, output) => {
        const facets: TenantFacets = {};
        if (options.industry !== undefined) facets.industry = options.industry;
        if (options.companySize !== undefined) facets.companySize = options.companySize;
        const tenant = await engine.tenants.create({ id, name: options.name, facets });
        output.result(tenant, () => `Created tenant ${tenant.id}${tenant.name === tenant.id ? '' : ` (${tenant.name})`}`);
      });
    });

  tenants
    .command('list')
    .description('list every tenant')
    .action(async (_options: unknown, command: Command) => {
      await runtime.withEngine(command, async (engine, output) => {
        const items = await listAllTenants(engine);
        output.result({ items }, () =>
          output.table(
            items.map((tenant) => ({
              id: tenant.id,
              name: tenant.name,
              industry: tenant.facets.industry,
              size: tenant.facets.companySize,
              created: tenant.createdAt,
            })),
            ['id', 'name', 'industry', 'size', 'created'],
            'No tenants.',
          ),
        );
      });
    });
}
