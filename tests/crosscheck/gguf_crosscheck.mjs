// Cross-check of `edgeplan inspect --format json` against an independent GGUF parser, the
// npm package @huggingface/gguf, on every fixture file: metadata keys, value types and values
// (arrays by length and their shown prefix), tensor infos, the data offset and the
// parameter count. Usage: node gguf_crosscheck.mjs EDGEPLAN FILE.gguf...
import { gguf } from "@huggingface/gguf";
import { spawnSync } from "node:child_process";
import path from "node:path";

const TYPE_NAMES = ["uint8", "int8", "uint16", "int16", "uint32", "int32", "float32", "bool",
  "string", "array", "uint64", "int64", "float64"];
// Keys the package adds from the header itself, not metadata entries.
const HEADER_KEYS = new Set(["version", "tensor_count", "kv_count"]);

function same(theirs, ours) {
  if (typeof theirs === "bigint") {
    return typeof ours === "number" && BigInt(Math.trunc(ours)) === theirs;
  }
  if (typeof theirs === "number" && !Number.isFinite(theirs)) {
    return ours === null; // edgeplan writes NaN and infinities as null
  }
  return theirs === ours;
}

function compareValue(where, theirs, ours, problems) {
  if (Array.isArray(theirs)) {
    if (ours === null || typeof ours !== "object" || ours.count !== theirs.length) {
      problems.push(`${where}: array of ${theirs.length}, edgeplan says ${JSON.stringify(ours?.count)}`);
      return;
    }
    ours.values.forEach((v, i) => compareValue(`${where}[${i}]`, theirs[i], v, problems));
    return;
  }
  if (!same(theirs, ours)) {
    problems.push(`${where}: ${String(theirs)} vs edgeplan ${JSON.stringify(ours)}`);
  }
}

async function check(binary, file) {
  const problems = [];
  const run = spawnSync(binary, ["inspect", file, "--format", "json"], { encoding: "utf8" });
  if (run.status !== 0) {
    return [`edgeplan exit ${run.status}: ${run.stderr.trim()}`];
  }
  const ours = JSON.parse(run.stdout);
  const theirs = await gguf(path.resolve(file), { allowLocalFile: true, typedMetadata: true,
    computeParametersCount: true });
  const typed = theirs.typedMetadata;
  if (typed.version.value !== ours.file.gguf_version) {
    problems.push(`version ${typed.version.value} vs ${ours.file.gguf_version}`);
  }
  const keys = Object.keys(typed).filter((k) => !HEADER_KEYS.has(k));
  if (keys.length !== ours.metadata.length) {
    problems.push(`${keys.length} metadata keys vs edgeplan ${ours.metadata.length}`);
  }
  ours.metadata.forEach((entry, i) => {
    const t = typed[entry.key];
    if (keys[i] !== entry.key || t === undefined) {
      problems.push(`key #${i}: ${keys[i]} vs edgeplan ${entry.key}`);
      return;
    }
    if (TYPE_NAMES[t.type] !== entry.type) {
      problems.push(`${entry.key}: type ${TYPE_NAMES[t.type]} vs edgeplan ${entry.type}`);
    }
    if (t.type === 9 && TYPE_NAMES[t.subType] !== entry.value.element_type) {
      problems.push(`${entry.key}: element type ${TYPE_NAMES[t.subType]} vs ${entry.value.element_type}`);
    }
    compareValue(entry.key, t.value, entry.value, problems);
  });
  if (theirs.tensorInfos.length !== ours.tensors.length) {
    problems.push(`${theirs.tensorInfos.length} tensors vs edgeplan ${ours.tensors.length}`);
  }
  theirs.tensorInfos.forEach((info, i) => {
    const t = ours.tensors[i];
    const dims = info.shape.map(String).join(",");
    if (!t || t.name !== info.name || t.dims.join(",") !== dims || t.ggml_type_id !== info.dtype ||
        BigInt(t.offset) !== info.offset) {
      problems.push(`tensor #${i} ${info.name} [${dims}] type ${info.dtype} at ${info.offset} vs ` +
        `edgeplan ${JSON.stringify(t)}`);
    }
  });
  if (BigInt(ours.file.data_offset) !== theirs.tensorDataOffset) {
    problems.push(`data offset ${theirs.tensorDataOffset} vs edgeplan ${ours.file.data_offset}`);
  }
  if (theirs.parameterCount !== ours.model.parameters) {
    problems.push(`parameters ${theirs.parameterCount} vs edgeplan ${ours.model.parameters}`);
  }
  return problems;
}

const [binary, ...files] = process.argv.slice(2);
let failed = 0;
for (const file of files) {
  const problems = await check(binary, file);
  if (problems.length === 0) {
    console.log(`PASS: ${path.basename(file)}`);
  } else {
    failed += 1;
    console.log(`FAIL: ${path.basename(file)}:\n  ${problems.slice(0, 20).join("\n  ")}`);
  }
}
console.log(`${files.length - failed} of ${files.length} files agree with @huggingface/gguf`);
process.exit(failed === 0 ? 0 : 1);
