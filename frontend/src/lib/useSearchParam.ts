/**
 * Reading and setting values kept in the address's query (`?report=&from=&to=`), so a page's
 * choices survive a reload and can be linked to. Setting an empty value removes it; the change
 * replaces the history entry instead of adding one per keystroke.
 */
import { useSearchParams } from "react-router";

export function useSearchParamSetter(): [URLSearchParams, (name: string, value: string | null) => void] {
  const [params, setParams] = useSearchParams();
  const set = (name: string, value: string | null) =>
    setParams(
      (current) => {
        const next = new URLSearchParams(current);
        if (value) next.set(name, value);
        else next.delete(name);
        return next;
      },
      { replace: true },
    );
  return [params, set];
}
