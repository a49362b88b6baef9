import { describe, expect, it } from "vitest";
import type { SearchItem } from "../../api/search";
import { matchParts, resultLink } from "../search";

const record: SearchItem = {
  object_type: "record",
  zone: "example.com",
  name: "www.example.com",
  type: "A",
  content: "192.0.2.10",
  ttl: 300,
  disabled: false,
};

describe("search results", () => {
  it("links a zone to its page", () => {
    expect(resultLink({ ...record, object_type: "zone", name: "example.com", type: null })).toBe(
      "/zones/example.com",
    );
  });

  it("links a record to its zone, filtered to it and highlighted", () => {
    const url = new URL(resultLink(record), "http://x");
    expect(url.pathname).toBe("/zones/example.com");
    expect(Object.fromEntries(url.searchParams)).toEqual({
      name: "www",
      type: "A",
      highlight: "192.0.2.10",
    });
    expect(resultLink({ ...record, name: "example.com" })).toContain("name=%40");
  });

  it("marks the first match of a plain term, whatever its case", () => {
    expect(matchParts("Mail.Example.com", "example")).toEqual([
      { text: "Mail.", match: false },
      { text: "Example", match: true },
      { text: ".com", match: false },
    ]);
    expect(matchParts("192.0.2.10", "192.0")).toEqual([
      { text: "192.0", match: true },
      { text: ".2.10", match: false },
    ]);
  });

  it("marks nothing for wildcards or no match", () => {
    expect(matchParts("www.example.com", "*.example.com")).toEqual([
      { text: "www.example.com", match: false },
    ]);
    expect(matchParts("abc", "zzz")).toEqual([{ text: "abc", match: false }]);
  });
});
