#!/usr/bin/env node
// `npm run format:check`: the .editorconfig rules over every text file git tracks or would add
// (UTF-8 without BOM, LF line ends, a final newline, no trailing whitespace outside Markdown, no tab
// indentation outside Makefiles). It changes nothing; it names each file and line that breaks a rule.
// Pass paths to check only those. It needs no installed package, so CI runs it before setup; the
// code's layout is Prettier's (.prettierrc.json), checked by `npm run format:check` and scripts/test.sh.
'use strict';
const { execFileSync } = require('node:child_process');
const { readFileSync } = require('node:fs');
const { resolve } = require('node:path');

const root = resolve(__dirname, '..', '..');
const args = process.argv.slice(2);
const files = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard', '--', ...args], {
  cwd: root,
  encoding: 'utf8',
})
  .split('\0')
  .filter(Boolean);

const problems = [];
for (const file of files) {
  if (file === 'package-lock.json') continue; // written by npm
  let buf;
  try {
    buf = readFileSync(resolve(root, file));
  } catch {
    continue; // deleted in the work tree
  }
  if (buf.includes(0)) continue; // binary
  const text = buf.toString('utf8');
  if (text.charCodeAt(0) === 0xfeff) problems.push(`${file}: starts with a byte-order mark`);
  if (text.length > 0 && !text.endsWith('\n')) problems.push(`${file}: no newline at the end`);
  const markdown = file.endsWith('.md');
  const makefile = /(^|\/)(Makefile|[^/]*\.mk)$/.test(file);
  text.split('\n').forEach((line, i) => {
    const where = `${file}:${i + 1}`;
    if (line.endsWith('\r')) problems.push(`${where}: CRLF line end`);
    else if (!markdown && /[ \t]+$/.test(line)) problems.push(`${where}: trailing whitespace`);
    if (!makefile && /^\t/.test(line)) problems.push(`${where}: tab indentation`);
  });
}

if (problems.length) {
  console.error(problems.slice(0, 200).join('\n'));
  if (problems.length > 200) console.error(`... and ${problems.length - 200} more`);
  console.error(`format:check: ${problems.length} problem(s) in ${files.length} files (rules: .editorconfig)`);
  process.exit(1);
}
console.log(`format:check: ${files.length} files follow .editorconfig`);
