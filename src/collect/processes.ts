import { readFileSync } from 'node:fs';
import { procPath, type Host } from './host.ts';

/**
 * One process as /proc/<pid> shows it at one instant. Counters are cumulative; a sampler turns them into rates.
 * @example { pid: 812, ppid: 1, name: 'nginx', state: 'S', user: 'www-data', command: 'nginx: worker process', … }
 */
export interface ProcessInfo {
  pid: number;
  ppid: number;
  /** The kernel's comm: at most 15 characters, what `ps -o comm` shows. */
  name: string;
  /** R running, S sleeping, D uninterruptible, Z zombie, T stopped, t traced, I idle kernel thread, X dead. */
  state: string;
  /** The effective uid, and its name from the host's /etc/passwd (the number as text when it has none). */
  uid: number;
  user: string;
  threads: number;
  rssBytes: number;
  virtualBytes: number;
  /** utime + stime in clock ticks (USER_HZ), the counter CPU % is measured from. */
  cpuTicks: number;
  /** Clock ticks after boot at which the process started: with the pid, what tells a reused pid apart. */
  startTicks: number;
  kernelThread: boolean;
  /** The argument vector joined by spaces; `[name]` for kernel threads and zombies, which have none. */
  command: string;
  /** Bytes the process made the storage layer read and write; undefined when /proc/<pid>/io cannot be read
   * (another user's process without root). */
  readBytes: number | undefined;
  writeBytes: number | undefined;
}

/** PF_KTHREAD in the flags field of /proc/<pid>/stat: how ps and htop tell kernel threads apart. */
/** A process with what a sampler measures between two reads; the reader leaves those for it to fill in. */
export interface ProcessRow extends ProcessInfo {
  /** Share of one core, as top and htop show it (a process busy on 4 cores shows 400); undefined on a first sample. */
  cpuPercent?: number | undefined;
  /** RSS as a share of MemTotal. */
  memPercent: number;
  readBytesPerSecond?: number | undefined;
  writeBytesPerSecond?: number | undefined;
}

const PF_KTHREAD = 0x00200000;

/** The fields of /proc/<pid>/stat after "pid (comm) ", counted from 0 (state), as proc(5) numbers them minus 3. */
// Fields of /proc/<pid>/stat after the ")" that ends the name, counted from 0 (state): proc(5).
const STAT = { state: 0, ppid: 1, flags: 6, utime: 11, stime: 12, threads: 17, start: 19, vsize: 20, rss: 21 };

export interface StatFields {
  pid: number;
  name: string;
  state: string;
  ppid: number;
  kernelThread: boolean;
  cpuTicks: number;
  threads: number;
  startTicks: number;
  virtualBytes: number;
  rssPages: number;
}

/**
 * The fields Argus uses from /proc/<pid>/stat. The name may hold spaces and parentheses, so fields are counted from
 * its last ")". Numbers are read digit by digit where they stand: splitting made 50 strings per process per
 * refresh, and slicing each wanted field still 10, which at 400 processes every 2 s was most of what `argus top`
 * allocated and so most of its garbage collection.
 */
export function parseProcessStat(text: string): StatFields | undefined {
  const open = text.indexOf(' (');
  const close = text.lastIndexOf(')');
  if (open < 0 || close < open) return undefined;
  const values = [0, 0, 0, 0, 0, 0, 0, 0, 0];
  const wanted = [STAT.ppid, STAT.flags, STAT.utime, STAT.stime, STAT.threads, STAT.start, STAT.vsize, STAT.rss];
  let at = close + 2;
  let field = 0;
  let found = 0;
  for (const index of wanted) {
    while (field < index) {
      const space = text.indexOf(' ', at);
      if (space < 0) return undefined;
      at = space + 1;
      field += 1;
    }
    let value = 0;
    let digits = 0;
    // A negative field (priority, nice) is never one of these; a sign or anything else ends the number.
    for (let code = text.charCodeAt(at); code >= 48 && code <= 57; code = text.charCodeAt(at + digits)) {
      value = value * 10 + (code - 48);
      digits += 1;
    }
    if (digits === 0) return undefined;
    values[found] = value;
    found += 1;
  }
  const [ppid = 0, flags = 0, utime = 0, stime = 0, threads = 0, startTicks = 0, vsize = 0, rss = 0] = values;
  const pid = Number(text.slice(0, open));
  if (!Number.isFinite(pid)) return undefined;
  return {
    pid,
    name: text.slice(open + 2, close),
    state: text.charAt(close + 2),
    ppid,
    kernelThread: (flags & PF_KTHREAD) !== 0,
    cpuTicks: utime + stime,
    threads,
    startTicks,
    virtualBytes: vsize,
    rssPages: rss,
  };
}

export function parseStatusUid(text: string): number | undefined {
  const start = text.indexOf('\nUid:');
  if (start < 0) return undefined;
  const fields = text
    .slice(start + 5, text.indexOf('\n', start + 5))
    .trim()
    .split(/\s+/);
  const uid = Number(fields[1] ?? fields[0]);
  return Number.isInteger(uid) ? uid : undefined;
}

/** read_bytes and write_bytes of /proc/<pid>/io. */
export function parseProcessIo(text: string): { readBytes: number; writeBytes: number } | undefined {
  const value = (key: string): number => {
    const at = text.indexOf(`\n${key}: `);
    return at < 0 ? Number.NaN : Number.parseInt(text.slice(at + key.length + 3), 10);
  };
  const readBytes = value('read_bytes');
  const writeBytes = value('write_bytes');
  return Number.isFinite(readBytes) && Number.isFinite(writeBytes) ? { readBytes, writeBytes } : undefined;
}

