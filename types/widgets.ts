/**
 * Wire types of widget configuration (`window.pathfora`, Pathfora 1.2
 * compatible): what sites, the console and experience overrides send.
 * Types only: importing this module adds no bytes to any bundle.
 */
import type { EntityUser, FieldValue } from "./wire";

/** Widget types (`pathfora.Message`, `Form`, `Subscription`, `SiteGate`). */
export type WidgetType = "message" | "form" | "subscription" | "sitegate";

/** Layouts. `inline` renders into `positionSelector`. */
export type WidgetLayout = "modal" | "slideout" | "bar" | "button" | "inline";

/** Positions per layout, as in Pathfora. */
export type WidgetPosition =
  | ""
  | "middle-center"
  | "bottom-left"
  | "bottom-right"
  | "left"
  | "right"
  | "top-left"
  | "top-right"
  | "top-absolute"
  | "top-fixed"
  | "bottom-fixed"
  | "top-center"
  | "bottom-center"
  | (string & {});

/** 1: text, 2: image, 3: content recommendation. */
export type WidgetVariant = "1" | "2" | "3" | 1 | 2 | 3;

/** Colour theme; `custom` uses `colors`, `none` leaves styling to the site. */
export type WidgetTheme = "light" | "dark" | "custom" | "none";

/** Colours of the `custom` theme (any CSS colour). */
export interface WidgetColors {
  background?: string;
  headline?: string;
  text?: string;
  close?: string;
  actionText?: string;
  actionBackground?: string;
  cancelText?: string;
  cancelBackground?: string;
  fieldBackground?: string;
  required?: string;
  requiredText?: string;
}

/** One submitted form value, as callbacks receive it. */
export interface FormDatum {
  name: string;
  value: string;
}

/** What a widget callback receives besides its event name. */
export interface CallbackPayload {
  /** The resolved widget configuration. */
  config: ResolvedWidget;
  /** The widget's root element (absent for `onInit`). */
  widget?: HTMLElement;
  /** The DOM event that caused the callback. */
  event?: Event;
  /** Submitted values (forms). */
  data?: FormDatum[];
}

/** Event names callbacks receive (Pathfora's `callbackTypes`). */
export type CallbackType =
  | "widgetInitialized"
  | "widgetLoaded"
  | "buttonClicked"
  | "formSubmitted"
  | "modalOpened"
  | "modalClosed"
  | "modalConfirm"
  | "modalCancel";

/** A widget callback; `done` is passed when `waitForAsyncResponse` is set. */
export type WidgetCallback = (
  event: CallbackType,
  payload: CallbackPayload,
  done?: (successful: boolean) => void,
) => void;

/**
 * A callback in code, or a function expression as a string (from API
 * overrides), which only runs when `pathfora.enableStringCallbacks` is true.
 */
export type Callback = WidgetCallback | string;

/** `confirmAction`, `cancelAction`, `closeAction`. */
export interface WidgetAction {
  /** Name sent as `pf-widget-action`. */
  name?: string;
  callback?: Callback;
  /** `false` keeps the widget open after the action. */
  close?: boolean;
  /** Pass `done(successful)` to the callback and wait for it (forms). */
  waitForAsyncResponse?: boolean;
}

/** Success or error state shown after a form submission. */
export interface FormState {
  headline?: string;
  msg?: string;
  okShow?: boolean;
  okMessage?: string;
  cancelShow?: boolean;
  cancelMessage?: string;
  /** Seconds before the widget closes (default 3, 0 = stay). */
  delay?: number;
  confirmAction?: WidgetAction;
  cancelAction?: WidgetAction;
}

/** Field types of `formElements`. */
export type FormElementType =
  | "text"
  | "input"
  | "email"
  | "textarea"
  | "select"
  | "checkbox-group"
  | "radio-group"
  | "us-postal-code"
  | "date";

/** One custom form field. */
export interface FormElement {
  type: FormElementType;
  /** Field name, tracked as `pf-form-<name>`. */
  name: string;
  label?: string;
  placeholder?: string;
  required?: boolean;
  /** Regular expression the value must match. */
  pattern?: string;
  /** `today`, `yyyy-mm-dd` or `mm-dd-yyyy` (date fields). */
  minDate?: string;
  maxDate?: string;
  /** Options of select and group fields. */
  values?: { label: string; value: string }[];
}

