import { describe, expect, it } from "vitest";
import { ApiError } from "../../api/client";
import { errorPlace, fromRows, newRow, splitList, toRows, ttlValue } from "../templateRows";

describe("template rows", () => {
  it("round-trips records, with an empty TTL for the default", () => {
    const records = [
      { name: "@", type: "MX", content: "10 mail", ttl: 3600 },
      { name: "www", type: "CNAME", content: "@", ttl: null },
    ];
    const rows = toRows(records);
    expect(rows.map((r) => r.ttl)).toEqual(["3600", ""]);
    expect(new Set(rows.map((r) => r.key)).size).toBe(2);
    expect(fromRows(rows).records).toEqual(records);
  });

  it("skips blank rows, trims, defaults the name to @, and remembers each record's row key", () => {
    const rows = [
      newRow(),
      newRow({ name: " ", type: "A", content: " 192.0.2.1 " }),
      newRow({ type: "TXT" }),
      newRow({ name: "mail", type: "A", content: "192.0.2.25", ttl: " 300 " }),
    ];
    const { records, rowOf } = fromRows(rows);
    expect(records).toEqual([
      { name: "@", type: "A", content: "192.0.2.1", ttl: null },
      { name: "mail", type: "A", content: "192.0.2.25", ttl: 300 },
    ]);
    expect(rowOf).toEqual([rows[1].key, rows[3].key]);
  });

  it("sends a TTL that is not a number as typed, so the server names it", () => {
    expect(ttlValue("")).toBeNull();
    expect(ttlValue("60")).toBe(60);
    expect(ttlValue("1h")).toBe("1h");
  });

  it("splits name server lists on spaces, commas and lines", () => {
    expect(splitList(" ns1.example.net,ns2.example.net.\nns3 ")).toEqual([
      "ns1.example.net",
      "ns2.example.net.",
      "ns3",
    ]);
  });
});

describe("errorPlace", () => {
  const rowOf = [11, 13];

  it("maps DNSMate's records[i].field to the row's key", () => {
    const error = new ApiError(422, {
      message: "invalid A content",
      field: "records[1].content",
      detail: [{ loc: ["body", "records[1].content"], msg: "invalid A content '999.1.1.1'" }],
    });
    expect(errorPlace(error, rowOf)).toEqual({
      field: "content",
      row: 13,
      message: "invalid A content '999.1.1.1'",
    });
  });

  it("maps pydantic's nested loc to the row's key", () => {
    const error = new ApiError(422, {
      detail: [{ loc: ["body", "records", 0, "ttl"], msg: "Input should be a valid integer" }],
    });
    expect(errorPlace(error, rowOf)).toEqual({
      field: "ttl",
      row: 11,
      message: "Input should be a valid integer",
    });
  });

  it("keeps top-level fields and whole-list errors off the rows", () => {
    const top = new ApiError(422, {
      detail: [{ loc: ["body", "default_ttl"], msg: "Input should be greater than or equal to 0" }],
    });
    expect(errorPlace(top, rowOf)).toMatchObject({ field: "default_ttl" });
    const list = new ApiError(422, {
      message: "www has a CNAME",
      field: "records",
      detail: [{ loc: ["body", "records"], msg: "www has a CNAME" }],
    });
    expect(errorPlace(list, rowOf)).toEqual({ field: "records", message: "www has a CNAME" });
  });

  it("ignores errors that are not 422s", () => {
    expect(errorPlace(new ApiError(409, { message: "taken" }), rowOf)).toBeNull();
    expect(errorPlace(new Error("x"), rowOf)).toBeNull();
  });
});
