import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

/** A mock server running in a child process. */
export interface MockProcess {
  readonly url: string;
  stop(): Promise<void>;
}

/** Spawns bench/_serveMock.ts with the given latency and waits for its URL. */
export async function startMockProcess(latencyMs: number): Promise<MockProcess> {
  const script = fileURLToPath(new URL('./_serveMock.ts', import.meta.url));
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', script, String(latencyMs)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout! });
  const [first] = (await once(lines, 'line')) as [string];
  const { url } = JSON.parse(first) as { url: string };
  return {
    url,
    async stop() {
      child.kill('SIGTERM');
      if (child.exitCode === null) await once(child, 'exit');
    },
  };
}
