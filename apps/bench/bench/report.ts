import { cpus, loadavg, release, totalmem } from 'node:os';
import type { BundleResult } from './bundle-size.ts';
import type { ColdImportResult } from './cold-import.ts';
import type { OverheadResult } from './overhead.ts';
import { median } from './stats.ts';
import type { StoresResult } from './stores.ts';
import type { StormResult } from './storm.ts';
import type { ThroughputResult } from './throughput.ts';

/** Everything one run measured; written as JSON. */
export interface BenchReport {
  date: string;
  machine: MachineInfo;
  settings: Record<string, number>;
  throughput?: ThroughputResult[];
  overhead?: OverheadResult[];
  storms?: StormResult[];
  stores?: StoresResult;
  coldImports?: ColdImportResult[];
  bundles?: BundleResult[];
}

/** The machine a run measured, printed above its tables. */
export interface MachineInfo {
  cpu: string;
  cores: number;
  memoryGiB: number;
  os: string;
  node: string;
  /** 1-minute load average when the run started: other work on the machine skews the figures. */
  loadAverage: number;
}

/** Describes this machine (CPU, cores, memory, OS, Node, load). */
export function machineInfo(): MachineInfo {
  const list = cpus();
  return {
    cpu: list[0]?.model.trim() ?? 'unknown',
    cores: list.length,
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    os: `${process.platform} ${release()}`,
    node: process.version,
    loadAverage: Math.round((loadavg()[0] ?? 0) * 100) / 100,
  };
}

const fixed = (value: number, digits = 2): string => (Number.isFinite(value) ? value.toFixed(digits) : 'n/a');
/** `+1.5` or `-1.5`: a difference with its sign, never `+-1.5`. */
const signed = (value: number, digits = 2): string =>
  value >= 0 ? `+${fixed(value, digits)}` : fixed(value, digits);
const kib = (bytes: number): string => `${(bytes / 1024).toFixed(1)} KiB`;
const us = (value: number): string =>
  value >= 1000 ? `${(value / 1000).toFixed(2)} ms` : `${value.toFixed(1)} us`;

