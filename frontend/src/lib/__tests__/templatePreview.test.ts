import { describe, expect, it } from "vitest";
import { contentInZone, nameInZone, previewRecords } from "../templatePreview";

describe("template preview", () => {
  it("places @ and relative names in the zone", () => {
    expect(nameInZone("@", "example.com.")).toBe("example.com");
    expect(nameInZone("_dmarc", "example.com")).toBe("_dmarc.example.com");
    expect(nameInZone("www", " ")).toBe("www");
  });

  it("makes relative host names in content absolute, leaving other content alone", () => {
    expect(contentInZone("MX", "10 mail", "example.com")).toBe("10 mail.example.com.");
    expect(contentInZone("CNAME", "@", "example.com")).toBe("example.com.");
    expect(contentInZone("SRV", "10 5 5060 sip", "example.com")).toBe("10 5 5060 sip.example.com.");
    expect(contentInZone("CNAME", "cdn.example.org.", "example.com")).toBe("cdn.example.org.");
    expect(contentInZone("TXT", "v=DMARC1; p=none", "example.com")).toBe("v=DMARC1; p=none");
    expect(contentInZone("A", "192.0.2.1", "example.com")).toBe("192.0.2.1");
    expect(contentInZone("MX", "10 mail", "")).toBe("10 mail");
  });

  it("fills in the default TTL", () => {
    const lines = previewRecords(
      [
        { name: "@", type: "MX", content: "10 mail", ttl: 300 },
        { name: "www", type: "A", content: "192.0.2.1", ttl: null },
      ],
      "example.com",
      600,
    );
    expect(lines).toEqual([
      { name: "example.com", type: "MX", content: "10 mail.example.com.", ttl: 300 },
      { name: "www.example.com", type: "A", content: "192.0.2.1", ttl: 600 },
    ]);
  });
});
