import type { JsonObject } from '../../core/json.js';
import type { SessionMessage, SessionRole, SessionState } from '../../core/session-message.js';
import type { TokenCounts } from '../../core/token-counts.js';
import type { SessionLimits, SessionMessageDraft, SessionStore } from '../session-store.js';
import { countToDrop, expiryOf } from '../session-trim.js';
import { tenantNotFoundError } from '../store-errors.js';
import { rethrowConstraint } from './sql-constraint-violation.js';
import type { SqlDialect } from './sql-dialect.js';
import type { SqlDatabase, SqlExecutor, SqlTransaction } from './sql-executor.js';
import type { WriteQueue } from './write-queue.js';

interface HeadRow {
  generation: number;
  next_seq: number;
  expires_at: string;
}

interface MessageRow {
  seq: number;
  id: string;
  role: string;
  content: string;
  metadata: unknown;
  tokens: unknown;
  created_at: string;
}

const SELECT_MESSAGES =
  'SELECT seq, id, role, content, metadata, tokens, created_at FROM session_messages ' +
  'WHERE tenant_id = ? AND session_id = ? ORDER BY seq';

/** Sessions in `session_heads` (generation, expiry, next sequence number) and `session_messages`. */
export class SqlSessionStore implements SessionStore {
  readonly #reader: SqlExecutor;
  readonly #dialect: SqlDialect;
  readonly #writes: WriteQueue;

  constructor(database: SqlDatabase, writes: WriteQueue) {
    this.#reader = database.reader;
    this.#dialect = database.dialect;
    this.#writes = writes;
  }

  append(
    tenantId: string,
    sessionId: string,
    drafts: SessionMessageDraft[],
    limits: SessionLimits,
    now: string,
  ): Promise<SessionState> {
    return this.#writes.enqueue(async (transaction) => {
      const head = await this.#lockHead(transaction, tenantId, sessionId);
      const scope = [tenantId, sessionId];
      if (head.expires_at <= now)
        await transaction.run('DELETE FROM session_messages WHERE tenant_id = ? AND session_id = ?', scope);
      let seq = head.next_seq;
      for (const draft of drafts) {
        await transaction.run(
          'INSERT INTO session_messages (tenant_id, session_id, seq, id, role, content, metadata, tokens, created_at) ' +
            'VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
          [
            tenantId,
            sessionId,
            seq,
            draft.id,
            draft.role,
            draft.content,
            this.#dialect.encodeJson(draft.metadata),
            this.#dialect.encodeJson(draft.tokens),
            draft.createdAt,
          ],
        );
        seq += 1;
      }
      const rows = await transaction.all<MessageRow>(SELECT_MESSAGES, scope);
      const messages = rows.map((row) => this.#toMessage(tenantId, sessionId, row));
      const drop = countToDrop(messages, limits);
      const firstKept = rows[drop];
      if (drop > 0) {
        await transaction.run('DELETE FROM session_messages WHERE tenant_id = ? AND session_id = ? AND seq < ?', [
          ...scope,
          firstKept?.seq ?? seq,
        ]);
      }
      const generation = head.generation + 1;
      const expiresAt = expiryOf(now, limits.ttlMs);
      await transaction.run(
        'UPDATE session_heads SET generation = ?, next_seq = ?, expires_at = ? WHERE tenant_id = ? AND session_id = ?',
        [generation, seq, expiresAt, ...scope],
      );
      return { tenantId, sessionId, messages: messages.slice(drop), generation, expiresAt };
    });
  }

  async generation(tenantId: string, sessionId: string, now: string): Promise<number> {
    const head = await this.#reader.get<Pick<HeadRow, 'generation' | 'expires_at'>>(
      'SELECT generation, expires_at FROM session_heads WHERE tenant_id = ? AND session_id = ?',
      [tenantId, sessionId],
    );
    return head === undefined || head.expires_at <= now ? 0 : Number(head.generation);
  }

  async get(tenantId: string, sessionId: string, now: string): Promise<SessionState | undefined> {
    const head = await this.#reader.get<HeadRow>(
      'SELECT generation, next_seq, expires_at FROM session_heads WHERE tenant_id = ? AND session_id = ?',
      [tenantId, sessionId],
    );
    if (head === undefined || head.expires_at <= now) return undefined;
    const rows = await this.#reader.all<MessageRow>(SELECT_MESSAGES, [tenantId, sessionId]);
    return {
      tenantId,
      sessionId,
      messages: rows.map((row) => this.#toMessage(tenantId, sessionId, row)),
      generation: Number(head.generation),
      expiresAt: head.expires_at,
    };
  }

  purgeExpired(before: string): Promise<number> {
    return this.#writes.enqueue(async (transaction) => {
      await transaction.run(
        'DELETE FROM session_messages WHERE EXISTS (SELECT 1 FROM session_heads h WHERE h.tenant_id = session_messages.tenant_id ' +
          'AND h.session_id = session_messages.session_id AND h.expires_at < ?)',
        [before],
      );
      return (await transaction.run('DELETE FROM session_heads WHERE expires_at < ?', [before])).changes;
    });
  }

  /** The session's head, created when missing and locked (PostgreSQL: FOR UPDATE) so appends to it serialise. */
  async #lockHead(transaction: SqlTransaction, tenantId: string, sessionId: string): Promise<HeadRow> {
    try {
      await transaction.run(
        'INSERT INTO session_heads (tenant_id, session_id, generation, next_seq, expires_at) VALUES (?, ?, 0, 1, ?) ' +
          'ON CONFLICT (tenant_id, session_id) DO NOTHING',
        [tenantId, sessionId, ''],
      );
    } catch (error) {
      rethrowConstraint(error, { foreign_key: () => tenantNotFoundError(tenantId) });
    }
    const head = await transaction.get<HeadRow>(
      `SELECT generation, next_seq, expires_at FROM session_heads WHERE tenant_id = ? AND session_id = ?${this.#dialect.lockForUpdate}`,
      [tenantId, sessionId],
    );
    if (head === undefined) throw new Error('A session head vanished inside its own transaction.');
    return { generation: Number(head.generation), next_seq: Number(head.next_seq), expires_at: head.expires_at };
  }

  #toMessage(tenantId: string, sessionId: string, row: MessageRow): SessionMessage {
    return {
      id: row.id,
      tenantId,
      sessionId,
      role: row.role as SessionRole,
      content: row.content,
      metadata: this.#dialect.decodeJson(row.metadata) as JsonObject,
      tokens: this.#dialect.decodeJson(row.tokens) as TokenCounts,
      createdAt: row.created_at,
    };
  }
}
