import ts from 'typescript';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
function files(d){return readdirSync(d).flatMap(n=>{const p=join(d,n);return statSync(p).isDirectory()?files(p):/\.ts$/.test(n)?[p]:[]})}
for (const dir of process.argv.slice(2)) for(const f of files(dir)){
  const sf=ts.createSourceFile(f,readFileSync(f,'utf8'),ts.ScriptTarget.Latest,true);
  const v=(n)=>{ if(ts.isFunctionLike(n) && n.body){ const a=sf.getLineAndCharacterOfPosition(n.getStart(sf)).line, b=sf.getLineAndCharacterOfPosition(n.end).line; if(b-a+1>120) console.log(f, n.name?.getText(sf) ?? '(anon)', a+1, b-a+1);} ts.forEachChild(n,v)}; v(sf);
}
