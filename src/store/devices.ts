/** Users' tracked devices (remembered devices), and the SECRET_BLOCKs SRP sign-ins have spent. */
import { CompiledQuery, type Kysely } from "kysely";
import { CompiledLookup } from "./compiled.js";
import { isPostgres } from "./dialect.js";
import { date, ms } from "./json.js";
import type { Database, DevicesTable } from "./schema.js";
import type { Db } from "./store.js";

export interface DeviceRecord {
  poolId: string;
  /** `<region>_<uuid>`, as Cognito's. */
  deviceKey: string;
  usernameKey: string;
  /** The owner's sub, so a user created again under the same name does not inherit the device. */
  sub: string;
  /** The SRP "pool name" of device authentication. */
  groupKey: string;
  name: string | null;
  /** SRP salt and verifier (hex) from ConfirmDevice; null until the device is confirmed. */
  salt: string | null;
  verifier: string | null;
  confirmedAt: Date | null;
  remembered: boolean;
  lastIp: string | null;
  createdAt: Date;
  updatedAt: Date;
  lastAuthenticatedAt: Date | null;
}

const optionalDate = (value: number | string | null) => (value === null ? null : date(value));
const optionalMs = (value: Date | null) => (value === null ? null : ms(value));

function toRecord(row: DevicesTable): DeviceRecord {
  return {
    poolId: row.pool_id,
    deviceKey: row.device_key,
    usernameKey: row.username_key,
    sub: row.sub,
    groupKey: row.group_key,
    name: row.name,
    salt: row.salt,
    verifier: row.verifier,
    confirmedAt: optionalDate(row.confirmed_at),
    remembered: Number(row.remembered) === 1,
    lastIp: row.last_ip,
    createdAt: date(row.created_at),
    updatedAt: date(row.updated_at),
    lastAuthenticatedAt: optionalDate(row.last_authenticated_at),
  };
}

function toRow(device: DeviceRecord): DevicesTable {
  return {
    pool_id: device.poolId,
    device_key: device.deviceKey,
    username_key: device.usernameKey,
    sub: device.sub,
    group_key: device.groupKey,
    name: device.name,
    salt: device.salt,
    verifier: device.verifier,
    confirmed_at: optionalMs(device.confirmedAt),
    remembered: device.remembered ? 1 : 0,
    last_ip: device.lastIp,
    created_at: ms(device.createdAt),
    updated_at: ms(device.updatedAt),
    last_authenticated_at: optionalMs(device.lastAuthenticatedAt),
  };
}

export class DeviceRepository {
  constructor(private readonly db: Db) {}

  async get(poolId: string, deviceKey: string): Promise<DeviceRecord | undefined> {
    const row = await this.db
      .selectFrom("devices")
      .selectAll()
      .where("pool_id", "=", poolId)
      .where("device_key", "=", deviceKey)
      .executeTakeFirst();
    return row && toRecord(row);
  }

  async insert(device: DeviceRecord): Promise<void> {
    await this.db.insertInto("devices").values(toRow(device)).execute();
  }

  async update(device: DeviceRecord): Promise<void> {
    const { pool_id, device_key, ...values } = toRow(device);
    await this.db
      .updateTable("devices")
      .set(values)
      .where("pool_id", "=", pool_id)
      .where("device_key", "=", device_key)
      .execute();
  }

  /** Sets the verifier of a device not confirmed yet; false when another request confirmed it first. */
  async confirm(device: DeviceRecord): Promise<boolean> {
    const { pool_id, device_key, ...values } = toRow(device);
    const result = await this.db
      .updateTable("devices")
      .set(values)
      .where("pool_id", "=", pool_id)
      .where("device_key", "=", device_key)
      .where("confirmed_at", "is", null)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  /** Records a sign-in from the device. */
  async touch(poolId: string, deviceKey: string, at: Date, ip: string | null): Promise<void> {
    await this.db
      .updateTable("devices")
      .set({ last_authenticated_at: ms(at), ...(ip !== null && { last_ip: ip }) })
      .where("pool_id", "=", poolId)
      .where("device_key", "=", deviceKey)
      .execute();
  }

  async delete(poolId: string, deviceKey: string): Promise<void> {
    await this.db
      .deleteFrom("devices")
      .where("pool_id", "=", poolId)
      .where("device_key", "=", deviceKey)
      .execute();
  }

  /** One user's confirmed devices in device-key order, after `afterKey`; at most `limit`. */
  async listConfirmed(
    poolId: string,
    user: { usernameKey: string; sub: string },
    limit: number,
    afterKey?: string,
  ): Promise<DeviceRecord[]> {
    let query = this.db
      .selectFrom("devices")
      .selectAll()
      .where("pool_id", "=", poolId)
      .where("username_key", "=", user.usernameKey)
      .where("sub", "=", user.sub)
      .where("confirmed_at", "is not", null);
    if (afterKey !== undefined) query = query.where("device_key", ">", afterKey);
    const rows = await query.orderBy("device_key").limit(limit).execute();
    return rows.map(toRecord);
  }
}

/** The block's record, if it is not there yet: a row back when this call inserted it. */
const spendBlock = new CompiledLookup((db: Db, id: string, expiresAt: number) =>
  db
    .insertInto("srp_spent_blocks")
    .values({ id, expires_at: expiresAt })
    .onConflict((oc) => oc.column("id").doNothing())
    .returning("id"),
);

const READ_SYNCHRONOUS = CompiledQuery.raw("pragma synchronous");
const NO_FSYNC = CompiledQuery.raw("pragma synchronous = NORMAL");

export class SpentSrpBlockRepository {
  constructor(private readonly db: Db) {}

  /**
   * Records the block as answered; false when it already was (a replay, or a concurrent answer).
   * On SQLite this one insert does not wait for its own fsync (synchronous=NORMAL, the connection
   * held so that nothing else runs meanwhile), which would stall every request for milliseconds:
   * WAL frames are written in order, so the next durable commit — the sign-in's refresh token, a
   * moment later — makes this record durable too. A record a crash loses is one whose sign-in left
   * no tokens behind either.
   */
  async spend(id: string, expiresAt: Date): Promise<boolean> {
    const insert = (db: Kysely<Database>) => spendBlock.execute(db, id, ms(expiresAt));
    const inserted =
      isPostgres(this.db) || this.db.isTransaction
        ? await insert(this.db)
        : await this.db.connection().execute(async (connection) => {
            const [mode] = (await connection.executeQuery<{ synchronous: number }>(READ_SYNCHRONOUS)).rows;
            await connection.executeQuery(NO_FSYNC);
            try {
              return await insert(connection);
            } finally {
              await connection.executeQuery(
                CompiledQuery.raw(`pragma synchronous = ${Number(mode.synchronous)}`),
              );
            }
          });
    return inserted.length === 1;
  }

  /** Forgets blocks that expired before `before`: they are refused as expired anyway. */
  async purgeExpired(before: Date): Promise<void> {
    await this.db.deleteFrom("srp_spent_blocks").where("expires_at", "<", ms(before)).execute();
  }
}