/** A `urlContains` rule; plain strings match as substrings. */
export interface UrlRule {
  match: "simple" | "exact" | "regex" | "substring";
  value: string;
  exclude?: boolean;
}

/** Impression limits. Durations and buffers are in seconds. */
export interface ImpressionLimits {
  session?: number;
  total?: number;
  buffer?: number;
  duration?: number;
}

/** Hide a widget after the visitor acted on it `hideCount` times or for `duration` seconds. */
export interface ActionLimit {
  hideCount?: number;
  duration?: number;
}

/** When a widget shows, with Pathfora's keys and semantics. */
export interface DisplayConditions {
  showOnInit?: boolean;
  /** Seconds. */
  showDelay?: number;
  /** Seconds. */
  hideAfter?: number;
  scrollPercentageToDisplay?: number;
  /** CSS selector. */
  displayWhenElementVisible?: string;
  showOnExitIntent?: boolean;
  manualTrigger?: boolean;
  pageVisits?: number;
  date?: { start_at?: string; end_at?: string };
  impressions?: ImpressionLimits & { widget?: ImpressionLimits; global?: ImpressionLimits };
  hideAfterAction?: { confirm?: ActionLimit; cancel?: ActionLimit; closed?: ActionLimit };
  urlContains?: (string | UrlRule)[];
  /** Meta tags by attributes, e.g. `{ name: "section", content: "news" }`. */
  metaContains?: Record<string, string>[];
  /** Show even when an entity template field has no value and no default. */
  showOnMissingFields?: boolean;
}

/** Which parts of a recommended document a widget shows. */
export interface RecommendDisplay {
  title?: boolean;
  image?: boolean;
  description?: boolean;
  author?: boolean;
  date?: boolean;
  descriptionLimit?: number;
  locale?: string;
  dateOptions?: Intl.DateTimeFormatOptions;
}

/** Recommendation settings of a variant 3 widget. */
export interface RecommendConfig {
  /** Content collection id (sent as `contentsegment`). */
  collection?: string;
  contentsegment?: string;
  ql?: { raw?: string };
  rank?: "affinity" | "popular" | "recent" | (string & {});
  limit?: number;
  visited?: boolean;
  shuffle?: boolean;
  display?: RecommendDisplay;
}

/** A document shown by a content unit (`content` holds a default). */
export interface ContentItem {
  title?: string;
  description?: string;
  url?: string;
  image?: string;
  date?: string;
  author?: string;
  default?: boolean;
}

/** A document of the recommendation API. */
export interface RecommendedDocument {
  url: string;
  title?: string;
  description?: string;
  primary_image?: string;
  author?: string;
  created?: string;
  confidence?: number;
  visited?: boolean;
}

/** Configuration of one widget (the argument of `pathfora.Message` etc.). */
export interface WidgetConfig {
  id: string;
  layout?: WidgetLayout;
  position?: WidgetPosition;
  /** Where inline (or any) widgets are appended. */
  positionSelector?: string;
  /** `bottom` slides slideouts in from below. */
  origin?: string;
  /** Selector of an element pushed down while a top bar shows. */
  pushDown?: string;
  /** `false` hides the widget on small screens. */
  responsive?: boolean;
  variant?: WidgetVariant;
  theme?: WidgetTheme;
  colors?: WidgetColors;
  className?: string;
  /** Simple HTML allowed (b, i, em, strong, br, a, p, span); `{{field | default}}` templates. */
  headline?: string;
  msg?: string;
  /** Image URL (variant 2), templates allowed. */
  image?: string;
  footerText?: string;
  okMessage?: string;
  cancelMessage?: string;
  okShow?: boolean;
  cancelShow?: boolean;
  /** Built-in form fields: placeholders, which are required, which show. */
  placeholders?: Record<string, string>;
  required?: Record<string, boolean>;
  fields?: Record<string, boolean>;
  formElements?: FormElement[];
  formStates?: { success?: FormState; error?: FormState };
  /** Legacy alias of `formStates.success`. */
  success?: FormState;
  /** Site gates: `false` shows only the button. */
  showForm?: boolean;
  confirmAction?: WidgetAction;
  cancelAction?: WidgetAction;
  closeAction?: WidgetAction;
  displayConditions?: DisplayConditions;
  recommend?: RecommendConfig;
  content?: ContentItem[];
  /** Tracking keys (exact strings or patterns) never sent. */
  censorTrackingKeys?: (string | RegExp)[];
  /** `false`: do not add `email` to submissions (which identifies the visitor). */
  identify?: boolean;
  onInit?: Callback;
  onLoad?: Callback;
  onClick?: Callback;
  onModalOpen?: Callback;
  onModalClose?: Callback;
  onSubmit?: Callback;
}

