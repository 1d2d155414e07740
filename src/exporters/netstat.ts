import * as v from 'valibot';
import { procPath } from '../collect/host.ts';
import { regexSchema } from '../schema/regex.ts';
import { defineExporter } from './exporter.ts';
import { familyCache, parseDecimal } from './family-cache.ts';
import type { ExportedSample } from './series.ts';

const family = familyCache();

/** node_exporter's --collector.netstat.fields default: the counters its dashboards use. */
const DEFAULT_FIELDS =
  '^(.*_(InErrors|InErrs)|Ip_Forwarding|Ip(6|Ext)_(InOctets|OutOctets)|Icmp6?_(InMsgs|OutMsgs)|TcpExt_(Listen.*|Syncookies.*|TCPSynRetrans|TCPTimeouts|TCPOFOQueue|TCPRcvQDrop)|Tcp_(ActiveOpens|InSegs|OutSegs|OutRsts|PassiveOpens|RetransSegs|CurrEstab)|Udp6?_(InDatagrams|OutDatagrams|NoPorts|RcvbufErrors|SndbufErrors))$';

/** /proc/net/netstat and /proc/net/snmp: a line of names, then a line of values, per protocol. */
function pairedLines(text: string, into: Map<string, string>): void {
  const lines = text.split('\n');
  for (let index = 0; index + 1 < lines.length; index += 2) {
    const names = (lines[index] ?? '').trim().split(/\s+/);
    const values = (lines[index + 1] ?? '').trim().split(/\s+/);
    const protocol = (names[0] ?? '').replace(/:$/, '');
    for (let column = 1; column < names.length; column += 1)
      into.set(`${protocol}_${names[column] ?? ''}`, values[column] ?? '');
  }
}

/** /proc/net/snmp6: "Icmp6InMsgs 7" per line; the protocol is the name up to its "6". */
function snmp6Lines(text: string, into: Map<string, string>): void {
  for (const line of text.split('\n')) {
    const [name = '', value = ''] = line.trim().split(/\s+/);
    const six = name.indexOf('6');
    if (six === -1) continue;
    into.set(`${name.slice(0, six + 1)}_${name.slice(six + 1)}`, value);
  }
}

/** node_exporter's netstat collector: IP, TCP, UDP and ICMP counters of /proc/net/{netstat,snmp,snmp6}. */
export const netstatExporter = defineExporter({
  description: 'Network protocol counters (TCP retransmits, listen drops, UDP errors…) from /proc/net',
  options: v.strictObject({
    fields: v.pipe(
      v.optional(regexSchema, DEFAULT_FIELDS),
      v.description('Protocol_Field names to export (--collector.netstat.fields)'),
    ),
  }),
  collect: ({ host }, options) => {
    const wanted = new RegExp(options.fields, 'u');
    const fields = new Map<string, string>();
    pairedLines(host.readText(procPath(host, 'net', 'netstat')), fields);
    const snmp = host.tryReadText(procPath(host, 'net', 'snmp'));
    if (snmp !== undefined) pairedLines(snmp, fields);
    const snmp6 = host.tryReadText(procPath(host, 'net', 'snmp6'));
    if (snmp6 !== undefined) snmp6Lines(snmp6, fields);
    const samples: ExportedSample[] = [];
    for (const [key, text] of fields) {
      const value = parseDecimal(text);
      if (value === undefined || !wanted.test(key)) continue;
      samples.push({ family: family(`node_netstat_${key}`, 'untyped', `Statistic ${key.replace('_', '')}.`), value });
    }
    return samples;
  },
});
