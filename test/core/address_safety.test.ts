import { describe, expect, test } from "bun:test";
import fc from "fast-check";
import {
  type AddressClass,
  checkWebhookUrl,
  classifyAddress,
  isAddressAllowed,
} from "../../core/address_safety.ts";
import {
  type Ipv4Bytes,
  type Ipv6Words,
  ipv4BytesArb,
  ipv4Text,
  ipv6SpellingArb,
  ipv6WordsArb,
  mappedSpellingArb,
  nat64Words,
} from "../arbitraries/address_safety_arbs.ts";

const IPV4_VECTORS: readonly (readonly [string, AddressClass])[] = [
  ["0.0.0.0", "unspecified"],
  ["0.1.2.3", "reserved"],
  ["10.0.0.1", "private"],
  ["10.255.255.255", "private"],
  ["100.63.255.255", "public"],
  ["100.64.0.0", "cgnat"],
  ["100.127.255.255", "cgnat"],
  ["100.128.0.0", "public"],
  ["100.100.100.200", "metadata"],
  ["127.0.0.1", "loopback"],
  ["127.255.255.254", "loopback"],
  ["169.254.169.254", "metadata"],
  ["169.254.170.2", "metadata"],
  ["169.254.0.1", "link-local"],
  ["169.254.169.253", "link-local"],
  ["172.15.255.255", "public"],
  ["172.16.0.0", "private"],
  ["172.31.255.255", "private"],
  ["172.32.0.0", "public"],
  ["192.0.0.1", "reserved"],
  ["192.0.0.192", "metadata"],
  ["192.0.1.1", "public"],
  ["192.0.2.1", "reserved"],
  ["192.88.99.1", "reserved"],
  ["192.167.255.255", "public"],
  ["192.168.1.1", "private"],
  ["192.169.0.0", "public"],
  ["198.17.255.255", "public"],
  ["198.18.0.1", "reserved"],
  ["198.19.255.255", "reserved"],
  ["198.20.0.0", "public"],
  ["198.51.100.7", "reserved"],
  ["203.0.113.9", "reserved"],
  ["223.255.255.255", "public"],
  ["224.0.0.1", "multicast"],
  ["239.255.255.255", "multicast"],
  ["240.0.0.1", "reserved"],
  ["255.255.255.254", "reserved"],
  ["255.255.255.255", "reserved"],
  ["8.8.8.8", "public"],
  ["1.1.1.1", "public"],
  ["93.184.216.34", "public"],
];

