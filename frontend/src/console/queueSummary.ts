/** The queue at a glance (`GET /api/v1/queue`), shared by the work queue and the SLA board. */
import { useQuery } from "@tanstack/react-query";
import { api, unwrap } from "../api/client";

// Open counts move whenever anyone claims or finishes; a half-minute keeps them honest without polling hard.
const REFRESH_MS = 30_000;

export function useQueueSummary() {
  return useQuery({
    queryKey: ["queue"],
    queryFn: () => unwrap(api.GET("/api/v1/queue")),
    refetchInterval: REFRESH_MS,
  });
}
