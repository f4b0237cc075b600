/**
 * Tactics → Pathfora widget types, as Lytics maps them: the tactic a
 * marketer picks decides which `window.pathfora` constructor renders the
 * experience and which widget event counts as its conversion.
 *
 * | tactic | widget | conversion |
 * |---|---|---|
 * | drive traffic | message with a link (`confirmAction.url`) | click-through (`confirm`) |
 * | collect leads | form | form submit (`submit`) |
 * | present a message | message | click on the call to action (`confirm`) |
 * | recommend content | message, `variant: 3` (recommendation) | recommendation click |
 * | gate content | site gate | gate unlock (`unlock`) |
 */
import type { WidgetType } from "../../../types/widgets";
import type { ExperienceLink, JsonObject, Tactic, WidgetEventKind } from "../contract";

/** What a tactic produces. */
export interface TacticSpec {
  tactic: Tactic;
  /** Human label, as in the Lytics editor. */
  label: string;
  type: WidgetType;
  factory: "Message" | "Form" | "Subscription" | "SiteGate";
  /** Widget events that count as a conversion. */
  conversion: readonly WidgetEventKind[];
  /** What a conversion is called in the report. */
  conversion_label: string;
  /** Variations must carry a `link` (drive traffic). */
  needs_link: boolean;
}

const SPECS: Record<Tactic, TacticSpec> = {
  drive_traffic: {
    tactic: "drive_traffic",
    label: "Drive traffic",
    type: "message",
    factory: "Message",
    conversion: ["confirm"],
    conversion_label: "click-through",
    needs_link: true,
  },
  collect_leads: {
    tactic: "collect_leads",
    label: "Collect leads",
    type: "form",
    factory: "Form",
    conversion: ["submit", "subscribe"],
    conversion_label: "form submit",
    needs_link: false,
  },
  present_message: {
    tactic: "present_message",
    label: "Present a message",
    type: "message",
    factory: "Message",
    conversion: ["confirm"],
    conversion_label: "click-through",
    needs_link: false,
  },
  recommend_content: {
    tactic: "recommend_content",
    label: "Recommend content",
    type: "message",
    factory: "Message",
    conversion: ["recommendation_click"],
    conversion_label: "recommendation click",
    needs_link: false,
  },
  gate_content: {
    tactic: "gate_content",
    label: "Gate content",
    type: "sitegate",
    factory: "SiteGate",
    conversion: ["unlock"],
    conversion_label: "gate unlock",
    needs_link: false,
  },
};

/** Every tactic, in the editor's order. */
export const TACTICS: readonly Tactic[] = Object.keys(SPECS) as Tactic[];

/** Names accepted on input for a tactic besides its own (Lytics' editor says "Capture Leads"). */
const ALIASES: Record<string, Tactic> = { capture_leads: "collect_leads" };

/** Every name accepted on input for a tactic: the tactics, then their aliases. */
export const TACTIC_NAMES: readonly string[] = [...TACTICS, ...Object.keys(ALIASES)];

/** The spec of `tactic`. */
export function tacticSpec(tactic: Tactic): TacticSpec {
  return SPECS[tactic];
}

/** The tactic named by `name` (own name or alias), or undefined. */
export function parseTactic(name: string): Tactic | undefined {
  if (Object.hasOwn(SPECS, name)) return name as Tactic;
  return Object.hasOwn(ALIASES, name) ? ALIASES[name] : undefined;
}

/**
 * The keys a tactic imposes on a variation's widget (applied over the
 * editor's configuration, under API overrides): recommendations get
 * `variant: "3"`; drive traffic gets a `confirmAction` that follows the
 * variation's link (`url`, `new_tab`; the name is kept when set).
 */
export function tacticWidgetKeys(tactic: Tactic, widget: JsonObject, link: ExperienceLink | undefined): JsonObject {
  if (tactic === "recommend_content") return { variant: "3" };
  if (tactic === "drive_traffic" && link) {
    const current = widget["confirmAction"];
    const name =
      current && typeof current === "object" && !Array.isArray(current) && typeof current["name"] === "string"
        ? current["name"]
        : "click-through";
    return { confirmAction: { name, url: link.url, new_tab: link.new_tab === true } };
  }
  return {};
}
