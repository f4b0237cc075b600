/** Roles a token may have, from most to least powerful. */
export const ROLES = ["admin", "data_manager", "reader"] as const;

/** A token's role. */
export type Role = (typeof ROLES)[number];

/** Roles that may read. */
export const READ: Role[] = ["admin", "data_manager", "reader"];

/** Roles that may write data and audiences. */
export const WRITE: Role[] = ["admin", "data_manager"];
