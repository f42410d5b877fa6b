import { describe, expect, it } from "vitest";
import { ApiError, type Schemas } from "../api/client";
import { availableActions, describeRefusal } from "./itemActions";
import { sampleItem } from "./sampleItem";

const AGENT = "00000000-0000-0000-0000-0000000000a1";
const REVIEWER = "00000000-0000-0000-0000-0000000000a2";
const MEMBER = "00000000-0000-0000-0000-0000000000c1";

function item(state: string, allowed: string[], overrides: Partial<Schemas["WorkItemOut"]> = {}): Schemas["WorkItemOut"] {
  return sampleItem({
    title: "Refund for order 1001",
    state,
    requester_id: MEMBER,
    assignee_id: AGENT,
    allowed_transitions: allowed,
    ...overrides,
  });
}

describe("availableActions", () => {
  it("lets a member cancel an open request, and not share it", () => {
    expect(availableActions(item("queued", ["cancelled"]), { id: MEMBER, role: "client_member" })).toEqual(["cancel"]);
  });

  it("lets a client admin share a request that is not shared yet", () => {
    const admin = { id: "x", role: "client_admin" };
    expect(availableActions(item("queued", ["cancelled"]), admin)).toEqual(["share", "cancel"]);
    expect(availableActions(item("queued", ["cancelled"], { shared: true }), admin)).toEqual(["cancel"]);
  });

  it("offers a client reopening a done item, and answering (not a button) while waiting", () => {
    const member = { id: MEMBER, role: "client_member" };
    expect(availableActions(item("done", ["queued"]), member)).toEqual(["reopen"]);
    expect(availableActions(item("waiting_on_client", ["in_progress", "cancelled"]), member)).toEqual(["cancel"]);
  });

  it("gives the agent the work moves in the order they are used", () => {
    const allowed = ["waiting_on_client", "in_review", "done", "queued", "rejected"];
    expect(availableActions(item("in_progress", allowed), { id: AGENT, role: "provider_agent" })).toEqual([
      "ask",
      "handToQa",
      "done",
      "release",
      "decline",
    ]);
  });

  it("lets staff take a waiting item back to work without an answer", () => {
    const actions = availableActions(item("waiting_on_client", ["in_progress", "rejected"]), { id: AGENT, role: "provider_agent" });
    expect(actions).toEqual(["resume", "decline"]);
  });

  it("shows the QA verdict to staff other than the item's agent only", () => {
    const inReview = item("in_review", ["rejected"]);
    expect(availableActions(inReview, { id: REVIEWER, role: "provider_agent" })).toEqual(["accept", "sendBack", "decline"]);
    expect(availableActions(inReview, { id: AGENT, role: "provider_agent" })).toEqual(["decline"]);
  });

  it("offers nothing on a closed item", () => {
    expect(availableActions(item("cancelled", []), { id: MEMBER, role: "client_member" })).toEqual([]);
  });
});

describe("describeRefusal", () => {
  it("reads the reason and the moves still open from a 409", () => {
    const error = new ApiError(409, "An item in done cannot move to cancelled by you; allowed: queued", {
      allowed: ["queued"],
    });
    expect(describeRefusal(error)).toEqual({
      detail: "An item in done cannot move to cancelled by you; allowed: queued",
      allowed: ["queued"],
    });
  });

  it("ignores errors that are not refusals", () => {
    expect(describeRefusal(new ApiError(404, "Not found"))).toBeNull();
    expect(describeRefusal(new Error("offline"))).toBeNull();
  });
});