/** IPv6 vectors as words, so the spelling property can write them every possible way. */
const IPV6_VECTORS: readonly (readonly [string, Ipv6Words, AddressClass])[] = [
  ["::", [0, 0, 0, 0, 0, 0, 0, 0], "unspecified"],
  ["::1", [0, 0, 0, 0, 0, 0, 0, 1], "loopback"],
  ["::2", [0, 0, 0, 0, 0, 0, 0, 2], "reserved"],
  ["::127.0.0.1 (IPv4-compatible, deprecated)", [0, 0, 0, 0, 0, 0, 0x7f00, 1], "reserved"],
  ["::ffff:127.0.0.1", [0, 0, 0, 0, 0, 0xffff, 0x7f00, 1], "loopback"],
  ["::ffff:10.1.2.3", [0, 0, 0, 0, 0, 0xffff, 0x0a01, 0x0203], "private"],
  ["::ffff:169.254.169.254", [0, 0, 0, 0, 0, 0xffff, 0xa9fe, 0xa9fe], "metadata"],
  ["::ffff:0.0.0.0", [0, 0, 0, 0, 0, 0xffff, 0, 0], "unspecified"],
  ["::ffff:8.8.8.8", [0, 0, 0, 0, 0, 0xffff, 0x0808, 0x0808], "public"],
  ["::ffff:0:7f00:1 (IPv4-translated)", [0, 0, 0, 0, 0xffff, 0, 0x7f00, 1], "reserved"],
  ["64:ff9b::7f00:1", [0x64, 0xff9b, 0, 0, 0, 0, 0x7f00, 1], "loopback"],
  ["64:ff9b::a9fe:a9fe", [0x64, 0xff9b, 0, 0, 0, 0, 0xa9fe, 0xa9fe], "metadata"],
  ["64:ff9b::8.8.8.8", [0x64, 0xff9b, 0, 0, 0, 0, 0x0808, 0x0808], "public"],
  ["64:ff9b:1::1", [0x64, 0xff9b, 1, 0, 0, 0, 0, 1], "reserved"],
  ["100::1", [0x100, 0, 0, 0, 0, 0, 0, 1], "reserved"],
  ["1::", [1, 0, 0, 0, 0, 0, 0, 0], "reserved"],
  ["2001::1 (Teredo)", [0x2001, 0, 0, 0, 0, 0, 0, 1], "reserved"],
  ["2001:db8::1", [0x2001, 0xdb8, 0, 0, 0, 0, 0, 1], "reserved"],
  ["2001:4860:4860::8888", [0x2001, 0x4860, 0x4860, 0, 0, 0, 0, 0x8888], "public"],
  ["2002:7f00:1::", [0x2002, 0x7f00, 1, 0, 0, 0, 0, 0], "loopback"],
  ["2002:a00:1::1", [0x2002, 0x0a00, 1, 0, 0, 0, 0, 1], "private"],
  ["2002:808:808::1", [0x2002, 0x0808, 0x0808, 0, 0, 0, 0, 1], "public"],
  ["2606:4700:4700::1111", [0x2606, 0x4700, 0x4700, 0, 0, 0, 0, 0x1111], "public"],
  ["3fff::1", [0x3fff, 0, 0, 0, 0, 0, 0, 1], "reserved"],
  ["3ffe::1", [0x3ffe, 0, 0, 0, 0, 0, 0, 1], "public"],
  ["4000::1 (unallocated)", [0x4000, 0, 0, 0, 0, 0, 0, 1], "reserved"],
  ["5f00::1", [0x5f00, 0, 0, 0, 0, 0, 0, 1], "reserved"],
  ["fc00::1", [0xfc00, 0, 0, 0, 0, 0, 0, 1], "private"],
  ["fd12:3456::1", [0xfd12, 0x3456, 0, 0, 0, 0, 0, 1], "private"],
  ["fd00:ec2::254", [0xfd00, 0xec2, 0, 0, 0, 0, 0, 0x254], "metadata"],
  ["fd00:ec2::253", [0xfd00, 0xec2, 0, 0, 0, 0, 0, 0x253], "private"],
  ["fe80::1", [0xfe80, 0, 0, 0, 0, 0, 0, 1], "link-local"],
  ["febf:ffff::1", [0xfebf, 0xffff, 0, 0, 0, 0, 0, 1], "link-local"],
  ["fec0::1", [0xfec0, 0, 0, 0, 0, 0, 0, 1], "private"],
  ["ff02::1", [0xff02, 0, 0, 0, 0, 0, 0, 1], "multicast"],
  [
    "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff",
    [0xffff, 0xffff, 0xffff, 0xffff, 0xffff, 0xffff, 0xffff, 0xffff],
    "multicast",
  ],
];

const INVALID = [
  "",
  "localhost",
  "example.com",
  "1.2.3",
  "1.2.3.4.5",
  "256.0.0.1",
  "01.2.3.4",
  "1.2.3.-1",
  " 1.2.3.4",
  "1.2.3.4 ",
  "[1.2.3.4]",
  "1.2.3.4%eth0",
  ":",
  ":::",
  ":1::",
  "1::2::3",
  "12345::",
  "g::",
  "1:2:3:4:5:6:7",
  "1:2:3:4:5:6:7:8:9",
  "1:2:3:4:5:6:7:8::",
  "::1:2:3:4:5:6:7:8",
  "[::1",
  "::1]",
  "::ffff:1.2.3",
  "::ffff:1.2.3.256",
  "1.2.3.4::",
  "::1.2.3.4:5",
  "fe80::1%",
  "%eth0",
];

