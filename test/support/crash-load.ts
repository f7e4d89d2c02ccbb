/**
 * Crash under load: a mixed load (sign-ups, confirmations, sign-ins, refreshes, password changes,
 * admin writes) against the server as a child process, killed with SIGKILL at random points and
 * restarted on the same data. The load generator keeps its own record of what the server said it
 * did; after every restart that record is checked against the server: every write that was
 * answered with success is there, every refresh token handed out still works, and what a request
 * cut short by the kill left behind is either all there or not at all.
 * Shared by the CI test (test/e2e/reliability/crash.test.ts) and scripts/crash-soak.ts.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type ChildServer, startChildServer } from "./child-server.js";
import { createTestSchema, dropTestSchema, schemaDatabaseUrl } from "./postgres.js";

const HANG_MS = 20_000;
const GROUP = "crashers";

/** What the load did to one user, as far as the server's answers say. Each user belongs to one worker. */
interface UserRecord {
  username: string;
  /** "pending": the SignUp was cut short; the user may or may not exist. */
  signedUp: "yes" | "pending";
  confirmed: "no" | "yes" | "pending";
  password: string;
  /** A password change cut short: either password may be the one. */
  pendingPassword?: string;
  /** The `name` attribute last set with success, and one whose update was cut short. */
  name?: string;
  pendingName?: string;
  inGroup: "no" | "yes" | "pending";
  accessToken?: string;
}

export interface CrashSoakOptions {
  database: "sqlite" | "postgres";
  kills: number;
  seed: number;
  workers?: number;
  /** How long the load runs before each kill: a random time in this range (ms). */
  loadMs?: [number, number];
  log?: (line: string) => void;
}

export interface CrashSoakResult {
  kills: number;
  requests: number;
  /** Successful answers to writes, each checked after every restart that followed it. */
  writesAcknowledged: number;
  /** Individual checks made against the record (users, states, passwords, attributes, tokens). */
  checks: number;
  refreshTokensChecked: number;
  users: number;
  /** Requests cut short by a kill, whose outcome was then found and checked. */
  cutShort: number;
}

