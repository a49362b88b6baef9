import type { ZoneTemplate } from "../api/templates";
import { previewRecords } from "../lib/templatePreview";

interface Props {
  template: ZoneTemplate;
  /** The zone being created; names stay relative while it is empty. */
  zone?: string;
  /** True when the create form lists its own name servers (they win over the template's). */
  ownNameservers?: boolean;
  /** False where the description is already shown beside the preview. */
  withDescription?: boolean;
}

/** What a template puts into a zone: name servers, SOA-EDIT-API and the records. */
export function TemplatePreview(props: Props) {
  const { template, zone = "", ownNameservers = false, withDescription = true } = props;
  const lines = previewRecords(template.records, zone, template.default_ttl);
  return (
    <div className="template-preview" data-testid="template-preview">
      {withDescription && template.description && <p className="muted">{template.description}</p>}
      <p>
        Name servers:{" "}
        {ownNameservers ? "the ones listed below" : template.nameservers.join(", ") || "none"}
        <br />
        SOA-EDIT-API: {template.soa_edit_api} · default TTL {template.default_ttl}
      </p>
      {lines.length > 0 ? (
        <ul className="plan-list" aria-label={`Records of template ${template.name}`}>
          {lines.map((line, i) => (
            <li key={`${i}-${line.name}-${line.type}`}>
              <span className="plan-add">+</span> {line.name} {line.ttl} {line.type} {line.content}
            </li>
          ))}
        </ul>
      ) : (
        <p className="muted">No records besides SOA and NS.</p>
      )}
    </div>
  );
}
