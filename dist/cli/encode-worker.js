import { createRequire as __murderCreateRequire } from 'node:module'; import { fileURLToPath as __murderFileURLToPath } from 'node:url'; const require = __murderCreateRequire(import.meta.url); const __filename = __murderFileURLToPath(import.meta.url); const __dirname = __murderFileURLToPath(new URL('.', import.meta.url));

// src/pack/encode-worker.ts
import { parentPort } from "node:worker_threads";

// src/pack/encode-task.ts
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import { deflateRawSync } from "node:zlib";

// src/content/object-key.ts
import { createCipheriv, createDecipheriv, createHmac, hkdfSync } from "node:crypto";
var OBJECT_CIPHER = "aes-256-ctr";
var KEY_INFO = "murder-action object key v1";
var ID_INFO = "murder-action object id v1";
function deriveObjectKey(secret, encodedSha256) {
  const bytes = Buffer.from(hkdfSync("sha256", secret, Buffer.from(encodedSha256, "hex"), KEY_INFO, 48));
  return { key: bytes.subarray(0, 32).toString("hex"), iv: bytes.subarray(32, 48).toString("hex") };
}
function objectId(secret, encodedSha256) {
  return createHmac("sha256", secret).update(ID_INFO).update(Buffer.from(encodedSha256, "hex")).digest("hex").slice(0, 32);
}
var CIPHER_SLICE = 64 << 10;
function applyObjectKey(bytes, key, decrypt = false, out = Buffer.allocUnsafe(bytes.length)) {
  const keyBytes = Buffer.from(key.key, "hex");
  const iv = Buffer.from(key.iv, "hex");
  const cipher = decrypt ? createDecipheriv(OBJECT_CIPHER, keyBytes, iv) : createCipheriv(OBJECT_CIPHER, keyBytes, iv);
  const result = out.subarray(0, bytes.length);
  for (let offset = 0; offset < bytes.length; offset += CIPHER_SLICE) {
    cipher.update(bytes.subarray(offset, offset + CIPHER_SLICE)).copy(result, offset);
  }
  return result;
}
var ScratchBuffer = class {
  buffer = Buffer.alloc(0);
  take(size) {
    if (this.buffer.length < size) this.buffer = Buffer.allocUnsafe(size);
    return this.buffer.subarray(0, size);
  }
};

// src/pack/encode-task.ts
var WORTH_COMPRESSING = 0.9;
var SAMPLE_BYTES = 256 * 1024;
var plainScratch = new ScratchBuffer();
var sealedScratch = new ScratchBuffer();
function encodeWhole(task) {
  if (task.pieceHashes && task.encrypt && !task.seal) throw new Error("internal: pieces are hashed over sealed bytes");
  const secret = Buffer.from(task.secret, "hex");
  if (task.known !== void 0 && !task.pieceHashes && task.write === "compressed" && !(task.level > 0 && compressionPays(readSample(task)))) {
    const result2 = { id: objectId(secret, task.known.sha256), size: task.plainSize, sha256: task.known.sha256, compressed: false, pieces: new Uint8Array(), written: false };
    return task.encrypt ? Object.assign(result2, deriveObjectKey(secret, task.known.sha256)) : result2;
  }
  const plain = plainScratch.take(task.plainSize);
  let at = 0;
  for (const source of task.sources) {
    const fd = fs.openSync(source.full, "r");
    try {
      let read = 0;
      while (read < source.size) {
        const got = fs.readSync(fd, plain, at + read, source.size - read, source.start + read);
        if (got === 0) throw new Error(`${source.full} shrank while it was being packed`);
        read += got;
      }
      if (task.known !== void 0) unchangedSince(fd, source.full, task.known);
    } finally {
      fs.closeSync(fd);
    }
    at += source.size;
  }
  let stored = plain;
  let compressed = false;
  if (task.level > 0 && compressionPays(plain.subarray(0, SAMPLE_BYTES))) {
    const deflated = deflateRawSync(plain, { level: task.level });
    if (deflated.length < plain.length * WORTH_COMPRESSING) {
      stored = deflated;
      compressed = true;
    }
  }
  const sha256 = !compressed && task.known !== void 0 ? task.known.sha256 : createHash("sha256").update(stored).digest("hex");
  const id = objectId(secret, sha256);
  const written = compressed || task.write === "all";
  const result = { id, size: stored.length, sha256, compressed, pieces: new Uint8Array(), written };
  if (task.encrypt) {
    const key = deriveObjectKey(secret, sha256);
    if (task.seal && (written || task.pieceHashes)) stored = applyObjectKey(stored, key, false, sealedScratch.take(stored.length));
    Object.assign(result, key);
  }
  if (task.pieceHashes) result.pieces = pieceHashes(stored, task.pieceLength, true);
  if (written) writeObject(`${task.outDir}/${id}`, stored);
  return result;
}
function readSample(task) {
  const sample = plainScratch.take(Math.min(SAMPLE_BYTES, task.plainSize));
  const source = task.sources[0];
  const fd = fs.openSync(source.full, "r");
  try {
    return sample.subarray(0, fs.readSync(fd, sample, 0, Math.min(sample.length, source.size), source.start));
  } finally {
    fs.closeSync(fd);
  }
}
function unchangedSince(fd, file, seen) {
  const now = fs.fstatSync(fd);
  if (now.size !== seen.size || now.mtimeMs !== seen.mtimeMs) {
    throw new Error(`${file} changed while it was being packed: nothing may write to the build output while it is deployed`);
  }
}
function compressionPays(sample) {
  if (sample.length === 0) return false;
  return deflateRawSync(sample, { level: 1 }).length < sample.length * WORTH_COMPRESSING;
}
function pieceHashes(bytes, pieceLength, padLast) {
  const count = Math.ceil(bytes.length / pieceLength);
  const hashes = Buffer.allocUnsafe(count * 20);
  for (let index = 0; index < count; index++) {
    const hash = createHash("sha1").update(bytes.subarray(index * pieceLength, (index + 1) * pieceLength));
    const short = (index + 1) * pieceLength - bytes.length;
    if (padLast && short > 0) hash.update(Buffer.alloc(short));
    hash.digest().copy(hashes, index * 20);
  }
  return hashes;
}
function writeObject(file, bytes) {
  try {
    fs.writeFileSync(file, bytes, { flag: "wx", mode: 384 });
  } catch (error) {
    if (error.code !== "EEXIST") throw error;
  }
}

// src/pack/hash-task.ts
import { createHash as createHash2 } from "node:crypto";
import * as fs2 from "node:fs";
var READ_BYTES = 1 << 20;
var scratch = new ScratchBuffer();
function hashRanges(task) {
  const buffer = scratch.take(READ_BYTES);
  return task.ranges.map(({ full, start, size }) => {
    const hash = createHash2("sha256");
    const fd = fs2.openSync(full, "r");
    try {
      for (let at = 0; at < size; ) {
        const got = fs2.readSync(fd, buffer, 0, Math.min(READ_BYTES, size - at), start + at);
        if (got === 0) throw new Error(`${full} shrank while it was being hashed`);
        hash.update(buffer.subarray(0, got));
        at += got;
      }
    } finally {
      fs2.closeSync(fd);
    }
    return hash.digest("hex");
  });
}

// src/pack/encode-worker.ts
parentPort?.on("message", ({ id, task }) => {
  try {
    const result = task.kind === "hash" ? hashRanges(task) : encodeWhole(task);
    parentPort.postMessage({ id, result });
  } catch (error) {
    parentPort.postMessage({ id, error: error.message });
  }
});
