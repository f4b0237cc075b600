/**
 * What a role may do in the console, mirroring the edge's roles: readers
 * read; data managers also write data, audiences and experiences; admins
 * also manage tokens, account settings and webhooks.
 */
import type { ComponentChildren } from "preact";
import type { ConsoleRole } from "../pages/types";

/** Kinds of action the console gates. */
export type Ability = "read" | "write" | "admin";

const ABILITIES: Record<ConsoleRole, readonly Ability[]> = {
  admin: ["read", "write", "admin"],
  data_manager: ["read", "write"],
  reader: ["read"],
};

/** True when `role` may do `ability`. */
export function can(role: ConsoleRole, ability: Ability): boolean {
  return ABILITIES[role].includes(ability);
}

/** Shows `children` only to a role that may do `ability` (else `fallback`, nothing by default). */
export function RoleGate({
  role,
  ability,
  children,
  fallback = null,
}: {
  role: ConsoleRole;
  ability: Ability;
  children: ComponentChildren;
  fallback?: ComponentChildren;
}) {
  return <>{can(role, ability) ? children : fallback}</>;
}
