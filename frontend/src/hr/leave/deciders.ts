/** The tenant's active client admins, whom hr staff act for when deciding leave from the console. */
import { useQuery } from "@tanstack/react-query";
import { api, unwrap } from "../../api/client";
import { type HrScope, hrKey } from "../queries";

/** An error (staff without the hr skill: 403) leaves no data: those staff are not offered the decision. */
export function useDeciders(scope: HrScope) {
  return useQuery({
    queryKey: [...hrKey(scope.tenantId), "leave-deciders"],
    queryFn: () => unwrap(api.GET("/api/v1/hr/leave-deciders", { ...scope.headers })),
    enabled: scope.inConsole && scope.tenantId !== null,
    retry: false,
  });
}
