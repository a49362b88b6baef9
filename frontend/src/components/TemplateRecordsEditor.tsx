import { cloneElement, useEffect, useRef } from "react";
import type { ReactElement } from "react";
import { RECORD_TYPES, TYPE_NAMES } from "../lib/recordTypes";
import type { ErrorPlace, RecordRow } from "../lib/templateRows";
import { newRow } from "../lib/templateRows";

interface Props {
  rows: RecordRow[];
  onChange: (rows: RecordRow[]) => void;
  /** The server's 422, when it names one row's field (`row` is the row's key). */
  error: ErrorPlace | null;
  defaultTtl: string;
}

type Column = "type" | "name" | "content" | "ttl";

// PowerDNS makes the SOA record; everything else may be in a template.
const TYPES = TYPE_NAMES.filter((t) => t !== "SOA");

/** The template's records as editable rows: type, name (`@` or relative), content, TTL. */
export function TemplateRecordsEditor({ rows, onChange, error, defaultTtl }: Props) {
  const table = useRef<HTMLTableElement>(null);
  const added = useRef<number | null>(null);

  useEffect(() => {
    if (added.current === null) return;
    table.current?.querySelector<HTMLElement>(`[data-row-key="${added.current}"] select`)?.focus();
    added.current = null;
  }, [rows]);

  function set(index: number, column: Column, value: string) {
    onChange(rows.map((row, i) => (i === index ? { ...row, [column]: value } : row)));
  }

  function add() {
    const row = newRow();
    added.current = row.key;
    onChange([...rows, row]);
  }

  function cell(
    index: number,
    column: Column,
    label: string,
    control: ReactElement<Record<string, unknown>>,
  ) {
    const invalid = error?.row === rows[index].key && error.field === column;
    const errorId = `template-row-${rows[index].key}-${column}-error`;
    return (
      <td data-label={label} className={invalid ? "field-invalid" : undefined}>
        {cloneElement(control, {
          "aria-label": `Record ${index + 1} ${label.toLowerCase()}`,
          "aria-invalid": invalid || undefined,
          "aria-describedby": invalid ? errorId : undefined,
        })}
        {invalid && (
          <p id={errorId} className="field-error" role="alert">
            {error.message}
          </p>
        )}
      </td>
    );
  }

  return (
    <div className="template-records">
      <table ref={table} className="table rows-editor">
        <caption className="sr-only">Template records</caption>
        <thead>
          <tr>
            <th scope="col">Type</th>
            <th scope="col">Name</th>
            <th scope="col">Content</th>
            <th scope="col">TTL</th>
            <th scope="col">
              <span className="sr-only">Remove</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row, index) => (
            <tr key={row.key} data-row-key={row.key}>
              {cell(
                index,
                "type",
                "Type",
                <select value={row.type} onChange={(e) => set(index, "type", e.target.value)}>
                  {TYPES.map((t) => (
                    <option key={t}>{t}</option>
                  ))}
                  {!TYPES.includes(row.type) && <option>{row.type}</option>}
                </select>,
              )}
              {cell(
                index,
                "name",
                "Name",
                <input
                  value={row.name}
                  placeholder="@"
                  autoComplete="off"
                  spellCheck={false}
                  onChange={(e) => set(index, "name", e.target.value)}
                />,
              )}
              {cell(
                index,
                "content",
                "Content",
                <input
                  value={row.content}
                  placeholder={RECORD_TYPES[row.type]?.example}
                  autoComplete="off"
                  spellCheck={false}
                  onChange={(e) => set(index, "content", e.target.value)}
                />,
              )}
              {cell(
                index,
                "ttl",
                "TTL",
                <input
                  value={row.ttl}
                  inputMode="numeric"
                  placeholder={defaultTtl}
                  onChange={(e) => set(index, "ttl", e.target.value)}
                />,
              )}
              <td className="cell-actions">
                <button
                  type="button"
                  className="button-small button-secondary"
                  aria-label={`Remove record ${index + 1}`}
                  onClick={() => onChange(rows.filter((_, i) => i !== index))}
                >
                  Remove
                </button>
              </td>
            </tr>
          ))}
          {rows.length === 0 && (
            <tr>
              <td colSpan={5} className="empty">
                No records: zones made from this template get only SOA and NS.
              </td>
            </tr>
          )}
        </tbody>
      </table>
      <button type="button" className="button-small button-secondary" onClick={add}>
        + Add record row
      </button>
    </div>
  );
}
