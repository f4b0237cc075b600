import { useCallback, useEffect, useRef, useState } from "preact/hooks";
import { api, ApiFailure, type Session } from "../../api";
import { useConfirm } from "../../ui/confirm";
import { ErrorSummary } from "../../ui/errors";
import { JobProgress, type JobStatus } from "../../ui/job-progress";
import { can } from "../../ui/role";
import { useLoad } from "../../ui/use-load";
import { Card } from "../../views/common";
import type { ConsoleRole } from "../types";
import { emptyCondition, fromAst, type Group, hasRows, toSegmentQL } from "./builder";
import { Members } from "./members";
import {
  type Audience,
  getAudience,
  go,
  listAudiences,
  listGroups,
  problemOfMessage,
  type SqlProblem,
  validateSql,
} from "./model";
import { RuleBuilder } from "./rule-builder";
import { SizeHistory } from "./size-history";
import { SqlField } from "./sql-field";

/** Milliseconds of quiet typing before the text is validated. */
const VALIDATE_AFTER_MS = 300;

const newRules = (): Group => ({ kind: "group", join: "and", items: [emptyCondition()] });

/** Puts `slug` in the text's ALIAS clause (adds one when missing). */
function withAlias(text: string, slug: string): string {
  if (/^\s*ALIAS\s+\S+\s*$/im.test(text)) return text.replace(/^(\s*ALIAS\s+)\S+(\s*)$/im, `$1${slug}$2`);
  return slug ? `${text.replace(/\s+$/, "")}\nALIAS ${slug}` : text;
}

/** Field errors of a failed save, by the field they name. */
function fieldErrors(err: unknown): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  if (!(err instanceof ApiFailure)) return out;
  for (const e of err.errors) {
    const key = e.path === "ast" ? "segment_ql" : (e.path ?? "");
    (out[key] ??= []).push(e.message);
  }
  return out;
}

