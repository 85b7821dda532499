/**
 * A Playwright reporter that measures where the e2e suite's CPU goes (issue 7): for each test the
 * wall time and the CPU time (user + system) of its worker's whole process tree — the worker's
 * node, the browsers it launched, the app server, fsck.fat/mtools/nmcli — sampled from /proc
 * (TreeMeter). beforeAll hooks count with the first test of their file. Writes one
 * line per test and a per-file summary to $PREFLASH_E2E_CPU_DIR/report.txt.
 *
 *   PREFLASH_E2E_CPU_DIR=/tmp/x NODE_OPTIONS="--import $PWD/tests/e2e/cpu-probe.mjs" \
 *     npx playwright test -c tests/e2e/playwright.config.ts --reporter=list,./tests/e2e/cpu-reporter.ts
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FullResult, Reporter, TestCase, TestResult } from '@playwright/test/reporter';

const TICK_MS = 10; // getconf CLK_TCK = 100

interface Proc { ppid: number; own: number; children: number }

function readProcs(): Map<number, Proc> {
  const procs = new Map<number, Proc>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      procs.set(Number(name), { ppid: Number(f[1]), own: Number(f[11]) + Number(f[12]), children: Number(f[13]) + Number(f[14]) });
    } catch {
      // gone meanwhile
    }
  }
  return procs;
}

function inTree(procs: Map<number, Proc>, pid: number, root: number): boolean {
  for (let p: number | undefined = pid; p !== undefined && p > 1; p = procs.get(p)?.ppid) if (p === root) return true;
  return false;
}

/**
 * CPU time of process trees, sampled every SAMPLE_MS from /proc: each process's own ticks while
 * it lives (browsers do not always wait for their renderers and zygotes, so a parent's cutime
 * would lose them), plus the root's cutime for children it reaped (spawnSync'd tools, a browser's
 * last ticks), less what the samples had already counted of a child of the root that is gone.
 * The last ticks of a deeper process that exits between two samples are missed.
 */
/**
 * The runner's reaped children are the workers, counted as roots of their own: its cutime would
 * count each of them a second time when it exits, so the runner counts only its own ticks and
 * those sampled of its other children (the global setup's builds).
 */
const countsChildren = (root: number) => root !== process.pid;

class TreeMeter {
  private seen = new Map<number, { root: number; direct: boolean; own: number; children: number }>();
  private total = new Map<number, number>();

  sample(roots: number[]): void {
    const procs = readProcs();
    const add = (root: number, ticks: number) => this.total.set(root, (this.total.get(root) ?? 0) + ticks);
    for (const [pid, p] of procs) {
      const root = roots.find((r) => inTree(procs, pid, r));
      if (root === undefined) continue;
      const before = this.seen.get(pid);
      const own = pid === root && countsChildren(root) ? p.own + p.children : p.own;
      add(root, own - (before?.own ?? 0));
      this.seen.set(pid, { root, direct: p.ppid === root, own, children: p.children });
    }
    for (const [pid, s] of this.seen) {
      if (procs.has(pid)) continue;
      if (s.direct && countsChildren(s.root)) add(s.root, -(s.own + s.children)); // the root's cutime has them now
      this.seen.delete(pid);
    }
  }

  /** CPU ms of `root`'s tree so far. */
  ms(root: number): number {
    return (this.total.get(root) ?? 0) * TICK_MS;
  }
}

const SAMPLE_MS = 250;

export default class CpuReporter implements Reporter {
  private dir = process.env.PREFLASH_E2E_CPU_DIR ?? '.tmp/e2e-cpu';
  private start = new Map<string, number>();
  private lines: string[] = [];
  private files = new Map<string, { wall: number; cpu: number; tests: number }>();
  private t0 = Date.now();
  private meter = new TreeMeter();
  private timer: NodeJS.Timeout;

  constructor() {
    mkdirSync(this.dir, { recursive: true });
    this.timer = setInterval(() => this.meter.sample(this.roots()), SAMPLE_MS);
    this.timer.unref();
  }

  /** This process (the runner and the global setup's builds and servers) and every worker. */
  private roots(): number[] {
    const workers = readdirSync(this.dir).filter((n) => n.startsWith('worker-')).map((n) => Number(readFileSync(join(this.dir, n), 'utf8')));
    return [...workers, process.pid];
  }

  private workerPid(index: number): number | undefined {
    const file = join(this.dir, `worker-${index}`);
    return existsSync(file) ? Number(readFileSync(file, 'utf8')) : undefined;
  }

  onTestBegin(test: TestCase, result: TestResult): void {
    const pid = this.workerPid(result.workerIndex);
    if (!pid) return;
    this.meter.sample(this.roots());
    this.start.set(test.id, this.meter.ms(pid));
  }

  onTestEnd(test: TestCase, result: TestResult): void {
    const pid = this.workerPid(result.workerIndex);
    const before = this.start.get(test.id);
    if (pid) this.meter.sample(this.roots());
    const cpu = pid && before !== undefined ? this.meter.ms(pid) - before : NaN;
    const file = test.location.file.split('/').pop()!;
    this.lines.push(`${(result.duration / 1000).toFixed(1).padStart(6)} s wall ${(cpu / 1000).toFixed(1).padStart(6)} s cpu  ${result.status.padEnd(7)} ${file} › ${test.title}`);
    const f = this.files.get(file) ?? { wall: 0, cpu: 0, tests: 0 };
    f.wall += result.duration;
    f.cpu += cpu;
    f.tests++;
    this.files.set(file, f);
  }

  onEnd(result: FullResult): void {
    clearInterval(this.timer);
    this.meter.sample(this.roots());
    const all = this.roots().reduce((sum, r) => sum + this.meter.ms(r), 0);
    const load = readFileSync('/proc/loadavg', 'utf8').trim();
    const summary = [...this.files].sort((a, b) => b[1].wall - a[1].wall).map(([file, f]) => `${(f.wall / 1000).toFixed(1).padStart(6)} s wall ${(f.cpu / 1000).toFixed(1).padStart(6)} s cpu  ${String(f.tests).padStart(2)} tests  ${file}`);
    const text = [`run: ${result.status}, ${((Date.now() - this.t0) / 1000).toFixed(1)} s wall, ${(all / 1000).toFixed(1)} s CPU of every process tree sampled (runner, global setup, workers), loadavg at end ${load}`, '', 'per file:', ...summary, '', 'per test:', ...this.lines, ''].join('\n');
    writeFileSync(join(this.dir, 'report.txt'), text);
  }
}
