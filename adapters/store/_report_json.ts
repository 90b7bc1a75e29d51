/**
 * A provider report and the event it would cause, as both stores keep them in
 * `status_reports` while the report waits for its message: plain JSON, times in Unix ms.
 *
 * @module
 */
import type { MessageStatus } from "../../core/domain.ts";
import type { MessageEventSpec } from "../../core/message_event.ts";
import type { StatusReport } from "../../core/message_status.ts";

/** A {@linkcode StatusReport} as stored. */
export interface ReportJson {
  status: string;
  at: number;
  reason?: string;
  error?: { code: string; message: string };
}

/** A {@linkcode MessageEventSpec} as stored. */
export interface EventSpecJson {
  type: MessageEventSpec["type"];
  id: string;
  createdAt: number;
  channel: MessageEventSpec["channel"];
  deliveries: [string, string][];
}

export function reportToJson(report: StatusReport): ReportJson {
  return {
    status: report.status,
    at: report.at.getTime(),
    ...(report.reason === undefined ? {} : { reason: report.reason }),
    ...(report.error === undefined ? {} : { error: report.error }),
  };
}

export function reportFromJson(json: ReportJson): StatusReport {
  return {
    status: json.status as MessageStatus,
    at: new Date(json.at),
    ...(json.reason === undefined ? {} : { reason: json.reason }),
    ...(json.error === undefined ? {} : { error: json.error }),
  };
}

/** The spec as stored; a delivery's lease is dropped (a waiting report's event is claimed). */
export function eventSpecToJson(spec: MessageEventSpec): EventSpecJson {
  return {
    type: spec.type,
    id: spec.id,
    createdAt: spec.createdAt.getTime(),
    channel: spec.channel,
    deliveries: spec.deliveries.map(([id, webhookId]) => [id, webhookId]),
  };
}

export function eventSpecFromJson(json: EventSpecJson): MessageEventSpec {
  return { ...json, createdAt: new Date(json.createdAt) };
}