/**
 * What `new pathfora.Message(config)` etc. return, as Pathfora's widget
 * object: `id`, `type`, `config` (the configuration as given) and, merged
 * onto the object itself, the type's defaults and the configuration
 * (`w.layout`, `w.position`, `w.confirmAction`, ...). `initializeWidgets`
 * merges again (with the defaults it is given), so tweaks made to
 * `w.config` before it count. Callbacks receive this object as `config`.
 */
export interface ResolvedWidget extends Omit<WidgetConfig, "displayConditions" | "variant"> {
  type: WidgetType;
  layout: WidgetLayout;
  position: WidgetPosition;
  variant: string;
  displayConditions: DisplayConditions;
  config: WidgetConfig;
  valid: boolean;
  /** Set by `initializeABTesting` for widgets outside the visitor's group. */
  hiddenViaABTests?: boolean;
  /** Index of the A/B test group holding the widget. */
  abTestingGroup?: number;
  /** The document a content unit shows. */
  content?: ContentItem[];
}

/** The widget object (Pathfora keeps one object from creation to display). */
export type PreparedWidget = ResolvedWidget;

/** `pathfora.Message` etc.: called with or without `new`, same result. */
export interface WidgetFactory {
  (config: WidgetConfig): PreparedWidget;
  new (config: WidgetConfig): PreparedWidget;
}

/** Defaults merged into every widget (`generic`) or every widget of a type. */
export type WidgetDefaults = { [K in "generic" | WidgetType]?: Partial<Omit<WidgetConfig, "id">> };

/** `initializeWidgets` options. */
export interface InitOptions {
  /** `ordered`: only the first qualifying widget shows. */
  priority?: "ordered" | "unordered";
}

/** The profile fields targeting rules receive. */
export type UserFields = EntityUser | Record<string, FieldValue | undefined>;

/** A targeting rule: receives the visitor's profile fields. */
export type TargetRule = (user: UserFields) => boolean;

/** Widgets by audience. */
export interface TargetingConfig {
  target?: { segment?: string; rule?: TargetRule; widgets: PreparedWidget[] }[];
  exclude?: { segment: string; widgets: PreparedWidget[] }[];
  /** Shown when no target matched. */
  inverse?: PreparedWidget[];
  /** Shown to everyone. */
  common?: PreparedWidget[];
}

/** `pathfora.ABTest` configuration. */
export interface ABTestConfig {
  id: string;
  /** Split like `"100"`, `"50/50"`, `"80/20"`, `"33/33/34"`. */
  type: string;
  /** One list of widgets per group, in the order of `type`. */
  groups: PreparedWidget[][];
}

/** A prepared A/B test. */
export interface ABTest {
  id: string;
  cookieId: string;
  /** Share of each group, summing to 1. */
  type: number[];
  groups: PreparedWidget[][];
}

/** `pathfora.ABTest`: called with or without `new`. */
export interface ABTestFactory {
  (config: ABTestConfig): ABTest;
  new (config: ABTestConfig): ABTest;
}

/** Factories of targeting rules (`pathfora.rules`). */
export interface RuleHelpers {
  includes(key: string, value: FieldValue): TargetRule;
  excludes(key: string, value: FieldValue): TargetRule;
  eq(key: string, value: FieldValue): TargetRule;
  notEq(key: string, value: FieldValue): TargetRule;
  gt(key: string, value: number): TargetRule;
  gte(key: string, value: number): TargetRule;
  lt(key: string, value: number): TargetRule;
  lte(key: string, value: number): TargetRule;
  inSegment(segment: string): TargetRule;
  inFlowStep(id: string, version: string | number, step: string | number): TargetRule;
}

/** A tracked widget event as recorded in the data object (the fields sent to the tag). */
export type TrackedEvent = Record<string, FieldValue>;

/** `pathfora.getDataObject()`: what the visitor did on this page. */
export interface DataObject {
  /** Page views counted in `PathforaPageView` (including this one). */
  pageViews: number;
  /** Seconds since the first `initializeWidgets`. */
  timeSpentOnPage: number;
  displayedWidgets: TrackedEvent[];
  closedWidgets: TrackedEvent[];
  completedActions: TrackedEvent[];
  cancelledActions: TrackedEvent[];
  /** Group index per A/B test id. */
  abTestingGroups: Record<string, number>;
}