function table(header: string[], rows: string[][]): string {
  const line = (cells: string[]): string => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

/** The quartiles of `values` (nearest rank): the spread a median ratio moves in from run to run. */
function quartiles(values: readonly number[]): [number, number] {
  const sorted = [...values].sort((x, y) => x - y);
  const at = (q: number): number =>
    sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
  return [at(0.25), at(0.75)];
}

function throughputTable(results: ThroughputResult[]): string {
  const goals: Record<string, string> = { 'auth.fetch': '>= 0.97', 'createKyClient(auth)': '>= 0.98' };
  const rows = results.map((r) => {
    if (r.ratios === undefined || r.addedCpuUs === undefined) {
      return [r.name, fixed(r.rps, 0), '1.00 (anchor)', '', fixed(r.cpuUsPerRequest, 1), ''];
    }
    const [low, high] = quartiles(r.ratios);
    const ratio = `${fixed(median(r.ratios))} [${fixed(low)}–${fixed(high)}]`;
    return [
      r.name,
      fixed(r.rps, 0),
      ratio,
      goals[r.name] ?? '',
      fixed(r.cpuUsPerRequest, 1),
      signed(median(r.addedCpuUs), 1),
    ];
  });
  return table(
    [
      'contender',
      'req/s',
      'vs anchor run next to it (median [quartiles] of rounds)',
      'goal',
      'client CPU us/req',
      'added CPU us (median of rounds)',
    ],
    rows,
  );
}

function overheadTable(results: OverheadResult[]): string {
  // A contender with an anchor carries its paired figure (`addedUs`); an anchor carries none.
  const rows = results.map((r) =>
    r.addedUs === undefined
      ? [r.name, fixed(r.cpuUsPerCall, 2), '(anchor)', '']
      : [r.name, fixed(r.cpuUsPerCall, 2), fixed(r.addedUs, 2), '<= +4 us'],
  );
  return table(['contender', 'CPU us per call', 'added us', 'goal'], rows);
}

function stormTable(results: StormResult[]): string {
  return table(
    [
      '1,000 callers',
      'storms',
      'token calls',
      'failed callers',
      'last answer (ms)',
      'one token round trip (ms)',
      'added (ms)',
    ],
    results.map((r) => [
      r.name,
      String(r.storms),
      String(r.tokenCalls),
      String(r.failedCallers),
      fixed(r.totalMs, 1),
      fixed(r.tokenRoundTripMs, 1),
      fixed(r.addedMs, 1),
    ]),
  );
}

function storeTable(results: StoresResult): string {
  const durable = results.durableWriteUs;
  const rows = results.pairs.map((r) => {
    const id = `${r.store} ${r.operation}`;
    let goal = '';
    if (id === 'MemoryStore get+set') goal = '<= 2 us';
    if (id === 'FileStore get+set') goal = '<= 1.10';
    if (id === 'FileStore lock+release') {
      goal = `<= one durable write: ${fixed(r.vsDurable ?? Number.NaN)} of one`;
    }
    return [r.store, r.operation, us(r.storeUs), us(r.anchorUs), r.anchor, fixed(r.vsAnchor), goal];
  });
  rows.push(['(reference)', 'one durable write', us(durable), '', 'temp, fsync, rename, fsync dir', '', '']);
  return table(['store', 'operation', 'store', 'anchor', 'anchor does', 'vs anchor', 'goal'], rows);
}

function coldTable(results: ColdImportResult[]): string {
  const anchor = results.find((r) => r.specifier === 'ky');
  return table(
    ['import()', 'cold import (ms)', 'vs ky', 'whole process (ms)', 'vs ky', 'goal'],
    results.map((r) => [
      `\`${r.specifier}\``,
      fixed(r.importMs, 1),
      anchor === undefined ? '' : fixed(r.importMs / anchor.importMs),
      fixed(r.processMs, 0),
      anchor === undefined ? '' : fixed(r.processMs / anchor.processMs),
      r.specifier === '@auth/light' ? '<= 1.3' : '',
    ]),
  );
}

function bundleTable(results: BundleResult[]): string {
  const goals: Record<string, string> = {
    createOAuth2Auth: '<= 20 KiB',
    'createAuth + auth.fetch': '<= 10 KiB',
  };
  return table(
    ['bundle (esbuild, deps included)', 'min', 'min+gzip', 'goal'],
    results.map((r) => [r.name, kib(r.minified), kib(r.gzip), goals[r.name] ?? '']),
  );
}

/** The run as Markdown: the machine, then one table per section. */
export function renderMarkdown(report: BenchReport): string {
  const m = report.machine;
  const parts = [
    `Run ${report.date} on ${m.cpu} (${m.cores} cores), ${m.memoryGiB} GiB, ${m.os}, Node ${m.node}; load average ${m.loadAverage} at the start. Settings: ${Object.entries(
      report.settings,
    )
      .map(([k, v]) => `${k} ${v}`)
      .join(', ')}.`,
  ];
  if (report.throughput) {
    parts.push(
      `### Throughput (loopback, ${report.settings['concurrency']} concurrent, valid token, MemoryStore; medians of ${report.settings['rounds']} rounds, each contender run next to its anchor)`,
      throughputTable(report.throughput),
    );
  }
  if (report.overhead) {
    parts.push(
      `### Added CPU per call, network taken away (a \`fetch\` stand-in answering at once; medians of ${report.settings['overheadRounds']} interleaved rounds, added = median of per-round differences)`,
      overheadTable(report.overhead),
    );
  }
  if (report.storms)
    parts.push('### Refresh storms (token endpoint answers in 20 ms)', stormTable(report.storms));
  if (report.stores)
    parts.push(
      '### Stores (mean latency, store and anchor called in turn; medians of rounds, ratios per round)',
      storeTable(report.stores),
    );
  if (report.coldImports)
    parts.push('### Cold import (fresh Node process each)', coldTable(report.coldImports));
  if (report.bundles) parts.push('### Bundle size', bundleTable(report.bundles));
  return `${parts.join('\n\n')}\n`;
}
