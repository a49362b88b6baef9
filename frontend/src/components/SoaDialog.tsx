import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import type { FormEvent } from "react";
import { formError } from "../api/client";
import { keys } from "../api/keys";
import { readZoneSoa, updateZoneSoa } from "../api/soa";
import type { SoaFields, ZoneSoa } from "../api/soa";
import { useChange } from "../hooks/useChange";
import { soaBody, soaDraft } from "../lib/soa";
import { DialogActions } from "./DialogActions";
import { FormError } from "./FormError";
import { Modal } from "./Modal";
import { SoaFieldsEditor } from "./SoaFieldsEditor";

interface Props {
  zone: string;
  onClose: () => void;
}

/** Edit a zone's SOA as a form of its fields; PowerDNS moves the serial on every server. */
export function SoaDialog({ zone, onClose }: Props) {
  const soa = useQuery({ queryKey: keys.soa(zone), queryFn: () => readZoneSoa(zone) });
  return (
    <Modal title={`Edit the SOA of ${zone}`} onClose={onClose}>
      {soa.error && <FormError message={soa.error.message} />}
      {!soa.data && !soa.error && <p className="muted">Loading…</p>}
      {soa.data && <SoaForm zone={zone} current={soa.data} onClose={onClose} />}
    </Modal>
  );
}

function SoaForm({
  zone,
  current,
  onClose,
}: {
  zone: string;
  current: ZoneSoa;
  onClose: () => void;
}) {
  const [draft, setDraft] = useState(soaDraft(current));
  const change = useChange<SoaFields>({
    run: (fields) => updateZoneSoa(zone, fields),
    title: () => `Update the SOA of ${zone}`,
    invalidate: [keys.records(zone), keys.zone(zone), keys.soa(zone)],
    fieldsInForm: true,
    onSuccess: onClose,
  });

  function submit(event: FormEvent) {
    event.preventDefault();
    change.mutate(soaBody(draft));
  }

  return (
    <form onSubmit={submit} noValidate>
      <p className="field-hint">
        Serial {current.serial} on the read server. Each server moves its own serial when the SOA
        changes (SOA-EDIT-API {current.soa_edit_api || "off: DNSMate adds one"}).
      </p>
      <SoaFieldsEditor value={draft} onChange={setDraft} error={change.error} />
      <FormError message={formError(change.error)} />
      <DialogActions onCancel={onClose} label="Save SOA" pending={change.isPending} />
    </form>
  );
}