/** An independent IPv4 oracle: 32-bit integers against the ranges listed in the brief. */
function referenceClassifyV4(bytes: Ipv4Bytes): AddressClass {
  const n = ((bytes[0]! << 24) >>> 0) + (bytes[1]! << 16) + (bytes[2]! << 8) + bytes[3]!;
  const at = (a: number, b: number, c: number, d: number): number =>
    ((a << 24) >>> 0) + (b << 16) + (c << 8) + d;
  const within = (base: number, bits: number): boolean => n >= base && n < base + 2 ** (32 - bits);
  if (n === 0) return "unspecified";
  if (
    [
      at(169, 254, 169, 254),
      at(169, 254, 170, 2),
      at(100, 100, 100, 200),
      at(192, 0, 0, 192),
    ].includes(n)
  ) {
    return "metadata";
  }
  if (n === at(255, 255, 255, 255)) return "reserved";
  if (within(at(127, 0, 0, 0), 8)) return "loopback";
  if (
    within(at(10, 0, 0, 0), 8) ||
    within(at(172, 16, 0, 0), 12) ||
    within(at(192, 168, 0, 0), 16)
  ) {
    return "private";
  }
  if (within(at(169, 254, 0, 0), 16)) return "link-local";
  if (within(at(100, 64, 0, 0), 10)) return "cgnat";
  if (within(at(224, 0, 0, 0), 4)) return "multicast";
  const reserved: [number, number][] = [
    [at(0, 0, 0, 0), 8],
    [at(192, 0, 0, 0), 24],
    [at(192, 0, 2, 0), 24],
    [at(192, 88, 99, 0), 24],
    [at(198, 18, 0, 0), 15],
    [at(198, 51, 100, 0), 24],
    [at(203, 0, 113, 0), 24],
    [at(240, 0, 0, 0), 4],
  ];
  return reserved.some(([base, bits]) => within(base, bits)) ? "reserved" : "public";
}

/**
 * WHATWG URL host normalization, or `null` where Bun's URL parser refuses the literal. Bun 1.4.5
 * rejects some valid IPv6 literals that put a dotted quad after "::" and more groups
 * (`http://[0:0::0:0:0.0.0.0]/`; Node accepts it): those URLs fail as INVALID_URL, the safe side.
 */
function urlHostname(url: string): string | null {
  try {
    return new URL(url).hostname;
  } catch {
    return null;
  }
}

/** Random IPv4 bytes, biased towards the special ranges. */
const interestingIpv4Arb: fc.Arbitrary<Ipv4Bytes> = fc.oneof(
  ipv4BytesArb,
  fc
    .tuple(
      fc.constantFrom(0, 10, 100, 127, 169, 172, 192, 198, 203, 224, 239, 240, 255),
      ipv4BytesArb,
    )
    .map(([first, [, ...rest]]) => [first, ...rest]),
);

