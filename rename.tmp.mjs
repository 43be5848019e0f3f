import ts from 'typescript';
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
const renames = JSON.parse(readFileSync(process.argv[2], 'utf8')); // [[file, old, new], ...]
const cfg = ts.getParsedCommandLineOfConfigFile(resolve('tsconfig.json'), {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: (d) => { throw new Error(String(d.messageText)); } });
const files = cfg.fileNames;
const host = {
  getScriptFileNames: () => files, getScriptVersion: () => '1',
  getScriptSnapshot: (f) => ts.sys.fileExists(f) ? ts.ScriptSnapshot.fromString(ts.sys.readFile(f)) : undefined,
  getCurrentDirectory: () => process.cwd(), getCompilationSettings: () => cfg.options,
  getDefaultLibFileName: (o) => ts.getDefaultLibFilePath(o), fileExists: ts.sys.fileExists, readFile: ts.sys.readFile,
  readDirectory: ts.sys.readDirectory, directoryExists: ts.sys.directoryExists, getDirectories: ts.sys.getDirectories,
};
const ls = ts.createLanguageService(host, ts.createDocumentRegistry());
const edits = new Map();
for (const [file, oldName, newName] of renames) {
  const abs = resolve(file); const text = readFileSync(abs, 'utf8');
  const re = new RegExp(`export\\s+(?:async\\s+)?(?:function\\*?|const|let|class|interface|type|abstract class)\\s+(${oldName})\\b`);
  const m = re.exec(text); if (!m) { console.error('no decl', file, oldName); process.exit(1); }
  const pos = m.index + m[0].length - oldName.length;
  const locs = ls.findRenameLocations(abs, pos, false, false, { providePrefixAndSuffixTextForRename: false });
  if (!locs) { console.error('no locs', file, oldName); process.exit(1); }
  for (const l of locs) { if (!edits.has(l.fileName)) edits.set(l.fileName, []); edits.get(l.fileName).push({ start: l.textSpan.start, len: l.textSpan.length, text: (l.prefixText ?? '') + newName + (l.suffixText ?? '') }); }
  console.log(oldName, '->', newName, locs.length);
}
for (const [f, es] of edits) {
  let s = readFileSync(f, 'utf8');
  const seen = new Set();
  es.sort((a, b) => b.start - a.start);
  for (const e of es) { if (seen.has(e.start)) continue; seen.add(e.start); s = s.slice(0, e.start) + e.text + s.slice(e.start + e.len); }
  writeFileSync(f, s);
}
