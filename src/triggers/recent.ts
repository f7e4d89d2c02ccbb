/**
 * The most recent trigger invocations, for the console: a bounded ring kept in memory by each
 * process (not stored, not shared between instances, gone at restart).
 */

export interface TriggerInvocation {
  at: Date;
  poolId: string;
  trigger: string;
  /** The event's triggerSource, e.g. PreSignUp_SignUp. */
  source: string;
  userName?: string;
  functionArn: string;
  /** "success", or the error the operation answered (its Cognito type). */
  outcome: string;
  /** The error's message when it failed. */
  message?: string;
  ms: number;
}

export class RecentInvocations {
  private readonly ring: TriggerInvocation[] = [];
  private next = 0;

  constructor(private readonly capacity = 200) {}

  add(invocation: TriggerInvocation): void {
    if (this.ring.length < this.capacity) this.ring.push(invocation);
    else this.ring[this.next] = invocation;
    this.next = (this.next + 1) % this.capacity;
  }

  /** Newest first, optionally of one pool. */
  list(poolId?: string): TriggerInvocation[] {
    const ordered = [...this.ring.slice(this.next), ...this.ring.slice(0, this.next)].reverse();
    return poolId === undefined ? ordered : ordered.filter((i) => i.poolId === poolId);
  }
}
