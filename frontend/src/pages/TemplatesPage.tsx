import { useState } from "react";
import { useQuery } from "@tanstack/react-query";
import { keys } from "../api/keys";
import { deleteTemplate, listTemplates } from "../api/templates";
import type { ZoneTemplate } from "../api/templates";
import { ConfirmDialog } from "../components/ConfirmDialog";
import { TemplateDialog } from "../components/TemplateDialog";
import { TemplatePreview } from "../components/TemplatePreview";
import { asOutcome, useChange } from "../hooks/useChange";
import { usePermissions } from "../hooks/usePermissions";
import { FormError } from "../components/FormError";
import { EditDeleteButtons } from "../components/EditDeleteButtons";

type Dialog = { kind: "add" } | { kind: "edit" | "delete"; template: ZoneTemplate } | null;

/** Zone templates: records, name servers and SOA-EDIT-API that new zones can start with. */
export function TemplatesPage() {
  const templates = useQuery({ queryKey: keys.templates, queryFn: listTemplates });
  const [dialog, setDialog] = useState<Dialog>(null);
  const { canManageZones } = usePermissions();
  const remove = useChange<ZoneTemplate>({
    run: (t) => asOutcome(`Delete template ${t.name}`, () => deleteTemplate(t.id)),
    title: (t) => `Delete template ${t.name}`,
    invalidate: [keys.templates],
    onSuccess: () => setDialog(null),
  });
  const items = templates.data?.items;

  return (
    <section>
      <div className="page-head">
        <h1>Templates</h1>
        {canManageZones && (
          <button type="button" onClick={() => setDialog({ kind: "add" })}>
            + Create template
          </button>
        )}
      </div>
      <p className="muted">
        A template is a set of records (names “@” or relative), name servers, a default TTL and
        SOA-EDIT-API. Choose one when you create a zone, or save an existing zone as a template from
        its page.
        {!canManageZones && " Only admins and editors can change templates."}
      </p>
      <FormError message={templates.error?.message} />
      <div className="table-wrap">
        <table className="table templates-table" aria-busy={templates.isFetching}>
          <caption className="sr-only">Templates</caption>
          <thead>
            <tr>
              <th scope="col">Template</th>
              <th scope="col">Records</th>
              <th scope="col" className="hide-narrow">
                Name servers
              </th>
              <th scope="col" className="hide-narrow">
                SOA-EDIT-API
              </th>
              <th scope="col">
                <span className="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {items?.map((template) => (
              <tr key={template.id}>
                <td className="cell-name">
                  <strong>{template.name}</strong>
                  {template.description && (
                    <span className="muted template-description">{template.description}</span>
                  )}
                  <details>
                    <summary>Show records</summary>
                    <TemplatePreview template={template} withDescription={false} />
                  </details>
                </td>
                <td>{template.records.length}</td>
                <td className="hide-narrow cell-name">{template.nameservers.join(", ") || "—"}</td>
                <td className="hide-narrow">{template.soa_edit_api}</td>
                <td className="cell-actions">
                  {canManageZones && (
                    <EditDeleteButtons
                      label={`template ${template.name}`}
                      onEdit={() => setDialog({ kind: "edit", template })}
                      onDelete={() => setDialog({ kind: "delete", template })}
                    />
                  )}
                </td>
              </tr>
            ))}
            {items && items.length === 0 && (
              <tr>
                <td colSpan={5} className="empty">
                  No templates yet.
                </td>
              </tr>
            )}
            {templates.isPending && (
              <tr>
                <td colSpan={5} className="empty">
                  Loading templates…
                </td>
              </tr>
            )}
          </tbody>
        </table>
      </div>
      {dialog?.kind === "add" && <TemplateDialog onClose={() => setDialog(null)} />}
      {dialog?.kind === "edit" && (
        <TemplateDialog template={dialog.template} onClose={() => setDialog(null)} />
      )}
      {dialog?.kind === "delete" && (
        <ConfirmDialog
          title={`Delete template ${dialog.template.name}?`}
          confirmLabel="Delete template"
          busy={remove.isPending}
          onConfirm={() => remove.mutate(dialog.template)}
          onCancel={() => setDialog(null)}
        >
          <p>Zones created from it keep their records; new zones can no longer use it.</p>
        </ConfirmDialog>
      )}
    </section>
  );
}
