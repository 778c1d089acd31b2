/**
 * What code that only runs SQL needs. The session and its start-hook runner provide it; the SQL
 * builders and models depend on this file only, never on the session, so no import cycle closes.
 */
export type Row = Record<string, unknown>;

export interface SqlRunner {
  run(sql: string, describe?: string): Promise<void>;
  query(sql: string, describe?: string): Promise<Row[]>;
}