/** What targeting and templates of a widget depend on (`getWidgetDependencies`). */
export interface WidgetDependencies {
  /** Audiences. */
  segment?: string[];
  /** Profile fields (`*`: any, for rule functions). */
  entityField?: string[];
}

/** Pathfora's expiring localStorage (`pathfora.utils.store`). */
export interface ExpiringStore {
  getItem(key: string): string | null;
  setItem(key: string, payload: unknown, expiresOn?: Date): void;
  removeItem(key: string): void;
  /** Stores for `milliseconds`. */
  ttl(key: string, payload: unknown, milliseconds: number): void;
  /** Removes the expired records Pathfora (or Pathlight) wrote. */
  removeExpiredItems(): void;
}

/** `pathfora.utils`: the helpers sites and integrations use. */
export interface PathforaUtils {
  /** A stored value (expiring localStorage). */
  read(key: string): string | null;
  write(key: string, value: unknown, expires?: Date): void;
  erase(key: string): void;
  readCookie(name: string): string | null;
  saveCookie(name: string, value: string, expires?: Date): void;
  deleteCookie(name: string): void;
  store: ExpiringStore;
  generateUniqueId(): string;
  escapeURI(text: string, options?: { usePlus?: boolean; keepEscaped?: boolean }): string;
  constructQueries(params: Record<string, unknown>): string;
  updateObject(target: Record<string, unknown>, source: unknown): void;
}

/** `pathfora.inline`: inline personalization of the page's own elements. */
export interface InlineApi {
  /** Elements processed so far. */
  elements: Element[];
  /** Processes the `data-pftrigger`/`data-pfrecommend` elements not processed yet. */
  procElements(): void;
}

/** `window.pathfora`. */
export interface PathforaApi {
  version: string;
  /** Account id for recommendations (from the tag when empty). */
  acctid: string;
  /** Forward widget events to Google Analytics (`ga` or `gtag` on the page). */
  enableGA: boolean;
  /** @internal GA forwarding, once its chunk is loaded, and the events waiting for it. */
  _ga?: (event: TrackedEvent) => void;
  /** @internal */
  _gaq?: TrackedEvent[];
  /** @internal Recommendation requests and inline processing, once the personalization chunk is loaded. */
  _rec?: (params: RecommendConfig, account?: string) => Promise<RecommendedDocument[]>;
  /** @internal */
  _scan?: () => void;
  /** @internal The form component, once the forms chunk is loaded. */
  _Form?: (props: never) => unknown;
  /** @internal Preact's JSX runtime, shared with the forms chunk. */
  _jsx?: Record<string, unknown>;
  utils: PathforaUtils;
  inline: InlineApi;
  getDataObject(): DataObject;
  /** Dependencies of initialized widgets by id, or of the given widgets or targeting object. */
  getWidgetDependencies(widgets?: PreparedWidget[] | TargetingConfig): Record<string, WidgetDependencies>;
  locale: string;
  dateOptions: Intl.DateTimeFormatOptions;
  /** Values entity templates fall back to. */
  customData: Record<string, FieldValue>;
  /** Account opt-in: run string callbacks (needs a CSP allowing eval). */
  enableStringCallbacks?: boolean;
  callbacks: ((user: UserFields) => void)[];
  initializeWidgets(
    widgets: PreparedWidget[] | TargetingConfig,
    config?: WidgetDefaults | string,
    options?: InitOptions | WidgetDefaults,
  ): void;
  Message: WidgetFactory;
  Form: WidgetFactory;
  Subscription: WidgetFactory;
  SiteGate: WidgetFactory;
  ABTest: ABTestFactory;
  initializeABTesting(tests: ABTest[]): void;
  triggerWidgets(ids?: string[]): void;
  showWidget(widget: ResolvedWidget): void;
  closeWidget(id: string, noTrack?: boolean): void;
  clearAll(): void;
  clearById(ids: string[]): void;
  addCallback(cb: (user: UserFields) => void): void;
  recommendContent(
    accountId: string,
    params: RecommendConfig,
    id: string,
    cb: (docs: RecommendedDocument[]) => void,
  ): void;
  rules: RuleHelpers;
}