describe("classifyAddress()", () => {
  test.each(IPV4_VECTORS)("classifies %s as %s", (ip, expected) => {
    expect(classifyAddress(ip)).toBe(expected);
  });

  test.each(IPV6_VECTORS)("classifies %s as %s (in every spelling)", (_label, words, expected) => {
    fc.assert(
      fc.property(ipv6SpellingArb(words), (spelling) => {
        expect(classifyAddress(spelling)).toBe(expected);
      }),
      { numRuns: 200 },
    );
  });

  test.each([
    ["::ffff:7f00:1", "loopback"],
    ["::FFFF:127.0.0.1", "loopback"],
    ["0:0:0:0:0:ffff:7f00:0001", "loopback"],
    ["0000:0000:0000:0000:0000:0000:0000:0001", "loopback"],
    ["[::1]", "loopback"],
    ["[::ffff:a9fe:a9fe]", "metadata"],
    ["fe80::1%eth0", "link-local"],
    ["[fe80::1%25en0]", "link-local"],
    ["1:2:3:4:5:6:7::", "reserved"],
    ["::2:3:4:5:6:7:8", "reserved"],
    ["2606:4700::1.2.3.4", "public"],
  ] as const)("reads the spelling %s as %s", (ip, expected) => {
    expect(classifyAddress(ip)).toBe(expected);
  });

  test.each(INVALID)("calls %p invalid", (text) => {
    expect(classifyAddress(text)).toBe("invalid");
  });

  test("agrees with an independent IPv4 oracle on every address", () => {
    fc.assert(
      fc.property(interestingIpv4Arb, (bytes) => {
        expect(classifyAddress(ipv4Text(bytes))).toBe(referenceClassifyV4(bytes));
      }),
      { numRuns: 2000 },
    );
  });

  test("the oracle agrees with the vector table (so the oracle itself is checked)", () => {
    for (const [ip, expected] of IPV4_VECTORS) {
      expect(referenceClassifyV4(ip.split(".").map(Number))).toBe(expected);
    }
  });

  test("an IPv4 vector classifies the same in IPv4-mapped and NAT64 spellings", () => {
    for (const [ip, expected] of IPV4_VECTORS) {
      const bytes = ip.split(".").map(Number);
      fc.assert(
        fc.property(
          fc.oneof(mappedSpellingArb(bytes), ipv6SpellingArb(nat64Words(bytes))),
          (spelling) => {
            expect(classifyAddress(spelling)).toBe(expected);
          },
        ),
        { numRuns: 20 },
      );
    }
  });

  test("any IPv4 address classifies the same as its IPv4-mapped spellings", () => {
    fc.assert(
      fc.property(
        interestingIpv4Arb.chain((bytes) => fc.tuple(fc.constant(bytes), mappedSpellingArb(bytes))),
        ([bytes, spelling]) => {
          expect(classifyAddress(spelling)).toBe(classifyAddress(ipv4Text(bytes)));
        },
      ),
      { numRuns: 1000 },
    );
  });

  test("two spellings of one IPv6 address always classify alike", () => {
    fc.assert(
      fc.property(
        ipv6WordsArb.chain((words) => fc.tuple(ipv6SpellingArb(words), ipv6SpellingArb(words))),
        ([a, b]) => {
          expect(classifyAddress(a)).not.toBe("invalid");
          expect(classifyAddress(a)).toBe(classifyAddress(b));
        },
      ),
      { numRuns: 1000 },
    );
  });

  test("fast-check's IPv6 spellings classify like their WHATWG-normalized form", () => {
    fc.assert(
      fc.property(fc.ipV6(), (ip) => {
        const normalized = urlHostname(`http://[${ip}]/`);
        fc.pre(normalized !== null);
        expect(classifyAddress(ip)).not.toBe("invalid");
        expect(classifyAddress(ip)).toBe(classifyAddress(normalized));
      }),
      { numRuns: 1000 },
    );
  });
});

describe("isAddressAllowed()", () => {
  test("allows only public addresses by default", () => {
    for (const [ip, addressClass] of IPV4_VECTORS) {
      expect(isAddressAllowed(ip)).toBe(addressClass === "public");
    }
    expect(isAddressAllowed("2606:4700:4700::1111")).toBe(true);
    expect(isAddressAllowed("::1")).toBe(false);
    expect(isAddressAllowed("::ffff:169.254.169.254")).toBe(false);
  });

  test("with allowPrivate allows every well-formed address, metadata included", () => {
    for (const [ip] of IPV4_VECTORS)
      expect(isAddressAllowed(ip, { allowPrivate: true })).toBe(true);
    for (const ip of ["::1", "fd00:ec2::254", "fe80::1", "::"]) {
      expect(isAddressAllowed(ip, { allowPrivate: true })).toBe(true);
    }
  });

  test("never allows text that is not an address", () => {
    for (const text of INVALID) {
      expect(isAddressAllowed(text)).toBe(false);
      expect(isAddressAllowed(text, { allowPrivate: true })).toBe(false);
    }
  });
});

