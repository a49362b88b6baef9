// Signed webhooks (admin only): dnsmate/api/routes/webhooks.py, schemas/webhooks.py.
import { request } from "./client";
import type { components } from "./schema";

type Schemas = components["schemas"];

export type Webhook = Schemas["WebhookPublic"];
export type WebhookCreated = Schemas["WebhookCreated"];
export type WebhookDelivery = Schemas["WebhookDeliveryPublic"];
export type WebhookEventKind = Schemas["WebhookEventKind"];

export const listWebhooks = () => request<Webhook[]>("GET", "/webhooks");
export const listEventKinds = () => request<WebhookEventKind[]>("GET", "/webhooks/events");
/** The answer carries the signing secret, this once. */
export const createWebhook = (body: { name: string; url: string; events: string[] }) =>
  request<WebhookCreated>("POST", "/webhooks", { body });
export const setWebhookActive = (id: number, active: boolean) =>
  request<Webhook>("PUT", `/webhooks/${id}`, { body: { is_active: active } });
export const deleteWebhook = (id: number) => request<null>("DELETE", `/webhooks/${id}`);
export const sendTest = (id: number) => request<WebhookDelivery>("POST", `/webhooks/${id}/test`);
export const listDeliveries = (id: number) =>
  request<WebhookDelivery[]>("GET", `/webhooks/${id}/deliveries`);
