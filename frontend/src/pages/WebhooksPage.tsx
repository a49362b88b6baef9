import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import type { FormEvent } from "react";
import { keys } from "../api/keys";
import {
  createWebhook,
  deleteWebhook,
  listEventKinds,
  listWebhooks,
  sendTest,
  setWebhookActive,
} from "../api/webhooks";
import type { Webhook, WebhookCreated } from "../api/webhooks";
import { Field } from "../components/Field";
import { FormError } from "../components/FormError";
import { SecretNotice } from "../components/SecretNotice";
import { SettingsTabs } from "../components/SettingsTabs";
import { WebhookDeliveries } from "../components/WebhookDeliveries";
import { asOutcome, useChange } from "../hooks/useChange";

/** Settings > Webhooks: endpoints per event kind, the secret shown once, a test delivery
 * and each endpoint's delivery log. */
export function WebhooksPage() {
  const hooks = useQuery({ queryKey: keys.webhooks, queryFn: listWebhooks });
  const kinds = useQuery({ queryKey: [...keys.webhooks, "events"], queryFn: listEventKinds });
  const [name, setName] = useState("");
  const [url, setUrl] = useState("");
  const [events, setEvents] = useState<Set<string>>(new Set());
  const [created, setCreated] = useState<WebhookCreated | null>(null);
  const [open, setOpen] = useState<number | null>(null);

  const create = useChange<void>({
    run: () =>
      asOutcome(`Add webhook ${name}`, async () => {
        setCreated(await createWebhook({ name, url, events: [...events] }));
        setName("");
        setUrl("");
        setEvents(new Set());
      }),
    title: () => "Add webhook",
    invalidate: [keys.webhooks],
  });
  const test = useChange<Webhook>({
    run: (h) => asOutcome(`Test delivery queued for ${h.name}`, () => sendTest(h.id)),
    title: (h) => `Send test to ${h.name}`,
    invalidate: [keys.webhooks],
    onSuccess: (_o, h) => setOpen(h.id),
  });
  const toggle = useChange<Webhook>({
    run: (h) =>
      asOutcome(`${h.is_active ? "Pause" : "Resume"} ${h.name}`, () =>
        setWebhookActive(h.id, !h.is_active),
      ),
    title: (h) => `Change ${h.name}`,
    invalidate: [keys.webhooks],
  });
  const remove = useChange<Webhook>({
    run: (h) => asOutcome(`Delete webhook ${h.name}`, () => deleteWebhook(h.id)),
    title: (h) => `Delete ${h.name}`,
    invalidate: [keys.webhooks],
  });

  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate();
  };
  const flip = (kind: string) => {
    const next = new Set(events);
    if (next.has(kind)) next.delete(kind);
    else next.add(kind);
    setEvents(next);
  };

  return (
    <section>
      <h1>Settings</h1>
      <SettingsTabs />
      <h2>Webhooks</h2>
      <p className="muted">
        Each delivery is a JSON POST signed with the endpoint&apos;s secret: header
        X-DNSMate-Signature is sha256=HMAC-SHA256(secret, timestamp + &quot;.&quot; + body), with
        the timestamp in X-DNSMate-Timestamp. Failed deliveries are retried with back-off.
      </p>
      {created && (
        <SecretNotice
          secret={created.secret}
          dismissLabel="Done"
          onDismiss={() => setCreated(null)}
        >
          Signing secret of <strong>{created.name}</strong> (shown only now):
        </SecretNotice>
      )}
      <form className="card" onSubmit={submit} aria-label="Add webhook">
        <Field label="Name">
          <input value={name} onChange={(e) => setName(e.target.value)} required />
        </Field>
        <Field label="URL" hint="http:// or https://">
          <input value={url} onChange={(e) => setUrl(e.target.value)} required />
        </Field>
        <fieldset>
          <legend>Events</legend>
          {kinds.data?.map((k) => (
            <label key={k.kind} className="checkbox">
              <input type="checkbox" checked={events.has(k.kind)} onChange={() => flip(k.kind)} />{" "}
              <code>{k.kind}</code> <span className="muted">{k.description}</span>
            </label>
          ))}
        </fieldset>
        <button type="submit" disabled={create.isPending || events.size === 0}>
          Add webhook
        </button>
      </form>
      <FormError message={hooks.error?.message} />
      <div className="table-wrap">
        <table className="table">
          <caption className="sr-only">Webhook endpoints</caption>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">URL</th>
              <th scope="col">Events</th>
              <th scope="col">Deliveries</th>
              <th scope="col">
                <span className="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {hooks.data?.map((h) => (
              <tr key={h.id}>
                <td className="cell-name">
                  {h.name}
                  {!h.is_active && <span className="badge badge-muted"> paused</span>}
                </td>
                <td className="cell-name">{h.url}</td>
                <td className="cell-name">{h.events.join(", ")}</td>
                <td>
                  {h.delivered} delivered, {h.pending} pending, {h.failed} failed
                </td>
                <td className="cell-actions">
                  <button
                    type="button"
                    className="button-small button-secondary"
                    onClick={() => test.mutate(h)}
                  >
                    Send test
                  </button>
                  <button
                    type="button"
                    className="button-small button-secondary"
                    onClick={() => setOpen(open === h.id ? null : h.id)}
                  >
                    Log
                  </button>
                  <button
                    type="button"
                    className="button-small button-secondary"
                    onClick={() => toggle.mutate(h)}
                  >
                    {h.is_active ? "Pause" : "Resume"}
                  </button>
                  <button
                    type="button"
                    className="button-small button-danger-outline"
                    onClick={() => remove.mutate(h)}
                    aria-label={`Delete webhook ${h.name}`}
                  >
                    Delete
                  </button>
                </td>
              </tr>
            ))}
            {hooks.data?.length === 0 && (
              <tr>
                <td colSpan={5} className="empty">
                  No webhook yet.
                </td>
              </tr>
            )}
          </tbody>
        </table>
      </div>
      {open != null && hooks.data?.some((h) => h.id === open) && (
        <WebhookDeliveries id={open} name={hooks.data.find((h) => h.id === open)?.name ?? ""} />
      )}
    </section>
  );
}
