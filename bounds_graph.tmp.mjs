import ts from 'typescript';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
const SRC = resolve('src');
function files(d){return readdirSync(d).flatMap(n=>{const p=join(d,n);return statSync(p).isDirectory()?files(p):/\.ts$/.test(n)&&!/\.(test|d)\.ts$/.test(n)?[p]:[]})}
const folder = (p)=>{const r=relative(SRC,p).split('/');return r.length===1? r[0].replace(/\.ts$/,''): r[0]};
const edges=new Map(); const under=[];
for(const f of files(SRC)){
  const sf=ts.createSourceFile(f,readFileSync(f,'utf8'),ts.ScriptTarget.Latest,true);
  const visit=(n)=>{
    let spec, names=[];
    if((ts.isImportDeclaration(n)||ts.isExportDeclaration(n)) && n.moduleSpecifier && ts.isStringLiteral(n.moduleSpecifier)){
      spec=n.moduleSpecifier.text;
      if(ts.isImportDeclaration(n)){const c=n.importClause; if(c?.name)names.push('default'); const b=c?.namedBindings; if(b&&ts.isNamedImports(b)) for(const e of b.elements) names.push((e.propertyName??e.name).text);}
      else { const c=n.exportClause; if(c&&ts.isNamedExports(c)) for(const e of c.elements) names.push((e.propertyName??e.name).text);}
    } else if(ts.isCallExpression(n)&&n.expression.kind===ts.SyntaxKind.ImportKeyword&&n.arguments[0]&&ts.isStringLiteral(n.arguments[0])) spec=n.arguments[0].text;
    else if(ts.isImportTypeNode(n)&&ts.isLiteralTypeNode(n.argument)&&ts.isStringLiteral(n.argument.literal)) spec=n.argument.literal.text;
    if(spec&&spec.startsWith('.')){
      const to=resolve(dirname(f),spec).replace(/\.js$/,'.ts');
      const a=folder(f), b=folder(to);
      if(a!==b){const k=a+' -> '+b; edges.set(k,(edges.get(k)??[]).concat(relative(SRC,f)+'->'+relative(SRC,to))); for(const nm of names) if(nm.startsWith('_')) under.push(`${relative(SRC,f)} -> ${relative(SRC,to)} : ${nm}`);}
    }
    ts.forEachChild(n,visit);
  };
  visit(sf);
}
if(process.argv[2]==='edges') for(const [k,v] of [...edges].sort()) console.log(k, v.length);
else if(process.argv[2]==='detail') for(const [k,v] of [...edges].sort()) { if(k.startsWith(process.argv[3])) console.log(k, v.join(' ')); }
else { for(const u of under) console.log(u); console.log(under.length, new Set(under.map(u=>u.split(' : ')[1])).size);}
