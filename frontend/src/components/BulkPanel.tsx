import { BulkDeleteFilter } from "./BulkDeleteFilter";
import { BulkEditor } from "./BulkEditor";

/** The zone's bulk changes: many operations at once, and delete by name pattern. */
export function BulkPanel({ zone, servers }: { zone: string; servers?: string[] }) {
  return (
    <div className="bulk">
      <h2 className="section-title">Bulk changes</h2>
      <BulkEditor zone={zone} />
      <h2 className="section-title">Delete by filter</h2>
      <BulkDeleteFilter zone={zone} servers={servers} />
    </div>
  );
}
