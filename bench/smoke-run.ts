/**
 * Runs the bench CLI for the smoke tests with a deadline, so that a run that hangs fails with
 * what it was doing instead of a bare timeout: the phase it had reached (its last `growth: …`,
 * `fan-out`, … line), how long it ran, and the tail of its stdout and stderr.
 *
 * The bench runs in a process group of its own and the whole group is killed at the deadline
 * (the Parley servers it spawns have no IPC channel to notice their parent die): a hung
 * attempt leaves nothing running behind it for the retry or the next test.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';

const benchDir = path.dirname(new URL(import.meta.url).pathname);
/** Lines kept of each stream for the failure message. */
const TAIL_LINES = 40;

/** A phase line: a workload's heading as run.ts logs it (not indented, unlike its results). */
const PHASE = /^(growth: .+|fan-out|idle connections|ingest|history and catch-up|search over .+|cluster.*)$/;

export interface SmokeRun {
  stdout: string;
  stderr: string;
}

export function runBenchCli(args: string[], env: NodeJS.ProcessEnv, deadlineMs: number): Promise<SmokeRun> {
  const started = performance.now();
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/run.ts', ...args], {
    cwd: benchDir,
    env,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  let phase = 'starting (build and seed)';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
    for (const line of chunk.split('\n')) if (PHASE.test(line)) phase = line;
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  const killGroup = () => {
    try {
      process.kill(-(child.pid ?? 0), 'SIGKILL');
    } catch {
      // Already gone.
    }
  };
  return new Promise((resolve, reject) => {
    const fail = (what: string) => {
      const seconds = Math.round((performance.now() - started) / 1000);
      reject(
        new Error(
          `bench ${args.join(' ')} ${what} after ${seconds} s, in phase "${phase}"\n` +
            `--- stdout (last ${TAIL_LINES} lines) ---\n${tail(stdout)}\n` +
            `--- stderr (last ${TAIL_LINES} lines) ---\n${tail(stderr)}`,
        ),
      );
    };
    const timer = setTimeout(() => {
      killGroup();
      fail(`did not finish in ${deadlineMs / 1000} s (killed)`);
    }, deadlineMs);
    child.once('error', (error) => {
      clearTimeout(timer);
      fail(`could not run (${error.message})`);
    });
    // Whatever the bench left running goes with it when it exits: a server it started and never
    // stopped holds the bench's stdout open, and 'close' (all output read) would wait for it.
    child.once('exit', killGroup);
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolve({ stdout, stderr });
      else fail(`exited with ${code ?? signal}`);
    });
  });
}

function tail(text: string): string {
  return text.trimEnd().split('\n').slice(-TAIL_LINES).join('\n');
}
