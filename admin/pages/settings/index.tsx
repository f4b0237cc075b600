/**
 * Settings: the account (domains, surfaced and identifier fields, rate
 * limit, string callbacks), API tokens, the install snippet and GTM steps,
 * and a check that the tag is installed on a site.
 */
import { useEffect, useState } from "preact/hooks";
import { api } from "../../api";
import { ErrorSummary } from "../../ui/errors";
import { can } from "../../ui/role";
import type { PageProps } from "../types";
import { AccountForm, type AccountSettings } from "./account-form";
import { Install, TagCheck } from "./install";
import { Tokens } from "./tokens";

export default function Settings({ session, role }: PageProps) {
  const [account, setAccount] = useState<AccountSettings | null>(null);
  const [error, setError] = useState<unknown>();
  useEffect(() => {
    api<{ data: AccountSettings }>(session, "GET", "/api/account").then((res) => setAccount(res.data), setError);
  }, [session]);
  return (
    <>
      <h1>Settings</h1>
      <ErrorSummary error={error} />
      {account && <AccountForm session={session} account={account} canEdit={can(role, "admin")} onSaved={setAccount} />}
      {can(role, "admin") && <Tokens session={session} />}
      <Install session={session} />
      <TagCheck session={session} />
    </>
  );
}
