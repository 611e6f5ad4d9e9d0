import { type Command, Option } from 'commander';
import { API_KEY_ROLES, type ApiKeyRecord, type ApiKeyRole } from '../../core/api-key.js';
import { NotFoundError } from '../../core/errors.js';
import type { CliRuntime } from '../runtime.js';

/** A key as shown: never its secret hash. */
function publicKey(record: ApiKeyRecord) {
  const { secretHash: _secretHash, ...shown } = record;
  return shown;
}

export function registerKeys(program: Command, runtime: CliRuntime): void {
  const keys = program.command('keys').description('API keys for the HTTP API (stored hashed)');

  keys
    .command('create')
    .description('create a key and print its token once')
    .requiredOption('--tenant <id>', 'the tenant it may use, or * for every tenant (admin only)')
    .addOption(new Option('--role <role>', 'what it may do').choices(API_KEY_ROLES).makeOptionMandatory())
    .option('--name <name>', 'a label')
    .action(async (options: { tenant: string; role: ApiKeyRole; name?: string | undefined }, command: Command) => {
      await runtime.withEngine(command, async (engine, output) => {
        const { record, token } = await engine.apiKeys.create({
          tenantId: options.tenant === '*' ? null : options.tenant,
          role: options.role,
          name: options.name,
        });
        output.result({ ...publicKey(record), token }, () =>
          [
            `Created ${record.role} key ${record.id} for ${record.tenantId === null ? 'every tenant' : `tenant ${record.tenantId}`}.`,
            'Token (shown only now; store it safely):',
            token,
          ].join('\n'),
        );
      });
    });

  keys
    .command('list')
    .description('list keys (never their secrets)')
    .option('--tenant <id>', 'only keys of this tenant')
    .action(async (options: { tenant?: string | undefined }, command: Command) => {
      await runtime.withEngine(command, async (engine, output) => {
        const items = (await engine.apiKeys.list(options.tenant)).map(publicKey);
        output.result({ items }, () =>
          output.table(
            items.map((key) => ({
              id: key.id,
              tenant: key.tenantId ?? '*',
              role: key.role,
              name: key.name,
              created: key.createdAt,
            })),
            ['id', 'tenant', 'role', 'name', 'created'],
            'No API keys.',
          ),
        );
      });
    });

  keys
    .command('revoke <id>')
    .description('delete a key; clients using it are refused from then on')
    .action(async (id: string, _options: unknown, command: Command) => {
      await runtime.withEngine(command, async (engine, output) => {
        if (!(await engine.apiKeys.revoke(id)))
          throw new NotFoundError(`API key ${JSON.stringify(id)} does not exist`, { code: 'api_key_not_found' });
        output.result({ id, revoked: true }, () => `Revoked ${id}`);
      });
    });
}
