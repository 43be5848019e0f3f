/**
 * Minimal local declaration for the parts of `jstat` (untyped) that evalgate uses. jstat's quantile functions are
 * accurate to roughly 1e-9 in the body of the distribution, which makes them good starting points for the
 * Newton refinements in `special.ts`; they are never used as final answers.
 */
declare module 'jstat' {
  interface JStatStatic {
    normal: { inv(p: number, mean: number, sd: number): number };
    studentt: { inv(p: number, dof: number): number };
  }
  const jStat: JStatStatic;
  export default jStat;
}