/** /proc/<pid>/cmdline: arguments separated (and usually ended) by NUL. */
export const parseCmdline = (text: string): string => text.replace(/\0+$/, '').replaceAll('\0', ' ');

/** uid → name from an /etc/passwd text; first entry wins, as getpwuid(3) does. */
export function parsePasswd(text: string): Map<number, string> {
  const users = new Map<number, string>();
  for (const line of text.split('\n')) {
    const [name, , uid] = line.split(':');
    const id = Number(uid);
    if (name && uid !== undefined && uid !== '' && Number.isInteger(id) && !users.has(id)) users.set(id, name);
  }
  return users;
}

/**
 * The page size /proc counts RSS in. Node has no sysconf(); the kernel this process runs on is the host's (a
 * container shares it), so its own /proc/self statm (pages) against status VmRSS (KiB), read back to back, give
 * it. 4096 when that cannot be read.
 */
export function detectPageSize(): number {
  try {
    const statm = readFileSync('/proc/self/statm', 'utf8').split(' ');
    const vmSize = /VmSize:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
    const pages = Number(statm[0]);
    const kib = Number(vmSize?.[1]);
    if (!(pages > 0 && kib > 0)) return 4096;
    // VmSize does not move between the two reads as RSS can; round to the power of two the kernel uses.
    return 2 ** Math.round(Math.log2((kib * 1024) / pages));
  } catch {
    return 4096;
  }
}

/** What is read once per process (per exec): reading status and cmdline each refresh would double the reads. */
interface Identity {
  startTicks: number;
  name: string;
  uid: number;
  command: string;
  /** The CPU ticks and I/O counters of the last read, for skipping the io read of a process that did not run. */
  cpuTicks?: number;
  io?: { readBytes: number; writeBytes: number } | undefined;
}

export interface ProcessReader {
  /**
   * Every process readable now. A process that exits while it is read is left out, never an error. With `io:
   * false` the io files are not read (their counters are then undefined, and read next time): a first read whose
   * rates nobody can see yet costs a quarter less.
   */
  read(host: Host, options?: { io?: boolean }): ProcessRow[];
}

/**
 * Reads the process table from /proc, without `ps` or any child process. Per refresh each process costs a
 * stat and an io read; status (for the uid) and cmdline are read once per process and read again only when it
 * execs (its start time or name changes), as the argument vector of a running program does not.
 */
export function createProcessReader(pageSize = detectPageSize()): ProcessReader {
  let identities = new Map<number, Identity>();
  const users = new Map<string, Map<number, string>>(); // per rootfs, read once
  return {
    read(host, options) {
      const readIo = options?.io !== false;
      let passwd = users.get(host.rootfs);
      if (!passwd) {
        passwd = parsePasswd(host.tryReadText(`${host.rootfs === '/' ? '' : host.rootfs}/etc/passwd`) ?? '');
        users.set(host.rootfs, passwd);
      }
      const userOf = (uid: number): string => passwd.get(uid) ?? String(uid);
      const seen = new Map<number, Identity>();
      const processes: ProcessRow[] = [];
      for (const entry of host.listDir(host.procRoot)) {
        const first = entry.charCodeAt(0);
        if (first < 48 || first > 57) continue; // only the numbered directories are processes
        const stat = host.tryReadText(procPath(host, entry, 'stat'));
        const fields = stat === undefined ? undefined : parseProcessStat(stat);
        if (!fields) continue; // gone between the listing and the read
        let identity = identities.get(fields.pid);
        if (!identity || identity.startTicks !== fields.startTicks || identity.name !== fields.name) {
          const status = host.tryReadText(procPath(host, entry, 'status'));
          const uid = status === undefined ? undefined : parseStatusUid(status);
          const cmdline = host.tryReadText(procPath(host, entry, 'cmdline'));
          if (uid === undefined || cmdline === undefined) continue; // it exited mid-read
          const args = parseCmdline(cmdline);
          identity = {
            startTicks: fields.startTicks,
            name: fields.name,
            uid,
            command: args === '' ? `[${fields.name}]` : args,
          };
        }
        seen.set(fields.pid, identity);
        // A process that used no CPU since the last read issued no I/O either (even a read that sleeps is a system
        // call, and a blocked one is in state D, which is always read): its counters are the last ones. On a host
        // of mostly sleeping processes this halves the reads of a refresh. A burst too short for a tick shows at
        // the next read that sees one, so rates stay right on average.
        let counters: { readBytes: number; writeBytes: number } | undefined;
        if (identity.cpuTicks === fields.cpuTicks && identity.io !== undefined && fields.state !== 'D')
          counters = identity.io;
        else if (!fields.kernelThread && readIo) {
          const io = host.tryReadText(procPath(host, entry, 'io'));
          counters = io === undefined ? undefined : parseProcessIo(io);
        }
        identity.cpuTicks = fields.cpuTicks;
        identity.io = counters;
        processes.push({
          pid: fields.pid,
          ppid: fields.ppid,
          name: fields.name,
          state: fields.state,
          uid: identity.uid,
          user: userOf(identity.uid),
          threads: fields.threads,
          rssBytes: fields.rssPages * pageSize,
          virtualBytes: fields.virtualBytes,
          cpuTicks: fields.cpuTicks,
          startTicks: fields.startTicks,
          kernelThread: fields.kernelThread,
          command: identity.command,
          readBytes: counters?.readBytes,
          writeBytes: counters?.writeBytes,
          // The sampler's fields, present from the start: a row keeps one shape, never grows a property.
          memPercent: 0,
          cpuPercent: undefined,
          readBytesPerSecond: undefined,
          writeBytesPerSecond: undefined,
        });
      }
      identities = seen; // processes that exited are forgotten
      return processes;
    },
  };
}
