import { describe, expect, it } from "vitest";
import { Sealer } from "./seal.js";

describe("Sealer", () => {
  const sealer = new Sealer(Buffer.from(Sealer.newKey(), "base64"));

  it("opens what it sealed, for the same purpose only", () => {
    const sealed = sealer.seal("srp", { user: "alice", n: 1 });
    expect(sealer.open("srp", sealed)).toEqual({ user: "alice", n: 1 });
    expect(sealer.open("device-srp", sealed)).toBeUndefined();
  });

  it("refuses a tampered value, another key's value and garbage", () => {
    const sealed = sealer.seal("srp", { user: "alice" });
    const tampered = Buffer.from(sealed);
    tampered[20] ^= 1;
    expect(sealer.open("srp", tampered)).toBeUndefined();
    const other = new Sealer(Buffer.from(Sealer.newKey(), "base64"));
    expect(other.open("srp", sealed)).toBeUndefined();
    expect(sealer.open("srp", Buffer.from("garbage"))).toBeUndefined();
  });
});