/** Create or edit an audience: name, slug, rule builder beside the SegmentQL, then members and size over time. */
export function AudienceEditor({ session, role, id }: { session: Session; role: ConsoleRole; id: string | null }) {
  const canWrite = can(role, "write");
  const [ask, dialog] = useConfirm();
  const [job, setJob] = useState<string | null>(null);
  const others = useLoad(() => listAudiences(session), [session]);
  const groups = useLoad(() => listGroups(session), [session]);
  const [loaded, setLoaded] = useState<Audience | null>(null);
  const [loadError, setLoadError] = useState<unknown>();
  const [name, setName] = useState("");
  const [slug, setSlug] = useState("");
  const [isPublic, setIsPublic] = useState(false);
  const [memberOf, setMemberOf] = useState<string[]>([]);
  const [rules, setRules] = useState<Group | null>(id ? null : newRules());
  const [text, setText] = useState(() => (id ? "" : toSegmentQL(newRules(), "")));
  const [textOnlyWhy, setTextOnlyWhy] = useState("");
  const [problems, setProblems] = useState<SqlProblem[]>([]);
  const [checking, setChecking] = useState(false);
  const [saveError, setSaveError] = useState<unknown>();
  const [notice, setNotice] = useState("");
  /** Whether the latest text came from the textarea (then valid text updates the rows). */
  const typed = useRef(false);

  useEffect(() => {
    if (!id) return;
    getAudience(session, id).then((a) => {
      setLoaded(a);
      setName(a.name);
      setSlug(a.slug_name);
      setIsPublic(a.is_public);
      setMemberOf(a.groups);
      setText(a.segment_ql);
      const r = a.kind === "rule" ? fromAst(a.ast) : null;
      setRules(r);
      setTextOnlyWhy(
        r ? "" : a.kind === "manual" ? "a manual audience has no rules" : "it uses shapes the builder does not show",
      );
    }, setLoadError);
  }, [session, id]);

  // Live validation through the API (line and column of every problem).
  useEffect(() => {
    if (!canWrite || !text.trim() || loaded?.kind === "manual") return;
    if (!typed.current && rules && !hasRows(rules)) {
      setProblems([]);
      return;
    }
    let live = true;
    setChecking(true);
    const timer = setTimeout(() => {
      validateSql(session, text).then(
        (v) => {
          if (!live) return;
          setChecking(false);
          setProblems(v.errors);
          if (!typed.current) return;
          if (!v.ast) {
            setRules(null);
            setTextOnlyWhy("the SegmentQL does not parse yet");
            return;
          }
          const r = fromAst(v.ast);
          setRules(r);
          setTextOnlyWhy(r ? "" : "it uses shapes the builder does not show (the text is kept as written)");
          if (v.alias && v.alias !== slug) setSlug(v.alias);
        },
        (err) => {
          if (!live) return;
          setChecking(false);
          setProblems([{ line: 0, column: 0, message: err instanceof Error ? err.message : String(err) }]);
        },
      );
    }, VALIDATE_AFTER_MS);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [text, session, canWrite]);

  const changeRules = (g: Group) => {
    typed.current = false;
    setRules(g);
    setText(toSegmentQL(g, slug));
  };
  const changeText = (t: string) => {
    typed.current = true;
    setText(t);
  };
  const changeSlug = (s: string) => {
    setSlug(s);
    typed.current = false;
    setText(rules ? toSegmentQL(rules, s) : withAlias(text, s));
  };

  const save = async (e: Event) => {
    e.preventDefault();
    setNotice("");
    const body = {
      name: name.trim() || slug,
      slug_name: slug,
      is_public: isPublic,
      groups: memberOf,
      ...(loaded?.kind === "manual" ? {} : { segment_ql: text }),
    };
    try {
      const res = loaded
        ? await api<{ data: Audience }>(session, "PUT", `/v2/segment/${loaded.id}`, body)
        : await api<{ data: Audience }>(session, "POST", "/v2/segment", body);
      setSaveError(undefined);
      setNotice(`Audience ${res.data.slug_name} ${loaded ? "saved" : "created"}.`);
      setLoaded(res.data);
      // Stay on this editor (no remount): the address names the new audience for reloads and links.
      if (!loaded) history.replaceState(null, "", `#audiences/${res.data.id}`);
    } catch (err) {
      setSaveError(err);
      const sql = fieldErrors(err).segment_ql;
      if (sql) setProblems(sql.map(problemOfMessage));
    }
  };

  const remove = async () => {
    if (!loaded) return;
    const yes = await ask({
      title: `Delete the audience ${loaded.slug_name}?`,
      body: "Profiles stay; subscriptions and experiences that use it stop matching.",
      confirm: "Delete",
      danger: true,
    });
    if (!yes) return;
    try {
      await api(session, "DELETE", `/v2/segment/${loaded.id}`);
      go("#audiences");
    } catch (err) {
      setSaveError(err);
    }
  };

  const reevaluate = async () => {
    if (!loaded) return;
    try {
      const r = await api<{ data: { id: string } }>(session, "POST", `/v2/segment/${loaded.id}/reevaluate`);
      setJob(r.data.id);
    } catch (err) {
      setSaveError(err);
    }
  };
  const pollJob = useCallback(
    () =>
      api<{ data: (JobStatus & { id: string })[] }>(session, "GET", `/v2/segment/${loaded?.id}/jobs`).then(
        (r) => r.data.find((j) => j.id === job) ?? { state: "queued" },
      ),
    [session, loaded?.id, job],
  );

  if (loadError) return <ErrorSummary error={loadError} />;
  if (id && !loaded) return <p class="loading">Loading the audience…</p>;
  const errs = fieldErrors(saveError);
  const fieldError = (key: string) =>
    errs[key] ? (
      <p id={`aud-${key}-error`} class="error" role="alert">
        {errs[key]!.join("; ")}
      </p>
    ) : null;
  const slugs = (others.data ?? []).map((a) => a.slug_name).filter((s) => s !== slug);
  const placed = new Set(["slug_name", "name", "segment_ql", "groups"]);
  const unplaced =
    saveError instanceof ApiFailure
      ? saveError.errors.filter((e) => !placed.has(e.path === "ast" ? "segment_ql" : (e.path ?? "")))
      : [];

  return (
    <>
      <p>
        <a href="#audiences">← All audiences</a>
      </p>
      <h1>{loaded ? `Audience ${loaded.name}` : "New audience"}</h1>
      <form onSubmit={save}>
        <Card title="Definition">
          <div class="row">
            <div>
              <label for="aud-name">Name</label>
              <input
                id="aud-name"
                value={name}
                readOnly={!canWrite}
                onInput={(e) => setName((e.target as HTMLInputElement).value)}
                aria-describedby={errs.name ? "aud-name-error" : undefined}
              />
              {fieldError("name")}
            </div>
            <div>
              <label for="aud-slug">Slug (the ALIAS)</label>
              <input
                id="aud-slug"
                value={slug}
                required
                pattern="[a-z][a-z0-9_]{0,127}"
                readOnly={!canWrite}
                onInput={(e) => changeSlug((e.target as HTMLInputElement).value)}
                aria-describedby={errs.slug_name ? "aud-slug_name-error" : undefined}
              />
              {fieldError("slug_name")}
            </div>
            <label style={{ flex: "0 0 auto" }}>
              <input
                type="checkbox"
                style={{ width: "auto" }}
                checked={isPublic}
                disabled={!canWrite}
                onChange={() => setIsPublic(!isPublic)}
              />{" "}
              Public (browsers see it)
            </label>
          </div>
          {(groups.data ?? []).length > 0 && (
            <fieldset style={{ border: 0, padding: 0, margin: "0.5rem 0" }}>
              <legend>Groups</legend>
              {(groups.data ?? []).map((g) => (
                <label key={g.id} style={{ display: "inline-block", marginRight: "1rem", fontWeight: 400 }}>
                  <input
                    type="checkbox"
                    style={{ width: "auto" }}
                    checked={memberOf.includes(g.id)}
                    disabled={!canWrite}
                    onChange={() =>
                      setMemberOf(memberOf.includes(g.id) ? memberOf.filter((x) => x !== g.id) : [...memberOf, g.id])
                    }
                  />{" "}
                  {g.name}
                </label>
              ))}
              {fieldError("groups")}
            </fieldset>
          )}
          <div class="row" style={{ alignItems: "start" }}>
            <section aria-label="Rule builder" style={{ flex: "3 1 24rem" }}>
              <h3 style={{ margin: "0.5rem 0" }}>Rules</h3>
              {rules ? (
                <RuleBuilder group={rules} onChange={changeRules} audiences={slugs} disabled={!canWrite} />
              ) : (
                <div>
                  <p class="muted" role="note">
                    Text-only: {textOnlyWhy || "the SegmentQL does not parse yet"}. Edit the SegmentQL.
                  </p>
                  {canWrite && loaded?.kind !== "manual" && (
                    <button
                      type="button"
                      class="secondary"
                      onClick={async () => {
                        const yes = await ask({
                          title: "Start over with the builder?",
                          body: "The SegmentQL is replaced with an empty rule.",
                          confirm: "Start over",
                        });
                        if (yes) changeRules(newRules());
                      }}
                    >
                      Start over with the builder
                    </button>
                  )}
                </div>
              )}
              {rules && !hasRows(rules) && <p class="muted">Add a condition to define who is in the audience.</p>}
            </section>
            <section aria-label="SegmentQL" style={{ flex: "2 1 18rem" }}>
              <SqlField
                text={text}
                onInput={changeText}
                problems={problems}
                checking={checking}
                readOnly={!canWrite || loaded?.kind === "manual"}
              />
              {fieldError("segment_ql") && !problems.length ? fieldError("segment_ql") : null}
            </section>
          </div>
          {canWrite && (
            <div class="row" style={{ justifyContent: "flex-start", marginTop: "0.75rem" }}>
              <button type="submit">{loaded ? "Save audience" : "Create audience"}</button>
              {loaded && (
                <button type="button" class="secondary" onClick={reevaluate} disabled={job !== null}>
                  Re-evaluate every profile
                </button>
              )}
              {loaded && (
                <button type="button" class="danger" onClick={remove}>
                  Delete…
                </button>
              )}
            </div>
          )}
          {job && (
            <JobProgress
              label="Re-evaluation"
              poll={pollJob}
              onDone={() => {
                setJob(null);
                setNotice("Re-evaluation finished.");
              }}
            />
          )}
          {notice && (
            <p class="notice" role="status">
              {notice}
            </p>
          )}
          {saveError ? (
            <div class="error" role="alert">
              <strong>
                {saveError instanceof ApiFailure ? `${saveError.status}: ${saveError.message}` : String(saveError)}
              </strong>
              {unplaced.length > 0 && (
                <ul>
                  {unplaced.map((e, i) => (
                    <li key={i}>
                      {e.path ? <code>{e.path}</code> : null} {e.message}
                    </li>
                  ))}
                </ul>
              )}
            </div>
          ) : null}
        </Card>
      </form>
      {loaded && (
        <>
          <SizeHistory session={session} audience={loaded} />
          <Members session={session} audience={loaded} />
        </>
      )}
      {dialog}
      <datalist id="known-fields">
        {["visitct", "last_visit", "first_visit", "email", "plan", "country", "city", "topic_affinity.", "score_"].map(
          (f) => (
            <option key={f} value={f} />
          ),
        )}
      </datalist>
    </>
  );
}