/** A small deterministic generator (mulberry32), so that a seed replays the same choices. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Answer {
  status: number;
  body: Record<string, unknown>;
}

class ServerGone extends Error {}

class Soak {
  private server?: ChildServer;
  private poolId = "";
  private clientId = "";
  private readonly users: UserRecord[] = [];
  private readonly tokens: { username: string; token: string }[] = [];
  private readonly rand: () => number;
  private running = false;
  private serial = 0;
  readonly result: CrashSoakResult = {
    kills: 0,
    requests: 0,
    writesAcknowledged: 0,
    checks: 0,
    refreshTokensChecked: 0,
    users: 0,
    cutShort: 0,
  };

  constructor(
    private readonly options: CrashSoakOptions,
    private readonly dataDir: string,
    private readonly databaseUrl: string | undefined,
  ) {
    this.rand = random(options.seed);
  }

  private get url(): string {
    if (!this.server) throw new Error("no server");
    return this.server.url;
  }

  async start(): Promise<void> {
    this.server = await startChildServer({ dataDir: this.dataDir, databaseUrl: this.databaseUrl });
  }

  async stop(): Promise<void> {
    await this.server?.stop();
  }

  /** One request; a connection error means the server is gone (killed), and the request cut short. */
  private async api(operation: string, body: unknown): Promise<Answer> {
    this.result.requests++;
    let res: Response;
    let text: string;
    try {
      res = await fetch(`${this.url}/`, {
        method: "POST",
        headers: {
          "content-type": "application/x-amz-json-1.1",
          "x-amz-target": `AWSCognitoIdentityProviderService.${operation}`,
        },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(HANG_MS),
      });
      text = await res.text();
    } catch (error) {
      if (!this.running) throw new ServerGone();
      throw new Error(`${operation}: no answer from a live server: ${(error as Error).message}`);
    }
    const parsed = text ? (JSON.parse(text) as Record<string, unknown>) : {};
    if (res.status >= 500) throw new Error(`${operation}: ${res.status} ${text}`);
    return { status: res.status, body: parsed };
  }

  private async ok(operation: string, body: unknown): Promise<Record<string, unknown>> {
    const answer = await this.api(operation, body);
    if (answer.status !== 200) throw new Error(`${operation}: ${JSON.stringify(answer.body)}`);
    return answer.body;
  }

  async setUp(): Promise<void> {
    const pool = await this.ok("CreateUserPool", { PoolName: "crash" });
    this.poolId = (pool.UserPool as { Id: string }).Id;
    const client = await this.ok("CreateUserPoolClient", {
      UserPoolId: this.poolId,
      ClientName: "crash",
      ExplicitAuthFlows: ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
    });
    this.clientId = (client.UserPoolClient as { ClientId: string }).ClientId;
    await this.ok("CreateGroup", { UserPoolId: this.poolId, GroupName: GROUP });
  }

  private password(): string {
    return `Crash-${++this.serial}-pass!`;
  }

  /** Runs `write`; a success is acknowledged, a kill leaves it pending (the caller marks which). */
  private async write(operation: string, body: unknown, onPending: () => void): Promise<boolean> {
    onPending();
    const answer = await this.api(operation, body);
    if (answer.status === 200) this.result.writesAcknowledged++;
    return answer.status === 200;
  }

  private async signIn(user: UserRecord): Promise<void> {
    const answer = await this.api("InitiateAuth", {
      ClientId: this.clientId,
      AuthFlow: "USER_PASSWORD_AUTH",
      AuthParameters: { USERNAME: user.username, PASSWORD: user.password },
    });
    if (answer.status !== 200)
      throw new Error(`sign-in of ${user.username} refused: ${JSON.stringify(answer.body)}`);
    const result = answer.body.AuthenticationResult as { AccessToken: string; RefreshToken: string };
    user.accessToken = result.AccessToken;
    this.tokens.push({ username: user.username, token: result.RefreshToken });
  }

  /** One step of one worker's load on its own users. */
  private async step(worker: number, mine: UserRecord[]): Promise<void> {
    const ready = mine.filter((u) => u.signedUp === "yes" && u.confirmed === "yes");
    const unconfirmed = mine.find((u) => u.signedUp === "yes" && u.confirmed === "no");
    const roll = this.rand();
    if (unconfirmed) {
      await this.write(
        "AdminConfirmSignUp",
        { UserPoolId: this.poolId, Username: unconfirmed.username },
        () => {
          unconfirmed.confirmed = "pending";
        },
      );
      unconfirmed.confirmed = "yes";
    } else if (ready.length === 0 || roll < 0.15) {
      const user: UserRecord = {
        username: `w${worker}-u${++this.serial}`,
        signedUp: "pending",
        confirmed: "no",
        password: this.password(),
        inGroup: "no",
      };
      mine.push(user);
      this.users.push(user);
      const answer = await this.api("SignUp", {
        ClientId: this.clientId,
        Username: user.username,
        Password: user.password,
        UserAttributes: [{ Name: "email", Value: `${user.username}@example.com` }],
      });
      if (answer.status !== 200) throw new Error(`SignUp refused: ${JSON.stringify(answer.body)}`);
      this.result.writesAcknowledged++;
      user.signedUp = "yes";
    } else {
      const user = ready[Math.floor(this.rand() * ready.length)];
      if (roll < 0.4 || !user.accessToken) {
        await this.signIn(user);
      } else if (roll < 0.65) {
        const mineTokens = this.tokens.filter((t) => t.username === user.username);
        const { token } = mineTokens[Math.floor(this.rand() * mineTokens.length)];
        const answer = await this.api("InitiateAuth", {
          ClientId: this.clientId,
          AuthFlow: "REFRESH_TOKEN_AUTH",
          AuthParameters: { REFRESH_TOKEN: token },
        });
        if (answer.status !== 200) throw new Error(`refresh refused: ${JSON.stringify(answer.body)}`);
      } else if (roll < 0.78) {
        const next = this.password();
        const done = await this.write(
          "ChangePassword",
          { AccessToken: user.accessToken, PreviousPassword: user.password, ProposedPassword: next },
          () => {
            user.pendingPassword = next;
          },
        );
        if (done) user.password = next;
        user.pendingPassword = undefined;
      } else if (roll < 0.9) {
        const name = `name-${++this.serial}`;
        const done = await this.write(
          "AdminUpdateUserAttributes",
          {
            UserPoolId: this.poolId,
            Username: user.username,
            UserAttributes: [{ Name: "name", Value: name }],
          },
          () => {
            user.pendingName = name;
          },
        );
        if (done) user.name = name;
        user.pendingName = undefined;
      } else {
        const join = user.inGroup === "no";
        const done = await this.write(
          join ? "AdminAddUserToGroup" : "AdminRemoveUserFromGroup",
          { UserPoolId: this.poolId, Username: user.username, GroupName: GROUP },
          () => {
            user.inGroup = "pending";
          },
        );
        user.inGroup = done === join ? "yes" : "no";
      }
    }
  }

  /** The load until the server is killed, which happens after a random time. */
  async loadUntilKilled(): Promise<void> {
    const workers = this.options.workers ?? 6;
    const [min, max] = this.options.loadMs ?? [800, 2500];
    const killAfter = min + this.rand() * (max - min);
    const errors: unknown[] = [];
    this.running = true;
    const loops = Array.from({ length: workers }, async (_, worker) => {
      const mine = this.users.filter((u) => u.username.startsWith(`w${worker}-`));
      try {
        for (;;) await this.step(worker, mine);
      } catch (error) {
        if (!(error instanceof ServerGone)) errors.push(error);
      }
    });
    await new Promise((resolve) => setTimeout(resolve, killAfter));
    // From here on a request without an answer was cut short by the kill.
    this.running = false;
    await this.server?.kill();
    this.result.kills++;
    await Promise.all(loops);
    if (errors.length > 0) throw errors[0];
  }

  private check(condition: boolean, what: string): void {
    this.result.checks++;
    if (!condition) throw new Error(`after kill ${this.result.kills}: ${what}`);
  }

  private async getUser(username: string): Promise<Answer> {
    return this.api("AdminGetUser", { UserPoolId: this.poolId, Username: username });
  }

  /** Checks the record against the restarted server, and settles what the kill left pending. */
  async verify(): Promise<void> {
    for (const user of [...this.users]) {
      const answer = await this.getUser(user.username);
      if (user.signedUp === "pending") {
        this.result.cutShort++;
        if (answer.status !== 200) {
          this.check(
            answer.body.__type === "UserNotFoundException",
            `${user.username}: ${JSON.stringify(answer.body)}`,
          );
          this.users.splice(this.users.indexOf(user), 1);
          continue;
        }
        user.signedUp = "yes";
      }
      this.check(answer.status === 200, `${user.username}, signed up with success, is gone`);
      const attributes = Object.fromEntries(
        (answer.body.UserAttributes as { Name: string; Value: string }[]).map((a) => [a.Name, a.Value]),
      );
      this.check(
        !!attributes.sub && attributes.email === `${user.username}@example.com`,
        `${user.username} is incomplete`,
      );

      const status = answer.body.UserStatus as string;
      if (user.confirmed === "pending") {
        this.result.cutShort++;
        user.confirmed = status === "CONFIRMED" ? "yes" : "no";
      }
      this.check(
        status === (user.confirmed === "yes" ? "CONFIRMED" : "UNCONFIRMED"),
        `${user.username} is ${status}`,
      );

      if (user.pendingName !== undefined) {
        this.result.cutShort++;
        this.check(
          [user.name, user.pendingName].includes(attributes.name),
          `${user.username}'s name ${attributes.name}`,
        );
        user.name = attributes.name;
        user.pendingName = undefined;
      } else {
        this.check(
          attributes.name === user.name,
          `${user.username}'s name is ${attributes.name}, not ${user.name}`,
        );
      }

      const groups = await this.ok("AdminListGroupsForUser", {
        UserPoolId: this.poolId,
        Username: user.username,
      });
      const inGroup = (groups.Groups as { GroupName: string }[]).some((g) => g.GroupName === GROUP);
      if (user.inGroup === "pending") {
        this.result.cutShort++;
        user.inGroup = inGroup ? "yes" : "no";
      }
      this.check(inGroup === (user.inGroup === "yes"), `${user.username}'s group membership`);

      if (user.confirmed === "yes") await this.verifyPassword(user);
    }
    await this.verifyListing();
    for (const { username, token } of this.tokens) {
      const answer = await this.api("InitiateAuth", {
        ClientId: this.clientId,
        AuthFlow: "REFRESH_TOKEN_AUTH",
        AuthParameters: { REFRESH_TOKEN: token },
      });
      this.result.refreshTokensChecked++;
      this.check(
        answer.status === 200,
        `a refresh token of ${username} fails: ${JSON.stringify(answer.body)}`,
      );
    }
    this.result.users = this.users.length;
  }

  private async verifyPassword(user: UserRecord): Promise<void> {
    const candidates = user.pendingPassword ? [user.pendingPassword, user.password] : [user.password];
    if (user.pendingPassword) this.result.cutShort++;
    for (const password of candidates) {
      const answer = await this.api("InitiateAuth", {
        ClientId: this.clientId,
        AuthFlow: "USER_PASSWORD_AUTH",
        AuthParameters: { USERNAME: user.username, PASSWORD: password },
      });
      if (answer.status === 200) {
        user.password = password;
        user.pendingPassword = undefined;
        this.result.checks++;
        return;
      }
    }
    this.check(false, `${user.username} signs in with none of its passwords`);
  }

  /** The pool lists exactly the users of the record: nothing half-created, nothing lost. */
  private async verifyListing(): Promise<void> {
    const listed: string[] = [];
    let token: string | undefined;
    do {
      const page = await this.ok("ListUsers", { UserPoolId: this.poolId, Limit: 60, PaginationToken: token });
      listed.push(...(page.Users as { Username: string }[]).map((u) => u.Username));
      token = page.PaginationToken as string | undefined;
    } while (token);
    const expected = this.users.map((u) => u.username).sort();
    this.check(
      JSON.stringify(listed.sort()) === JSON.stringify(expected),
      "ListUsers differs from the record",
    );
  }
}

/** Runs the whole soak on a fresh database; throws on the first broken promise. */
export async function runCrashSoak(options: CrashSoakOptions): Promise<CrashSoakResult> {
  const log = options.log ?? (() => {});
  const dataDir = mkdtempSync(join(tmpdir(), "cognate-crash-soak-"));
  const schema = options.database === "postgres" ? await createTestSchema() : undefined;
  const soak = new Soak(options, dataDir, schema && schemaDatabaseUrl(schema));
  try {
    await soak.start();
    await soak.setUp();
    for (let kill = 1; kill <= options.kills; kill++) {
      await soak.loadUntilKilled();
      await soak.start();
      await soak.verify();
      const r = soak.result;
      log(
        `kill ${kill}: ${r.requests} requests (load and checks), ${r.writesAcknowledged} writes acknowledged, ${r.checks} checks, ` +
          `${r.refreshTokensChecked} refresh tokens checked, ${r.cutShort} cut short, ${r.users} users`,
      );
    }
    return soak.result;
  } finally {
    await soak.stop();
    rmSync(dataDir, { recursive: true, force: true });
    if (schema) await dropTestSchema(schema);
  }
}
