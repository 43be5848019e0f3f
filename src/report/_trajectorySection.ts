/**
 * The report's agent parts: the run's tool-use summary (a section), and each row's trajectory as a closed
 * `<details>` (steps, tools, arguments, results, tokens), laid out only when opened.
 * @module
 */
import { toolUseSummary } from '../agents/toolUseSummary.js';
import type { Trajectory } from '../core/trajectory.js';
import type { ExampleRecord } from '../result/EvalResult.js';
import { _escapeHtml, _valueText } from './_html.js';
import { _formatNumber } from './format.js';

const pct = (x: number | null) => (x === null ? '—' : `${_formatNumber(100 * x, 3)}%`);

/** The "Tool use" section, or `''` when no record has a trajectory. */
export function _toolUseSection(
  records: readonly ExampleRecord[],
  baseline?: readonly ExampleRecord[],
): string {
  const s = toolUseSummary(records);
  if (s === undefined) return '';
  const b = baseline === undefined ? undefined : toolUseSummary(baseline);
  const was = (x: string) => (b === undefined ? '' : ` <span class="dim">(baseline ${x})</span>`);
  const facts = [
    `${s.rows} rows with a trajectory`,
    `${_formatNumber(s.stepsPerRow, 3)} model calls per row${was(_formatNumber(b?.stepsPerRow ?? Number.NaN, 3))}`,
    `${_formatNumber(s.callsPerRow, 3)} tool calls per row${was(_formatNumber(b?.callsPerRow ?? Number.NaN, 3))}`,
    `tool error rate ${pct(s.errorRate)} (${s.toolErrors} of ${s.toolResults} results)${was(pct(b?.errorRate ?? null))}`,
    ...(s.truncatedRows > 0 ? [`${s.truncatedRows} trajectories cut to stay bounded`] : []),
  ];
  const rows = s.tools
    .slice(0, 20)
    .map(
      (t) =>
        `<tr><td>${_escapeHtml(t.name)}</td><td class="num">${t.calls}</td><td class="num">${t.errors}</td><td class="num">${pct(t.calls === 0 ? null : t.errors / t.calls)}</td></tr>`,
    )
    .join('');
  const more = s.tools.length > 20 ? `<p class="dim">and ${s.tools.length - 20} more tools</p>` : '';
  return `<section id="tool-use"><h2>Tool use</h2><p>${facts.join(' · ')}</p><table class="tool-use"><thead><tr><th>tool</th><th>calls</th><th>errors</th><th>error rate</th></tr></thead><tbody>${rows}</tbody></table>${more}</section>`;
}

/** A row's trajectory, collapsed: a one-line summary that opens onto the steps. */
export function _trajectoryDetails(t: Trajectory | undefined): string {
  if (t === undefined) return '';
  const calls = t.steps.reduce((n, s) => n + s.toolCalls.length, 0);
  const errors = t.steps.reduce((n, s) => n + s.toolResults.filter((r) => r.isError).length, 0);
  const steps = t.steps
    .map((s) => {
      const tokens = s.usage === undefined ? '' : ` · ${s.usage.inputTokens}+${s.usage.outputTokens} tokens`;
      const head = `<b>${_escapeHtml(s.kind)}</b> ${_escapeHtml(s.model ?? s.api)}${tokens} · ${Math.round(s.latencyMs)} ms${s.cached ? ' · cached' : ''}${s.error === undefined ? '' : ` · <span class="bad">${_escapeHtml(s.error)}</span>`}`;
      const items = s.toolCalls.map((c) => {
        const r = s.toolResults.find((x) => x.id === c.id);
        const result =
          r === undefined
            ? '<span class="dim">no result</span>'
            : `<span class="${r.isError ? 'bad' : ''}">${_escapeHtml(r.content)}</span>`;
        return `<li><code>${_escapeHtml(c.name)}(${_escapeHtml(_valueText(c.arguments))})</code> → ${result}</li>`;
      });
      const text =
        s.text === undefined || s.text === '' ? '' : `<div class="dim">${_escapeHtml(s.text)}</div>`;
      return `<li>${head}${items.length > 0 ? `<ul>${items.join('')}</ul>` : ''}${text}</li>`;
    })
    .join('');
  const note =
    t.truncated || (t.droppedSteps ?? 0) > 0
      ? `<p class="dim">Cut to stay bounded${t.droppedSteps ? `: ${t.droppedSteps} later steps left out` : ''}.</p>`
      : '';
  return `<details class="trajectory"><summary>${t.steps.length} steps · ${calls} tool calls${errors > 0 ? ` · ${errors} errors` : ''}</summary><ol>${steps}</ol>${note}</details>`;
}

/** The tool-use summary in one line of text (the notebook view and the Markdown table's last cell). */
export function _mostUsedTools(
  records: readonly { readonly trajectory?: Trajectory | undefined }[],
  top = 3,
): string {
  const s = toolUseSummary(records);
  if (s === undefined) return '';
  return s.tools
    .slice(0, top)
    .map((t) => `${t.name} (${t.calls})`)
    .join(', ');
}

/** One line about a run's tool use, or `''` without trajectories. */
export function _toolUseLine(records: readonly { readonly trajectory?: Trajectory | undefined }[]): string {
  const s = toolUseSummary(records);
  if (s === undefined) return '';
  const tools = _mostUsedTools(records);
  return `tool use: ${_formatNumber(s.callsPerRow, 3)} tool calls and ${_formatNumber(s.stepsPerRow, 3)} model calls per row · tool error rate ${pct(s.errorRate)}${tools === '' ? '' : ` · most used: ${tools}`}`;
}
