import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { MemoryFileSystem, normalizePath, normalizeSegments, RunFileSystem } from "../../server/src/core/fs";

describe("MemoryFileSystem", () => {
  it("knows files and the directories above them", () => {
    const fs = new MemoryFileSystem({ "/w/src/index.ts": "x", "/w/src/lib/a.ts": "y", "/w/wrangler.toml": "" });
    assert.equal(fs.stat("/w/src/index.ts"), "file");
    assert.equal(fs.stat("/w/src/lib"), "directory");
    assert.equal(fs.stat("/w"), "directory");
    assert.equal(fs.stat("/"), "directory");
    assert.equal(fs.stat("/w/src/index"), undefined);
    assert.equal(fs.stat("/w/sr"), undefined, "a prefix of a name is not a directory");
    assert.deepEqual(fs.readDirectory("/w"), ["src", "wrangler.toml"]);
    assert.deepEqual(fs.readDirectory("/w/src"), ["index.ts", "lib"]);
    assert.equal(fs.readDirectory("/w/src/index.ts"), undefined);
  });

  it("forgets a directory when its last file is deleted, not before", () => {
    const fs = new MemoryFileSystem({ "/w/src/a.ts": "", "/w/src/b.ts": "" });
    fs.delete("/w/src/a.ts");
    assert.equal(fs.stat("/w/src"), "directory");
    fs.set("/w/src/b.ts", "again"); // overwriting must not count the file twice
    fs.delete("/w/src/b.ts");
    assert.equal(fs.stat("/w/src"), undefined);
    assert.equal(fs.stat("/w"), undefined);
    assert.equal(fs.readDirectory("/w"), undefined);
  });
});

describe("RunFileSystem (one CLI run)", () => {
  it("asks the file system once per path and question, and answers the same for the rest of the run", () => {
    const inner = new MemoryFileSystem({ "/w/src/index.ts": "x", "/w/wrangler.toml": "" });
    let asked = 0;
    const counting = {
      readFile: (p: string) => (asked++, inner.readFile(p)),
      stat: (p: string) => (asked++, inner.stat(p)),
      readDirectory: (p: string) => (asked++, inner.readDirectory(p)),
      realPath: (p: string) => (asked++, inner.realPath(p)),
    };
    const fs = new RunFileSystem(counting);
    for (let i = 0; i < 3; i++) {
      assert.equal(fs.readFile("/w/src/index.ts"), "x");
      assert.equal(fs.readFile("/w/missing.ts"), undefined);
      assert.equal(fs.stat("/w/src"), "directory");
      assert.deepEqual(fs.readDirectory("/w")?.sort(), ["src", "wrangler.toml"]);
      assert.equal(fs.realPath("/w/src/index.ts"), "/w/src/index.ts");
    }
    assert.equal(asked, 5);
    // A caller that changes a listing does not change the next caller's.
    fs.readDirectory("/w")!.push("extra");
    assert.deepEqual(fs.readDirectory("/w")?.sort(), ["src", "wrangler.toml"]);
  });
});

describe("normalizePath", () => {
  // Segment by segment, as it always did (normalizePath returns normal paths as they are, unsplit).
  const bySegments = normalizeSegments;

  it("gives what normalising segment by segment gives, for every path of up to 5 characters from a/./\\:C", () => {
    const alphabet = ["a", "/", ".", "\\", ":", "C"];
    let paths = [""];
    let checked = 0;
    for (let length = 0; length <= 5; length++) {
      for (const path of paths) {
        assert.equal(normalizePath(path), bySegments(path), JSON.stringify(path));
        checked++;
      }
      paths = paths.flatMap((path) => alphabet.map((c) => path + c));
    }
    assert.equal(checked, 9331);
    assert.equal(normalizePath("/w/src/./lib/../index.ts"), "/w/src/index.ts");
    assert.equal(normalizePath("/w/src/index.ts"), "/w/src/index.ts");
  });
});
