import { evaluate, compare, renderHtmlReport } from '../src/index.js';
const r = await evaluate([{id:'r0', input: 0, metadata:{segment:'billing'}}], async (x) => String(x), [{name:'em', kind:"continuous", score: () => 4.297679071591777e-305}], { segmentBy: (e:any)=>e.metadata.segment, resamples: 50, progress: false });
const c = compare(r, r, { resamples: 50, margin: 0.02 });
const h = renderHtmlReport(r, { baseline: r, comparison: c });
for (const m of h.matchAll(/.{60}(\d\.\d*0000000\d|\d\.\d*9999999\d|\de-1\d|NaN).{30}/g)) console.log(m[0]);
const v = h.replace(/<(script|style)\b[^>]*>[\s\S]*?<\/\1>/g, '');
for (const m of v.matchAll(/.{100}(\d\.\d*0000000\d|\d\.\d*9999999\d|\de-1\d|NaN).{30}/g)) console.log('V', m[0]);
