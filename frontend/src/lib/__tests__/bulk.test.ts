import { describe, expect, it } from "vitest";
import { ApiError, toOutcome } from "../../api/client";
import type { MultiBody } from "../../api/types";
import { bulkInput, detectFormat, rowErrors, sourceOf } from "../bulk";

const CSV = "op,name,type,content,ttl\nadd,a,A,192.0.2.1,300\n\nadd,b,A,nope,300\n";

describe("bulk input", () => {
  it("sends JSON lists and objects as JSON, anything else as CSV", () => {
    expect(detectFormat('  [{"op": "add"}]')).toBe("json");
    expect(detectFormat('{"operations": []}')).toBe("json");
    expect(bulkInput(CSV)).toEqual({ format: "csv", body: CSV, contentType: "text/csv" });
    expect(bulkInput("[]").contentType).toBe("application/json");
  });

  it("finds the CSV line a row number names (the header is line 1)", () => {
    expect(sourceOf(CSV, 4)).toBe("add,b,A,nope,300");
    expect(sourceOf("op,name,type\r\nadd,x,A\r\n", 2)).toBe("add,x,A");
  });

  it("finds the JSON operation a row number names (counted from 1)", () => {
    const ops = [{ op: "add", name: "a" }, { op: "nope" }];
    expect(sourceOf(JSON.stringify(ops), 2)).toBe('{"op":"nope"}');
    expect(sourceOf(JSON.stringify({ operations: ops }), 1)).toBe('{"op":"add","name":"a"}');
    expect(sourceOf(JSON.stringify(ops), 3)).toBeUndefined();
    expect(sourceOf("[not json", 1)).toBeUndefined();
  });
});

describe("row errors", () => {
  const refused = {
    message: "operations: 2 invalid operation(s); nothing was applied",
    field: "operations",
    errors: [
      { row: 2, field: "content", message: "not an IPv4 address" },
      { row: 4, field: "op", message: "op must be one of add, update, delete" },
    ],
  };

  it("reads every row error of a 422", () => {
    expect(rowErrors(new ApiError(422, refused))).toEqual(refused.errors);
  });

  it("ignores errors of other kinds", () => {
    expect(rowErrors(new ApiError(422, { message: "bad", field: "file" }))).toBeNull();
    expect(rowErrors(new ApiError(409, { errors: ["Primary: row 2: gone"] }))).toBeNull();
    expect(rowErrors(new Error("offline"))).toBeNull();
  });

  it("is never mistaken for a per-server failure", () => {
    // The 422 body is not a MultiBody (its errors are objects): the API sends it anyway.
    expect(toOutcome(422, refused as unknown as MultiBody, "Bulk change")).toBeNull();
    expect(toOutcome(409, { errors: ["Primary: row 2: gone"] }, "Bulk")?.kind).toBe("failure");
  });
});
