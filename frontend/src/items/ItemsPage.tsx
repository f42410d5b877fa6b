// PLACEHOLDER: replaced by the real screen (see routes.tsx).
export function Component() {
  return <p>ItemsPage</p>;
}
