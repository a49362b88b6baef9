import { useState } from "react";
import type { FormEvent } from "react";
import { fieldError, formError } from "../api/client";
import { keys } from "../api/keys";
import { setRecordComments } from "../api/records";
import type { DnsRecord } from "../api/types";
import { useChange } from "../hooks/useChange";
import { DialogActions } from "./DialogActions";
import { Field } from "./Field";
import { FormError } from "./FormError";
import { Modal } from "./Modal";

interface Props {
  zone: string;
  record: DnsRecord;
  onClose: () => void;
}

/** Edit the comments of a record's RRset (every record of that name and type shares them). */
export function CommentsDialog({ zone, record, onClose }: Props) {
  const [texts, setTexts] = useState<string[]>(
    record.comments?.length ? record.comments.map((c) => c.content) : [""],
  );
  const accounts = record.comments?.map((c) => c.account) ?? [];
  const change = useChange<string[]>({
    run: (values) =>
      setRecordComments(
        zone,
        record,
        values
          .map((content, i) => ({ content, account: accounts[i] ?? "" }))
          .filter((c) => c.content.trim() !== ""),
      ),
    title: () => `Comments of ${record.type} ${record.name}`,
    invalidate: [keys.records(zone)],
    fieldsInForm: true,
    onSuccess: onClose,
  });

  function submit(event: FormEvent) {
    event.preventDefault();
    change.mutate(texts);
  }

  return (
    <Modal title={`Comments of ${record.type} ${record.name}`} onClose={onClose}>
      <form onSubmit={submit} noValidate>
        <p className="field-hint">
          Comments belong to the name and type: every {record.type} record of {record.name} shows
          them. An empty comment is removed.
        </p>
        {texts.map((text, i) => (
          <Field
            key={i}
            label={`Comment ${i + 1}`}
            hint={accounts[i] ? `By ${accounts[i]}` : undefined}
            error={fieldError(change.error, `comments[${i}].content`)}
          >
            <input
              value={text}
              onChange={(e) => setTexts(texts.map((t, j) => (j === i ? e.target.value : t)))}
              autoComplete="off"
            />
          </Field>
        ))}
        <button
          type="button"
          className="button-small button-secondary"
          onClick={() => setTexts([...texts, ""])}
        >
          + Add comment
        </button>
        <FormError message={formError(change.error)} />
        <DialogActions onCancel={onClose} label="Save comments" pending={change.isPending} />
      </form>
    </Modal>
  );
}
