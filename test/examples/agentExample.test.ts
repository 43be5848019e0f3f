// examples/agent.ts, run as a user runs it (`npx tsx examples/agent.ts`): both tool loops record their
// trajectories against the mock, and the careless v2 regresses on tool_arguments only.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../', import.meta.url));

it('examples/agent.ts runs offline and shows the trajectories, the tool use and the regression', async () => {
  const out = await new Promise<string>((resolve, reject) =>
    execFile(
      join(root, 'node_modules', '.bin', 'tsx'),
      [join(root, 'examples', 'agent.ts')],
      { cwd: root, timeout: 120_000, killSignal: 'SIGKILL' },
      (err, stdout, stderr) => (err ? reject(new Error(`${err.message}\n${stderr}`)) : resolve(stdout)),
    ),
  );
  expect(out).toContain('AI SDK tool loop');
  expect(out.match(/40 rows, 0 failed · 120 requests/g)).toHaveLength(2);
  expect(out).toContain(
    'tool use (v1): 2 tool calls per row, 3 model calls per row, most used: convert 40, get_weather 40',
  );
  expect(out).toContain(
    'first trajectory: get_weather({"city":"Paris"}) -> convert({"celsius":18,"to":"F"}) -> answer',
  );
  // 10 of 40 tasks (every fourth) match one of their two expected calls: 1 - 10 · 0.5 / 40 = 0.875.
  expect(out).toMatch(/tool_arguments\s+1\s+0\.875\s+-0\.125\s.*worse/);
  for (const m of ['tool_selection', 'tool_order', 'trajectory_efficiency'])
    expect(out).toMatch(new RegExp(`${m}\\s+1\\s+1\\s+0\\s.*no significant difference`));
}, 150_000);
