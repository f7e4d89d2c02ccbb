/** What the store hands to the domain: plain records, parsed from rows. */
import type { UserPoolClientType, UserPoolType, UserStatusType } from "../protocol/types.generated.js";

/** The pool's whole effective configuration, stored as DescribeUserPool shows it (defaults filled in). */
export type PoolConfig = Omit<
  UserPoolType,
  "Id" | "Name" | "Arn" | "CreationDate" | "LastModifiedDate" | "EstimatedNumberOfUsers"
>;

export interface PoolRecord {
  id: string;
  name: string;
  config: PoolConfig;
  createdAt: Date;
  updatedAt: Date;
}

/** The client's whole effective configuration, stored as DescribeUserPoolClient shows it. */
export type ClientConfig = Omit<
  UserPoolClientType,
  "UserPoolId" | "ClientName" | "ClientId" | "ClientSecret" | "CreationDate" | "LastModifiedDate"
>;

/** One of a confidential client's secrets (OAUTH.md §6). */
export interface ClientSecretRecord {
  /** `<client id>--<createdAt in epoch ms>`. */
  id: string;
  value: string;
  createdAt: Date;
}

export interface ClientRecord {
  id: string;
  poolId: string;
  name: string;
  /** Every active secret, oldest first; none for a public client. */
  secrets: ClientSecretRecord[];
  config: ClientConfig;
  createdAt: Date;
  updatedAt: Date;
}

/** An SRP salt and verifier (hex), the only form in which a password is kept. */
export interface PasswordVerifier {
  salt: string;
  verifier: string;
}

export interface UserRecord {
  poolId: string;
  username: string;
  usernameKey: string;
  sub: string;
  status: UserStatusType;
  enabled: boolean;
  /** Attribute name → value, `sub` excluded. */
  attributes: Record<string, string>;
  password: (PasswordVerifier & { setAt: Date }) | null;
  /** Earlier passwords, newest first. */
  passwordHistory: PasswordVerifier[];
  /** Per-user state that later features keep (MFA settings, …). */
  extra: Record<string, unknown>;
  createdAt: Date;
  updatedAt: Date;
}

export interface GroupRecord {
  poolId: string;
  name: string;
  description: string | null;
  roleArn: string | null;
  precedence: number | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface OutboxMessage {
  id: string;
  poolId: string;
  username: string;
  channel: "EMAIL" | "SMS";
  destination: string;
  purpose: string;
  subject: string | null;
  message: string;
  createdAt: Date;
}
