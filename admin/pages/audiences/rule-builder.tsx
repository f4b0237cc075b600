import {
  type ConditionRow,
  emptyCondition,
  type Group,
  type IncludeRow,
  type Item,
  OPERATORS,
  type Operator,
  rowProblem,
  UNITS,
  type Unit,
} from "./builder";

interface Props {
  group: Group;
  onChange: (group: Group) => void;
  /** Slugs an INCLUDE row may name. */
  audiences: string[];
  disabled: boolean;
  /** Position for labels, e.g. "1.2". */
  path?: string;
}

const NO_VALUE: Operator[] = ["exists", "not exists"];

/** Field / operator / value rows in AND/OR groups; INCLUDE rows; nested groups. */
export function RuleBuilder({ group, onChange, audiences, disabled, path = "" }: Props) {
  const set = (i: number, item: Item | null) =>
    onChange({
      ...group,
      items: item === null ? group.items.filter((_, j) => j !== i) : group.items.map((x, j) => (j === i ? item : x)),
    });
  const add = (item: Item) => onChange({ ...group, items: [...group.items, item] });
  const where = path ? `group ${path}` : "the rules";
  return (
    <fieldset class="rules" style={{ border: "1px solid var(--line)", borderRadius: "6px", padding: "0.5rem 0.75rem" }}>
      <legend>
        <select
          aria-label={`Match for ${where}`}
          value={group.join}
          disabled={disabled}
          onChange={(e) => onChange({ ...group, join: (e.target as HTMLSelectElement).value as "and" | "or" })}
          style={{ width: "auto" }}
        >
          <option value="and">All of (AND)</option>
          <option value="or">Any of (OR)</option>
        </select>
      </legend>
      {group.items.map((item, i) => {
        const n = path ? `${path}.${i + 1}` : String(i + 1);
        if (item.kind === "group")
          return (
            <div key={i} style={{ marginBottom: "0.5rem" }}>
              <RuleBuilder
                group={item}
                onChange={(g) => set(i, g)}
                audiences={audiences}
                disabled={disabled}
                path={n}
              />
              {!disabled && (
                <button type="button" class="danger" onClick={() => set(i, null)}>
                  Remove group {n}
                </button>
              )}
            </div>
          );
        return (
          <RuleRow key={i} n={n} row={item} audiences={audiences} disabled={disabled} onChange={(r) => set(i, r)} />
        );
      })}
      {!disabled && (
        <div class="row" style={{ justifyContent: "flex-start" }}>
          <button type="button" class="secondary" onClick={() => add(emptyCondition())}>
            Add condition
          </button>
          <button
            type="button"
            class="secondary"
            onClick={() => add({ kind: "include", slug: audiences[0] ?? "", negate: false })}
          >
            Add audience (INCLUDE)
          </button>
          <button
            type="button"
            class="secondary"
            onClick={() => add({ kind: "group", join: group.join === "and" ? "or" : "and", items: [emptyCondition()] })}
          >
            Add group
          </button>
        </div>
      )}
    </fieldset>
  );
}

function RuleRow(props: {
  n: string;
  row: ConditionRow | IncludeRow;
  audiences: string[];
  disabled: boolean;
  onChange: (row: ConditionRow | IncludeRow | null) => void;
}) {
  const { n, row, disabled, onChange } = props;
  const problem = rowProblem(row);
  const problemId = `rule-${n.replace(/\./g, "-")}-problem`;
  const described = problem ? { "aria-describedby": problemId } : {};
  const value = (e: Event) => (e.target as HTMLInputElement | HTMLSelectElement).value;
  return (
    <div class="rule" style={{ marginBottom: "0.5rem" }}>
      <div class="row" style={{ alignItems: "center" }}>
        {row.kind === "include" ? (
          <>
            <select
              aria-label={`Condition ${n}: in or not in`}
              value={row.negate ? "not" : "in"}
              disabled={disabled}
              onChange={(e) => onChange({ ...row, negate: value(e) === "not" })}
            >
              <option value="in">is in audience</option>
              <option value="not">is not in audience</option>
            </select>
            <select
              aria-label={`Condition ${n}: audience`}
              value={row.slug}
              disabled={disabled}
              onChange={(e) => onChange({ ...row, slug: value(e) })}
              {...described}
            >
              {!props.audiences.includes(row.slug) && <option value={row.slug}>{row.slug || "(choose)"}</option>}
              {props.audiences.map((s) => (
                <option key={s} value={s}>
                  {s}
                </option>
              ))}
            </select>
          </>
        ) : (
          <>
            <input
              aria-label={`Condition ${n}: field`}
              placeholder="field, e.g. visitct"
              value={row.field}
              disabled={disabled}
              list="known-fields"
              onInput={(e) => onChange({ ...row, field: value(e) })}
              {...described}
            />
            <select
              aria-label={`Condition ${n}: operator`}
              value={row.op}
              disabled={disabled}
              onChange={(e) => onChange({ ...row, op: value(e) as Operator })}
            >
              {(Object.keys(OPERATORS) as Operator[]).map((op) => (
                <option key={op} value={op}>
                  {OPERATORS[op]}
                </option>
              ))}
            </select>
            {!NO_VALUE.includes(row.op) && (
              <input
                aria-label={`Condition ${n}: value`}
                placeholder={row.op === "in" || row.op === "not in" ? "a, b, c" : "value"}
                value={row.value}
                disabled={disabled}
                inputMode={row.op === "within" || row.op === "before" ? "numeric" : undefined}
                onInput={(e) => onChange({ ...row, value: value(e) })}
                {...described}
              />
            )}
            {(row.op === "within" || row.op === "before") && (
              <select
                aria-label={`Condition ${n}: unit`}
                value={row.unit}
                disabled={disabled}
                onChange={(e) => onChange({ ...row, unit: value(e) as Unit })}
              >
                {(Object.keys(UNITS) as Unit[]).map((u) => (
                  <option key={u} value={u}>
                    {UNITS[u]}
                    {row.op === "before" ? " ago" : ""}
                  </option>
                ))}
              </select>
            )}
          </>
        )}
        {!disabled && (
          <button type="button" class="danger" aria-label={`Remove condition ${n}`} onClick={() => onChange(null)}>
            Remove
          </button>
        )}
      </div>
      {problem && (
        <p id={problemId} class="muted" style={{ margin: "0.15rem 0 0" }}>
          Condition {n}: {problem} (left out of the SegmentQL until filled in)
        </p>
      )}
    </div>
  );
}
