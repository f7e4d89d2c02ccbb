/**
 * The QR encoder against the standard's numbers (capacities, a Reed–Solomon example, format and
 * version information), and against an independent decoder: zbarimg (Debian's zbar-tools) reads
 * symbols of every version back, where it is installed.
 */
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { byteCapacity, formatBits, qrModules, qrSvg, reedSolomon, versionBits } from "./qr-code.js";

const ZBARIMG = "/usr/bin/zbarimg";
const zbarAvailable = existsSync(ZBARIMG);

describe("the QR encoder", () => {
  it("holds as many bytes at level M as the standard's table says", () => {
    const table = [14, 26, 42, 62, 84, 106, 122, 152, 180, 213];
    expect(table.map((_, i) => byteCapacity(i + 1))).toEqual(table);
    expect(byteCapacity(40)).toBe(2331);
  });

  it("computes Reed–Solomon codewords as in the standard's worked example (HELLO WORLD, 1-M)", () => {
    const data = [32, 91, 11, 120, 209, 114, 220, 77, 67, 64, 236, 17, 236, 17, 236, 17];
    expect(reedSolomon(data, 10)).toEqual([196, 35, 39, 119, 235, 215, 231, 226, 93, 23]);
  });

  it("writes the format information of level M for each mask, and the version information", () => {
    const expected = [
      "101010000010010",
      "101000100100101",
      "101111001111100",
      "101101101001011",
      "100010111111001",
      "100000011001110",
      "100111110010111",
      "100101010100000",
    ];
    expect(expected.map((_, mask) => formatBits(mask).toString(2).padStart(15, "0"))).toEqual(expected);
    expect(versionBits(7).toString(2).padStart(18, "0")).toBe("000111110010010100");
    expect(versionBits(40).toString(2).padStart(18, "0")).toBe("101000110001101001");
  });

  it("chooses the smallest version and draws the finder patterns", () => {
    const modules = qrModules("hello");
    expect(modules).toHaveLength(21);
    const finderRow = (row: boolean[], from: number) =>
      row
        .slice(from, from + 7)
        .map(Number)
        .join("");
    expect(finderRow(modules[0], 0)).toBe("1111111");
    expect(finderRow(modules[2], 0)).toBe("1011101");
    expect(finderRow(modules[2], 14)).toBe("1011101");
    expect(finderRow(modules[16], 0)).toBe("1011101");
    expect(qrModules("x".repeat(15))).toHaveLength(25);
    expect(() => qrModules("x".repeat(2332))).toThrow("too long");
  });

  it("renders an SVG path with a label", () => {
    const svg = qrSvg("hello", "QR code").text;
    expect(svg).toMatch(/^<svg class="qr" xmlns="http:\/\/www.w3.org\/2000\/svg" viewBox="0 0 29 29"/);
    expect(svg).toContain('role="img" aria-label="QR code"');
    expect(svg).toContain('<path d="M4 4h1v1h-1z');
  });
});

/** A greyscale image of the symbol, 3 pixels a module, with the quiet zone. */
function pgm(modules: boolean[][]): Buffer {
  const scale = 3;
  const quiet = 4;
  const side = (modules.length + quiet * 2) * scale;
  const pixels = Buffer.alloc(side * side, 255);
  for (const [y, row] of modules.entries()) {
    for (const [x, dark] of row.entries()) {
      for (let dy = 0; dark && dy < scale; dy++) {
        const start = ((y + quiet) * scale + dy) * side + (x + quiet) * scale;
        pixels.fill(0, start, start + scale);
      }
    }
  }
  return Buffer.concat([Buffer.from(`P5\n${side} ${side}\n255\n`), pixels]);
}

describe.skipIf(!zbarAvailable)("QR codes read back by zbarimg", () => {
  it("decodes symbols of versions 1–10 and where alignment patterns multiply, full and just past the previous version, and UTF-8 text", () => {
    const dir = mkdtempSync(join(tmpdir(), "cognate-qr-"));
    const file = join(dir, "symbol.pgm");
    const read = (text: string) => {
      writeFileSync(file, pgm(qrModules(text)));
      const out = execFileSync(ZBARIMG, ["-q", "--raw", "-Sbinary", file], {
        stdio: ["ignore", "pipe", "ignore"],
      });
      return out.subarray(0, Buffer.byteLength(text)).toString("utf8");
    };
    // Each count of alignment patterns (versions 2, 7, 14, 21, 28, 35) and version information (7+).
    for (const version of [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 14, 21, 28, 35, 40]) {
      for (const length of [byteCapacity(version), version === 1 ? 1 : byteCapacity(version - 1) + 1]) {
        const text = randomBytes(length).toString("base64url").slice(0, length);
        expect(read(text), `version ${version}, ${length} bytes`).toBe(text);
      }
    }
    const uri = "otpauth://totp/Caf%C3%A9:j%C3%B6rg?secret=JBSWY3DPEHPK3PXP&issuer=Café";
    expect(read(uri)).toBe(uri);
  });
});

it.skipIf(zbarAvailable)("QR decoding", () => {
  console.warn(`${ZBARIMG} not found (apt-get install -y zbar-tools): QR codes not read back`);
});
