/**
 * The desks' workspaces in the web app: service type → the desk's workspace component, loaded
 * with its own chunk when an item of that desk is opened (so the sign-in bundle does not grow).
 *
 * A work item of a desk's service type carries `desk: {service_type, workspace}`; the console's
 * item page looks the service type up here and draws the workspace beside the conversation. A
 * desk without an entry (or an item without a desk) shows nothing extra. A desk adds one line:
 *
 *   data_entry: lazy(() => import("../dataentry/Workspace")),   // default export: ({ item, desk }) => ...
 *
 */
import { type ComponentType, lazy, type LazyExoticComponent } from "react";
import type { Schemas } from "../api/client";
import type { WorkItem } from "../items/itemQueries";

/** The item's desk, as the API gives it: its service type and the server's route of its workspace. */
export type Desk = Schemas["DeskOut"];

/** What a desk's workspace is given: the item (state, payload, SLA...) and its desk. */
export interface DeskWorkspaceProps {
  item: WorkItem;
  desk: Desk;
}

export type DeskWorkspace = LazyExoticComponent<ComponentType<DeskWorkspaceProps>>;

export const DESKS: Record<string, DeskWorkspace> = {
  data_entry: lazy(() => import("../dataentry/Workspace")),
  support: lazy(() => import("../support/Workspace")),
  bookkeeping: lazy(() => import("../bookkeeping/DeskWorkspace")),
};

/** The item's desk, or null for an item no desk works. */
export function deskOf(item: WorkItem): Desk | null {
  return item.desk ?? null;
}

/** The workspace to draw for the item, if its desk has one here. */
export function deskWorkspace(item: WorkItem): DeskWorkspace | undefined {
  const desk = deskOf(item);
  return desk && Object.hasOwn(DESKS, desk.service_type) ? DESKS[desk.service_type] : undefined;
}
