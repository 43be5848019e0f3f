/**
 * What "numbers never float noise" means for text a user reads, shared by the property tests of every surface.
 */

/**
 * Float residue in printed text: a run of seven 0s or 9s before a last digit (`0.8400000000000001`,
 * `0.30000000000000004`, `0.7999999999999999`) or a magnitude below 1e-12, which the formatter prints as `0`
 * (`8.88e-18`).
 */
export const NOISE = /\d\.\d*0{7}\d|\d\.\d*9{7}\d|\de-(1[3-9]|[2-9]\d|\d{3})/;

/**
 * The text an HTML page shows: without its `<script>` and `<style>` elements and without tags (the embedded
 * JSON data and the `data-value` attributes hold raw numbers for the page's script, not printed ones).
 */
export function visibleHtml(html: string): string {
  return html
    .replace(/<(script|style)\b[^>]*>[\s\S]*?<\/\1>/g, '')
    .replace(/<[^>]*>/g, ' ')
    .replace(/&amp;/g, '&');
}
