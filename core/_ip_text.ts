/**
 * IP addresses as text to bytes: dotted-decimal IPv4 without leading zeros, and IPv6 in any
 * RFC 4291 spelling, bracketed or with a zone.
 *
 * @module
 */

/**
 * Bytes of an IPv4 (4) or IPv6 (16) address, or `null` when `text` is neither.
 *
 * @param text The address, optionally bracketed (`[::1]`) or with a zone (`fe80::1%eth0`).
 * @returns 4 or 16 bytes, or `null`.
 * @example
 * ```ts
 * parseIp("127.0.0.1"); // Uint8Array [127, 0, 0, 1]
 * parseIp("example.com"); // null
 * ```
 */
export function parseIp(text: string): Uint8Array | null {
  if (text.startsWith("[") && text.endsWith("]")) {
    const inner = text.slice(1, -1);
    return inner.includes(":") ? parseIpv6(inner) : null;
  }
  return text.includes(":") ? parseIpv6(text) : parseIpv4(text);
}

function parseIpv4(text: string): Uint8Array | null {
  const parts = text.split(".");
  if (parts.length !== 4) return null;
  const bytes = new Uint8Array(4);
  for (const [i, part] of parts.entries()) {
    if (!/^(?:0|[1-9]\d{0,2})$/.test(part) || Number(part) > 255) return null;
    bytes[i] = Number(part);
  }
  return bytes;
}

function parseIpv6(text: string): Uint8Array | null {
  const zone = text.indexOf("%");
  if (zone === text.length - 1) return null;
  const address = zone === -1 ? text : text.slice(0, zone);
  const gap = address.indexOf("::");
  if (gap !== -1 && address.includes("::", gap + 1)) return null;
  const head = parseGroups(gap === -1 ? address : address.slice(0, gap), gap === -1);
  const tail = gap === -1 ? [] : parseGroups(address.slice(gap + 2), true);
  if (head === null || tail === null) return null;
  const explicit = head.length + tail.length;
  // "::" stands for one or more zero groups (RFC 4291 §2.2).
  if (gap === -1 ? explicit !== 8 : explicit > 7) return null;
  const words = [...head, ...new Array<number>(8 - explicit).fill(0), ...tail];
  const bytes = new Uint8Array(16);
  for (const [i, word] of words.entries()) {
    bytes[2 * i] = word >> 8;
    bytes[2 * i + 1] = word & 0xff;
  }
  return bytes;
}

/** 16-bit words of `a:b:c` (the last may be a dotted quad when `lastMayBeV4`); `[]` for "". */
function parseGroups(text: string, lastMayBeV4: boolean): number[] | null {
  if (text === "") return [];
  const groups = text.split(":");
  const words: number[] = [];
  for (const [i, group] of groups.entries()) {
    if (lastMayBeV4 && i === groups.length - 1 && group.includes(".")) {
      const v4 = parseIpv4(group);
      if (v4 === null) return null;
      words.push((v4[0]! << 8) | v4[1]!, (v4[2]! << 8) | v4[3]!);
    } else if (/^[0-9a-fA-F]{1,4}$/.test(group)) {
      words.push(Number.parseInt(group, 16));
    } else {
      return null;
    }
  }
  return words;
}
