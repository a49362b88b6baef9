import type { DnsRecord } from "../api/types";
import { relativeName } from "../lib/names";
import { Breakable } from "./Breakable";
import { EditDeleteButtons } from "./EditDeleteButtons";

interface Props {
  records: DnsRecord[];
  /** The zone apex, so names can be shown relative to it ("www", "@"). */
  zone: string;
  loading?: boolean;
  /** False for readers: no edit or delete buttons. */
  canWrite?: boolean;
  onEdit: (record: DnsRecord) => void;
  onDelete: (record: DnsRecord) => void;
  /** Disables or enables one record (absent: no such button). */
  onToggleDisabled?: (record: DnsRecord) => void;
  /** Opens the comments of the record's RRset (absent: no such button). */
  onComments?: (record: DnsRecord) => void;
  /** Opens the SOA form (the SOA row has Edit SOA instead of Edit and Delete). */
  onEditSoa?: () => void;
  /** Content of a record to mark (a search result leads here). */
  highlight?: string | null;
}

/** One page of records (the server pages; this table never holds a whole zone). */
export function RecordsTable(props: Props) {
  const { records, zone, loading, canWrite = true, onEdit, onDelete, highlight } = props;
  const { onEditSoa, onToggleDisabled, onComments } = props;
  return (
    <div className="table-wrap">
      <table className="table records-table" aria-busy={loading}>
        <caption className="sr-only">Records of {zone}</caption>
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Type</th>
            <th scope="col">Content</th>
            <th scope="col">TTL</th>
            <th scope="col">
              <span className="sr-only">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {records.map((record) => {
            const label = `${record.type} record ${record.name} ${record.content}`;
            const marked = highlight != null && record.content === highlight;
            const classes = [record.disabled && "row-disabled", marked && "row-highlight"];
            return (
              <tr
                key={`${record.name}|${record.type}|${record.content}`}
                className={classes.filter(Boolean).join(" ") || undefined}
                aria-current={marked ? "true" : undefined}
              >
                <td className="cell-name" title={record.name}>
                  <Breakable text={relativeName(record.name, zone)} />
                </td>
                <td>
                  <span className="type-tag">{record.type}</span>
                </td>
                <td className="cell-content">
                  {record.content}
                  {record.disabled && <span className="badge badge-muted"> disabled</span>}
                  {record.comments?.map((c, i) => (
                    <span key={i} className="record-comment" title={c.account || undefined}>
                      {c.content}
                    </span>
                  ))}
                </td>
                <td>{record.ttl}</td>
                <td className="cell-actions">
                  {canWrite && record.type === "SOA" && onEditSoa && (
                    <button
                      type="button"
                      className="button-small button-secondary"
                      onClick={onEditSoa}
                      aria-label={`Edit SOA of ${zone}`}
                    >
                      Edit SOA
                    </button>
                  )}
                  {canWrite && record.type !== "SOA" && onComments && (
                    <button
                      type="button"
                      className="button-small button-secondary"
                      onClick={() => onComments(record)}
                      aria-label={`Comments of ${label}`}
                    >
                      Comment
                    </button>
                  )}
                  {canWrite && record.type !== "SOA" && onToggleDisabled && (
                    <button
                      type="button"
                      className="button-small button-secondary"
                      onClick={() => onToggleDisabled(record)}
                      aria-label={`${record.disabled ? "Enable" : "Disable"} ${label}`}
                    >
                      {record.disabled ? "Enable" : "Disable"}
                    </button>
                  )}
                  {canWrite && record.type !== "SOA" && (
                    <EditDeleteButtons
                      label={label}
                      onEdit={() => onEdit(record)}
                      onDelete={() => onDelete(record)}
                    />
                  )}
                </td>
              </tr>
            );
          })}
          {!loading && records.length === 0 && (
            <tr>
              <td colSpan={5} className="empty">
                No records match.
              </td>
            </tr>
          )}
        </tbody>
      </table>
    </div>
  );
}
