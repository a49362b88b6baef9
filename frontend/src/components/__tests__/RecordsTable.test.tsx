import { render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import type { DnsRecord } from "../../api/types";
import { RecordsTable } from "../RecordsTable";

const records: DnsRecord[] = [
  {
    name: "example.com",
    type: "SOA",
    content: "ns1.example.com. h.example.com. 1 2 3 4 5",
    ttl: 3600,
    disabled: false,
    comments: [],
  },
  {
    name: "example.com",
    type: "MX",
    content: "10 mail.example.com.",
    ttl: 3600,
    disabled: false,
    comments: [],
  },
  {
    name: "www.example.com",
    type: "A",
    content: "192.0.2.10",
    ttl: 300,
    disabled: false,
    comments: [],
  },
  {
    name: "www.example.com",
    type: "A",
    content: "192.0.2.11",
    ttl: 300,
    disabled: false,
    comments: [],
  },
];

describe("RecordsTable", () => {
  it("shows names relative to the zone and one row per record", () => {
    render(
      <RecordsTable zone="example.com" records={records} onEdit={vi.fn()} onDelete={vi.fn()} />,
    );
    const rows = screen.getAllByRole("row").slice(1);
    expect(rows).toHaveLength(4);
    expect(within(rows[0]).getAllByRole("cell")[0]).toHaveTextContent("@");
    expect(within(rows[2]).getAllByRole("cell")[0]).toHaveTextContent("www");
    expect(within(rows[3]).getAllByRole("cell")[2]).toHaveTextContent("192.0.2.11");
  });

  it("edits and deletes the exact record, and offers no actions on the SOA", async () => {
    const onEdit = vi.fn();
    const onDelete = vi.fn();
    render(
      <RecordsTable zone="example.com" records={records} onEdit={onEdit} onDelete={onDelete} />,
    );
    expect(screen.queryByRole("button", { name: /SOA/ })).toBeNull();

    await userEvent.click(
      screen.getByRole("button", { name: "Edit A record www.example.com 192.0.2.11" }),
    );
    expect(onEdit).toHaveBeenCalledWith(records[3]);
    await userEvent.click(
      screen.getByRole("button", { name: "Delete MX record example.com 10 mail.example.com." }),
    );
    expect(onDelete).toHaveBeenCalledWith(records[1]);
  });

  it("says when no record matches", () => {
    render(<RecordsTable zone="example.com" records={[]} onEdit={vi.fn()} onDelete={vi.fn()} />);
    expect(screen.getByText("No records match.")).toBeInTheDocument();
  });
});
