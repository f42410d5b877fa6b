/** Which page of a `{items, total, limit, offset}` list is shown. */
import { useState } from "react";

export interface PageState {
  page: number;
  setPage: (page: number) => void;
  limit: number;
  offset: number;
}

export function usePaging(limit: number): PageState {
  const [page, setPage] = useState(1);
  return { page, setPage, limit, offset: (page - 1) * limit };
}
