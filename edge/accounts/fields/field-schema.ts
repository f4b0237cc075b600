/**
 * An account's profile field schema: the field list (configured, surfaced,
 * identifiers and built-ins), configuring a field and removing its
 * configuration. Each change is stored on the account object and then
 * remembered in this isolate's account cache. Throws `ApiError`s.
 */
import type { Env } from "../../platform/env";
import { badRequest, notFound, unprocessable } from "../../platform/http/errors";
import { accountStub, rememberAccount, type AccountConfig } from "../settings/config";
import type { FieldUpdate, FieldView } from "../schemas";

/** Fields every profile has, maintained by the edge. */
export const BUILTIN_FIELDS: Record<string, string> = {
  _uids: "cookie ids of the person",
  _created: "when the profile was created",
  _modified: "when the profile last changed",
  visitct: "number of visits (sessions)",
  _sessions: "number of sessions",
  first_visit: "time of the first event",
  last_visit: "time of the latest event",
};

const NAME = /^[A-Za-z_][\w.-]{0,127}$/;

/** The field list of an account: configured, surfaced, identifiers and built-ins. */
export function listFields(account: AccountConfig): FieldView[] {
  const names = new Set([
    ...Object.keys(BUILTIN_FIELDS),
    ...Object.keys(account.fields),
    ...account.surfaced_fields,
    ...account.identifier_fields,
  ]);
  return [...names].sort().map((name) => {
    const cfg = account.fields[name];
    return {
      name,
      type: cfg?.type ?? "any",
      merge: cfg?.merge ?? "latest",
      surfaced: account.surfaced_fields.includes(name),
      identifier: account.identifier_fields.includes(name),
      builtin: name in BUILTIN_FIELDS,
      ...((cfg?.description ?? BUILTIN_FIELDS[name]) ? { description: cfg?.description ?? BUILTIN_FIELDS[name] } : {}),
    };
  });
}

/** Checks a field name can be configured: 400 when malformed, 422 for a built-in field. */
export function checkConfigurable(name: string): void {
  if (!NAME.test(name))
    throw badRequest("field names start with a letter or _ and have at most 128 letters, digits, _, . or -");
  if (name in BUILTIN_FIELDS) throw unprocessable(`${name} is maintained by Pathlight and cannot be configured`);
}

/** Configures a field (type, merge strategy, description, surfacing, identifier); answers it. */
export async function configureField(
  env: Env,
  account: AccountConfig,
  name: string,
  u: FieldUpdate,
): Promise<FieldView> {
  const current = account.fields[name];
  const fields = { ...account.fields };
  if (u.type || u.merge || u.description !== undefined || current) {
    fields[name] = {
      type: u.type ?? current?.type ?? "any",
      merge: u.merge ?? current?.merge ?? "latest",
      ...((u.description ?? current?.description) ? { description: u.description ?? current?.description } : {}),
    };
  }
  const toggle = (list: string[], on: boolean | undefined) =>
    on === undefined ? list : on ? [...new Set([...list, name])] : list.filter((f) => f !== name);
  const identifier_fields = toggle(account.identifier_fields, u.identifier);
  if (identifier_fields.length === 0) throw unprocessable("an account needs at least one identifier field");
  const { account: saved } = await accountStub(env, account.cid).upsert(account.cid, {
    fields,
    surfaced_fields: toggle(account.surfaced_fields, u.surfaced),
    identifier_fields,
  });
  rememberAccount(saved);
  return listFields(saved).find((f) => f.name === name)!;
}

/** Removes a field's configuration: it keeps the most recent value, is not surfaced and does not identify. */
export async function removeFieldConfig(env: Env, account: AccountConfig, name: string): Promise<void> {
  if (!listFields(account).some((f) => f.name === name && !f.builtin))
    throw notFound(`field ${name} has no configuration`);
  const fields = { ...account.fields };
  delete fields[name];
  const identifier_fields = account.identifier_fields.filter((f) => f !== name);
  if (identifier_fields.length === 0) throw unprocessable("an account needs at least one identifier field");
  const { account: saved } = await accountStub(env, account.cid).upsert(account.cid, {
    fields,
    surfaced_fields: account.surfaced_fields.filter((f) => f !== name),
    identifier_fields,
  });
  rememberAccount(saved);
}