describe("checkWebhookUrl()", () => {
  test.each([
    "https://example.com/hooks",
    "http://example.com:8080/a?b=c#d",
    "https://8.8.8.8/",
    "https://[2606:4700:4700::1111]/",
    "https://localhost.example.com/",
    "https://internal.corp/", // a name: judged after DNS resolution, at delivery
  ])("accepts %s", (url) => {
    const result = checkWebhookUrl(url);
    expect(result.ok).toBe(true);
    if (result.ok) expect(result.url.href).toBe(new URL(url).href);
  });

  test.each([
    ["http://127.0.0.1/", "loopback"],
    ["http://2130706433/", "loopback"],
    ["http://0x7f.1/", "loopback"],
    ["http://0177.0.0.1/", "loopback"],
    ["http://127.1/", "loopback"],
    ["http://localhost:3000/hooks", "loopback"],
    ["http://LOCALHOST./", "loopback"],
    ["http://api.localhost/", "loopback"],
    ["http://[::1]/", "loopback"],
    ["http://[::ffff:127.0.0.1]/", "loopback"],
    ["http://[64:ff9b::127.0.0.1]/", "loopback"],
    ["http://169.254.169.254/latest/meta-data/", "metadata"],
    ["http://[fd00:ec2::254]/", "metadata"],
    ["http://10.0.0.1/", "private"],
    ["http://192.168.0.10:8080/", "private"],
    ["http://[fe80::1]/", "link-local"],
    ["http://100.64.1.1/", "cgnat"],
    ["http://0/", "unspecified"],
    ["http://224.0.0.1/", "multicast"],
  ])("refuses %s (%s)", (url, addressClass) => {
    const result = checkWebhookUrl(url);
    expect(result).toMatchObject({ ok: false, code: "PRIVATE_ADDRESS" });
    if (!result.ok) expect(result.message).toContain(`is a ${addressClass} address`);
  });

  test("allows private destinations with allowPrivate", () => {
    for (const url of [
      "http://127.0.0.1:3000/",
      "http://localhost/",
      "http://[::1]/",
      "http://10.0.0.1/",
    ]) {
      expect(checkWebhookUrl(url, { allowPrivate: true }).ok).toBe(true);
    }
  });

  test.each([
    ["not a url", "INVALID_URL"],
    ["/relative/path", "INVALID_URL"],
    ["http://[::1/", "INVALID_URL"],
    ["http://1.2.3.4.5/", "INVALID_URL"],
    ["ftp://example.com/", "UNSAFE_SCHEME"],
    ["file:///etc/passwd", "UNSAFE_SCHEME"],
    ["javascript:alert(1)", "UNSAFE_SCHEME"],
    ["ws://example.com/", "UNSAFE_SCHEME"],
    ["https://user:secret@example.com/", "CREDENTIALS_IN_URL"],
    ["https://user@example.com/", "CREDENTIALS_IN_URL"],
    ["https://:secret@example.com/", "CREDENTIALS_IN_URL"],
  ])("refuses %s with %s", (url, code) => {
    const result = checkWebhookUrl(url, { allowPrivate: true });
    expect(result).toMatchObject({ ok: false, code });
  });

  test("never echoes credentials in its message", () => {
    const result = checkWebhookUrl("https://user:hunter2@example.com/");
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.message).not.toContain("hunter2");
  });

  test("a literal IPv4 host is refused exactly when the address is not allowed", () => {
    fc.assert(
      fc.property(interestingIpv4Arb, (bytes) => {
        const ip = ipv4Text(bytes);
        expect(checkWebhookUrl(`https://${ip}/hook`).ok).toBe(isAddressAllowed(ip));
      }),
      { numRuns: 500 },
    );
  });

  test("a literal IPv6 host is refused exactly when the address is not allowed, however spelled", () => {
    fc.assert(
      fc.property(
        ipv6WordsArb.chain((words) => ipv6SpellingArb(words)),
        (spelling) => {
          const host = spelling.startsWith("[") ? spelling : `[${spelling}]`;
          fc.pre(urlHostname(`https://${host}/hook`) !== null);
          expect(checkWebhookUrl(`https://${host}/hook`).ok).toBe(isAddressAllowed(spelling));
        },
      ),
      { numRuns: 500 },
    );
  });
});
