/**
 * Pathfora's default widget settings per type (changed by
 * `initializeWidgets(widgets, config)`). The built-in form fields' defaults
 * (placeholders, required, shown) are applied where the fields are built.
 */
import type { WidgetDefaults } from "../types/widgets";

const buttons = (ok: string) => ({
  layout: "modal" as const,
  position: "",
  variant: "1" as const,
  okMessage: ok,
  cancelMessage: "Cancel",
  okShow: true,
  cancelShow: true,
});

/** Fresh defaults. */
export const baseDefaults = (): WidgetDefaults => ({
  generic: { className: "pathfora", responsive: true, headline: "", displayConditions: { showOnInit: true } },
  message: buttons("Confirm"),
  subscription: buttons("Confirm"),
  form: buttons("Send"),
  sitegate: { ...buttons("Submit"), cancelShow: false, showForm: true },
});

/** Default position per layout. */
export const POSITIONS: Record<string, string> = { slideout: "bottom-left", button: "top-left", bar: "top-absolute" };
